import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createLocalSystem,
  type LocalSystem,
  type LocalTable,
  openLocalTable,
} from '../../infra/local/system.js';
import { SimulatedClock } from '../../shared/app/clock.js';
import { savedSimulatedOffset, simulatedClockControl } from '../../shared/app/clock-control.js';
import { ApiClient, useTestSystem } from '../support/local-system.js';
import { runFinished } from '../support/sweep-runs.js';

const DAY = 86_400_000;

describe('moving a simulated clock (POST /admin/clock)', () => {
  const clock = new SimulatedClock();
  let table: LocalTable;
  let system: LocalSystem;
  let api: ApiClient;
  beforeAll(async () => {
    const tableName = `clock-${process.pid}-${Date.now()}`;
    const endpoint = inject('dynamoEndpoint');
    table = await openLocalTable({ endpoint, tableName });
    system = await createLocalSystem({
      endpoint,
      tableName,
      table,
      clock,
      clockControl: simulatedClockControl(clock, table.store),
    });
    api = new ApiClient(system);
  });
  afterAll(async () => {
    await system?.stop();
    table?.close();
  });

  it('moves time forward by days and answers at once: the health time moves with it, and the scheduled job runs at the new time in the background', async () => {
    // Prepare
    const before = (await api.get('/health')).body;

    // Act
    const moved = await api.post('/admin/clock', 'admin', { advanceDays: 30 });
    const after = (await api.get('/health')).body;
    const run = await runFinished(api, moved.body.progress);

    // Assess
    expect(before.clock).toBe('simulated');
    expect(moved.status).toBe(202);
    expect(moved.body).toMatchObject({ clock: 'simulated', run: { runId: run.runId } });
    expect(Date.parse(run.at)).toBeGreaterThanOrEqual(Date.parse(moved.body.time));
    expect(moved.body.progress).toBe(`/admin/sla-sweeps/${run.runId}`);
    expect(run).toMatchObject({ state: 'done', failures: 0, report: { failures: 0, remaining: 0 } });
    const movedBy = Date.parse(after.time) - Date.parse(before.time);
    expect(movedBy).toBeGreaterThanOrEqual(30 * DAY);
    expect(movedBy).toBeLessThan(30 * DAY + 60_000);
  });

  it('answers once the job has run, with its report, when asked to wait (?wait=true)', async () => {
    // Act
    const moved = await api.call('POST', '/admin/clock?wait=true', 'admin', { advanceDays: 1 });
    const current = await api.get('/admin/sla-sweeps/current', 'admin');

    // Assess
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ clock: 'simulated', report: { failures: 0 }, run: { state: 'done' } });
    expect(current.body.run).toMatchObject({ runId: moved.body.run.runId, state: 'done' });
  });

  it('starts a sweep by hand in the background too, and keeps its progress readable by admins only', async () => {
    // Act
    const started = await api.post('/admin/sla-sweeps', 'admin', {});
    const run = await runFinished(api, started.body.progress);
    const asAgent = await api.get(started.body.progress, 'agent-wang');
    const unknown = await api.get('/admin/sla-sweeps/no-such-run', 'admin');

    // Assess
    expect(started.status).toBe(202);
    expect(run).toMatchObject({ state: 'done', report: { failures: 0 } });
    expect(asAgent.status).toBe(403);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('/admin/sla-sweeps/current');
  });

  it('moves to an instant, and keeps the offset in the table so a restart carries on from there', async () => {
    // Prepare
    const target = new Date(clock.now().getTime() + 90 * DAY);

    // Act
    const moved = await api.call('POST', '/admin/clock?wait=true', 'admin', { to: target.toISOString() });
    const saved = await savedSimulatedOffset(table.store);

    // Assess
    expect(moved.status).toBe(200);
    expect(Date.parse(moved.body.time)).toBeGreaterThanOrEqual(target.getTime());
    expect(saved).toBe(clock.offsetMs);
    expect(new SimulatedClock(saved).now().getTime()).toBeGreaterThanOrEqual(target.getTime());
  });

  it('never moves back: an instant before its now is refused with 409', async () => {
    // Prepare
    const now = clock.now();

    // Act
    const res = await api.post('/admin/clock', 'admin', { to: new Date(now.getTime() - DAY).toISOString() });

    // Assess
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CLOCK.BACKWARDS');
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(now.getTime());
    expect(clock.now().getTime()).toBeLessThan(now.getTime() + 60_000);
  });

  it.each(['agent-wang', 'officer-env', 'leader-zhang'])(
    'refuses %s with 403: only an admin moves time',
    async (user) => {
      // Act
      const res = await api.post('/admin/clock', user, { advanceDays: 1 });

      // Assess
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('ADMIN.ONLY');
    },
  );

  it('refuses a body that says neither how far nor where to (400)', async () => {
    // Act
    const res = await api.post('/admin/clock', 'admin', { advanceDays: -3 });

    // Assess
    expect(res.status).toBe(400);
  });
});

describe('the real clock', () => {
  const t = useTestSystem();

  it('answers 409 to POST /admin/clock, saying the runtime runs on the real clock', async () => {
    // Act
    const res = await t.api.post('/admin/clock', 'admin', { advanceDays: 1 });
    const health = await t.api.get('/health');

    // Assess
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CLOCK.REAL');
    expect(res.body.error.message).toContain('runs on the real clock');
    expect(health.body.clock).toBe('real');
  });
});
