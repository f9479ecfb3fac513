import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import { silentLogger } from '../../shared/app/logger.js';
import { runScheduledJob } from '../../shared/app/scheduled-job.js';
import { requestSweep } from '../../shared/app/sweep-requests.js';
import { localDateTime } from '../../shared/domain/local-time.js';
import type { SweepRun } from '../../shared/domain/sweep-run.js';
import { projectsWithStepOneSubmitted } from '../support/clocked-system.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';
import { runFinished } from '../support/sweep-runs.js';

/** Beijing time: `2026-11-26 12:00` → the instant. */
const beijing = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);

const PROJECTS = 6;

/**
 * The runs of the SLA sweep, recorded in the table: read the same from the process that ran them and from another
 * (a restart; on AWS, the API function reading what the job function wrote), a run stopped at its deadline handing
 * the rest on to the next, and a run asked for where the job runs elsewhere (AWS), claimed once.
 */
describe('the records of the SLA sweep runs', () => {
  // Thursday 26 November 2026, 09:00 in Beijing; each project's step 1 (promised 1 working day) due Friday
  const clock = new ManualClock(beijing('2026-11-26 09:00'));
  let system: LocalSystem & { tableName: string };
  let api: ApiClient;
  let stopped: SweepRun;
  let continued: SweepRun;

  beforeAll(async () => {
    system = await startTestSystem({ clock, log: silentLogger });
    api = new ApiClient(system);
    await projectsWithStepOneSubmitted({ system, api }, PROJECTS, '记录项目');
    // Monday 30 November: every step 1 is due its yellow, red, first rung and deemed approval at once
    clock.set(beijing('2026-11-30 09:00'));
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('records a run that reached its deadline with what it left, and the next run says it continues it', async () => {
    // Act: a run whose deadline has passed before it starts anything, then a run an admin asks for
    await runScheduledJob(system.ctx, {
      stopBy: Date.now() - 1,
      audit: false,
      trigger: 'sla-sweeps',
      by: 'admin',
    });
    const first = await api.get('/admin/sla-sweeps/current', 'admin');
    const started = await api.post('/admin/sla-sweeps', 'admin', {});
    continued = await runFinished(api, started.body.progress);
    stopped = (await api.get(`/admin/sla-sweeps/${first.body.run.runId}`, 'admin')).body.run;

    // Assess
    expect(first.body.run).toMatchObject({ state: 'stopped', trigger: 'sla-sweeps', by: 'admin', done: 0 });
    expect(stopped.remaining).toBeGreaterThanOrEqual(PROJECTS);
    expect(stopped.note).toContain('next run');
    expect(started.status).toBe(202);
    expect(continued).toMatchObject({
      state: 'done',
      trigger: 'sla-sweeps',
      by: 'admin',
      continues: stopped.runId,
      remaining: 0,
      failures: 0,
    });
    expect(continued.done).toBeGreaterThanOrEqual(PROJECTS);
    // each step 1: yellow, red, the first rung and the deemed approval, at once
    expect(continued.deemed).toBe(PROJECTS);
    expect(continued.breached).toBe(PROJECTS);
    expect(continued.escalated).toBeGreaterThanOrEqual(PROJECTS);
    expect(continued.sla).toBeGreaterThanOrEqual(continued.deemed + continued.breached + continued.escalated);
    expect(Date.parse(continued.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(continued.startedAt));
  });

  it('reads the same runs after a restart: a new runtime on the same table lists them newest first, a page at a time', async () => {
    // Prepare
    await system.stop();
    system = await startTestSystem({ clock, log: silentLogger, tableName: system.tableName });
    api = new ApiClient(system);

    // Act
    const one = await api.get(`/admin/sla-sweeps/${stopped.runId}`, 'admin');
    const current = await api.get('/admin/sla-sweeps/current', 'admin');
    const firstPage = await api.get('/admin/sla-sweeps?limit=1', 'admin');
    const secondPage = await api.get(
      `/admin/sla-sweeps?limit=1&cursor=${encodeURIComponent(firstPage.body.cursor)}`,
      'admin',
    );
    const signedIn = await api.post('/auth/login', undefined, { userId: 'admin', password: DEMO_PASSWORD });
    const page = await system.app.request('/app/admin', {
      headers: { cookie: `daiban_session=${signedIn.body.token}` },
    });
    const html = await page.text();

    // Assess
    expect(one.body.run).toMatchObject({
      runId: stopped.runId,
      state: 'stopped',
      remaining: stopped.remaining,
    });
    expect(current.body.run).toMatchObject({ runId: continued.runId, state: 'done' });
    expect(firstPage.body.runs.map((r: SweepRun) => r.runId)).toEqual([continued.runId]);
    expect(secondPage.body.runs.map((r: SweepRun) => r.runId)).toEqual([stopped.runId]);
    // the administration page: the last run, its local start time, the one before it
    expect(page.status).toBe(200);
    expect(html).toContain(`/admin/sla-sweeps/${continued.runId}`);
    expect(html).toContain(localDateTime(continued.startedAt));
    expect(html).toContain(`接续运行 ${stopped.runId}`);
    expect(html).toContain(`/admin/sla-sweeps/${stopped.runId}`);
  });

  it('answers 404 for a run it has no record of, and refuses everyone but an admin', async () => {
    // Act
    const unknown = await api.get('/admin/sla-sweeps/no-such-run', 'admin');
    const asLeader = await api.get('/admin/sla-sweeps', 'leader-zhang');
    const asAgent = await api.get(`/admin/sla-sweeps/${stopped.runId}`, 'agent-wang');

    // Assess
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('GET /admin/sla-sweeps/current');
    expect(asLeader.status).toBe(403);
    expect(asAgent.status).toBe(403);
  });

  it('where the job runs elsewhere (AWS): records the run asked for as queued, the job claims it once, and a request meanwhile joins it', async () => {
    // Prepare
    const asked: string[] = [];
    const start = async (runId: string) => {
      asked.push(runId);
    };

    // Act
    const requested = await requestSweep(system.ctx, start, { trigger: 'sla-sweeps', by: 'admin' });
    const meanwhile = await requestSweep(system.ctx, start, { trigger: 'clock', by: 'admin' });
    const queued = await system.ctx.store.getSweepRun(requested.run.runId);
    const claimed = await runScheduledJob(system.ctx, { claim: requested.run.runId, audit: false });
    const repeated = await runScheduledJob(system.ctx, { claim: requested.run.runId, audit: false });
    const after = await api.get(`/admin/sla-sweeps/${requested.run.runId}`, 'admin');

    // Assess
    expect(asked).toEqual([requested.run.runId]);
    expect(requested.joined).toBe(false);
    expect(meanwhile).toMatchObject({ joined: true, run: { runId: requested.run.runId } });
    expect(queued).toMatchObject({ state: 'queued', trigger: 'sla-sweeps', by: 'admin' });
    expect(claimed).toMatchObject({ failures: 0 });
    expect(claimed.skipped).toBeUndefined();
    expect(repeated).toMatchObject({ skipped: true });
    expect(after.body.run).toMatchObject({ runId: requested.run.runId, state: 'done', by: 'admin' });
  });

  it('fails a run asked for whose job could not be started, and answers 503', async () => {
    // Act
    const refused = await requestSweep(
      system.ctx,
      async () => {
        throw new Error('the bus is unreachable');
      },
      { trigger: 'sla-sweeps', by: 'admin' },
    ).catch((error: unknown) => error);
    const current = await api.get('/admin/sla-sweeps/current', 'admin');

    // Assess
    expect(refused).toMatchObject({ code: 'SWEEP.NOT_STARTED' });
    expect(current.body.run).toMatchObject({ state: 'failed', lastError: 'Error: the bus is unreachable' });
  });

  it('reads a run whose process ended without finishing as lost, and the next run continues it', async () => {
    // Prepare: a run that recorded its progress, then fell silent three minutes ago (its process ended)
    const startedAt = new Date(Date.now() - 240_000).toISOString();
    const silentAt = new Date(Date.now() - 180_000).toISOString();
    const dead: SweepRun = {
      ...(await api.get('/admin/sla-sweeps/current', 'admin')).body.run,
      runId: system.ctx.newId(),
      state: 'running',
      trigger: 'schedule',
      startedAt,
      updatedAt: silentAt,
      due: 6,
      done: 2,
    };
    delete dead.finishedAt;
    delete dead.lastError;
    delete dead.report;
    delete dead.by;
    await system.ctx.store.putSweepRun(dead);

    // Act
    const read = await api.get(`/admin/sla-sweeps/${dead.runId}`, 'admin');
    const started = await api.post('/admin/sla-sweeps', 'admin', {});
    const next = await runFinished(api, started.body.progress);

    // Assess: not "running" for ever; the time it fell silent is told in Beijing time
    expect(read.body.run).toMatchObject({ runId: dead.runId, state: 'lost', done: 2 });
    expect(read.body.run.note).toContain(localDateTime(silentAt));
    expect(next).toMatchObject({ state: 'done', continues: dead.runId });
  });
});
