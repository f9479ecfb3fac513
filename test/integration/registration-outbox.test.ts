import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startsNowRunning } from '../../shared/app/callback-task.js';
import { loadState } from '../../shared/app/load.js';
import type { OutboxEntry, OutboxSend } from '../../shared/store/store.port.js';
import type { CallbackTaskInput } from '../../shared/workflow/task-contract.js';
import { scanTable } from '../support/faults.js';
import { projectRegistration } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

const outboxOf = async (tableName: string, projectId: string) =>
  (await scanTable(tableName)).filter(
    (item) => item.PK === `PROJECT#${projectId}` && String(item.SK).startsWith('OUTBOX#'),
  );

describe("a registration's start in the outbox", () => {
  let system: Awaited<ReturnType<typeof startTestSystem>>;
  let api: ApiClient;
  beforeAll(async () => {
    // a short grace, so the scheduled job takes up an entry left owed after a second
    system = await startTestSystem({ spine: { outboxGraceSeconds: 1 } });
    api = new ApiClient(system);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('is cleared by the first stage’s tasks in their own transaction, with no request of its own', async () => {
    // Prepare
    const deletes = vi.spyOn(system.ctx.store, 'deleteOutbox');

    // Act
    const res = await api.post('/projects', 'agent-wang', projectRegistration({ name: '出箱清理项目' }));
    await system.caughtUp();

    // Assess
    expect(res.status).toBe(201);
    expect(deletes).not.toHaveBeenCalled();
    expect(await outboxOf(system.tableName, res.body.projectId)).toEqual([]);
    const state = await loadState(system.ctx, res.body.projectId);
    expect(state.items.get('1')?.status).toBe('ready');
    deletes.mockRestore();
  });

  it('is still owed when the execution has not run yet, and the scheduled job starts it and clears it', async () => {
    // Prepare: the start is committed but never delivered (the process died between the commit and the relay)
    const starts = vi.spyOn(system.engine, 'startExecution').mockResolvedValueOnce(undefined);
    const res = await api.post('/projects', 'agent-wang', projectRegistration({ name: '出箱补发项目' }));
    await system.caughtUp();
    const owed = await outboxOf(system.tableName, res.body.projectId);
    starts.mockRestore();

    // Act: the grace over, the job's run
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const report = await system.runJob();
    await system.caughtUp();

    // Assess
    expect(owed).toHaveLength(1);
    expect(report.outbox).toBe(1);
    expect(await outboxOf(system.tableName, res.body.projectId)).toEqual([]);
    const state = await loadState(system.ctx, res.body.projectId);
    expect(state.items.get('1')?.status).toBe('ready');
  });
});

describe("a registration's first stage", () => {
  let system: Awaited<ReturnType<typeof startTestSystem>>;
  let api: ApiClient;
  beforeAll(async () => {
    system = await startTestSystem();
    api = new ApiClient(system);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('reads the project once: a step not applicable is answered from what its gate said, without a read', async () => {
    // Prepare: with no attributes, a step of the first stage does not apply (and it waits on a prerequisite)
    const reads = vi.spyOn(system.ctx.store, 'loadProject');

    // Act
    const res = await api.post('/projects', 'agent-wang', projectRegistration({ name: '不适用事项项目' }));
    await system.caughtUp();
    const readsOfIt = reads.mock.calls.filter(([id]) => id === res.body.projectId).length;

    // Assess
    const state = await loadState(system.ctx, res.body.projectId);
    const stage = state.chain.stages[0]?.steps ?? [];
    const skipped = stage.filter((s) => state.items.get(s.id)?.status === 'not_applicable');
    expect(skipped.filter((s) => s.prerequisites.length > 0).length).toBeGreaterThan(0);
    expect(readsOfIt).toBe(1);
    const execution = await system.engine.describeExecution({
      name: state.project.execution?.name ?? '',
      chainKey: `${state.chain.id}@${state.chain.version}`,
    });
    expect(execution).toBe('RUNNING');
    reads.mockRestore();
  });
});

describe('the starts a batch of tasks clears', () => {
  const start = (name: string): OutboxSend => ({
    type: 'start_execution',
    name,
    chainKey: 'c@1',
    projectId: 'p',
    stageIndex: 0,
  });
  const entry = (outboxId: string, sends: OutboxSend[]): OutboxEntry => ({
    projectId: 'p',
    outboxId,
    createdAt: '2026-01-01T00:00:00.000Z',
    retryAt: '2026-01-01T00:00:30.000Z',
    attempts: 0,
    sends,
  });
  const task = (execution: string): CallbackTaskInput => ({
    projectId: 'p',
    stepId: '1',
    kind: 'step',
    stageIndex: 0,
    execution,
    taskToken: 't',
  });
  const state = { project: { execution: { name: 'p-s0-g1' } } } as never;

  it('are the entries that only start the execution the tasks belong to', () => {
    // Prepare
    const outbox = [
      entry('mine', [start('p-s0-g1')]),
      entry('older', [start('p-s0-g0')]),
      entry('more', [start('p-s0-g1'), { type: 'stop_execution', name: 'p-s0-g0', chainKey: 'c@1' }]),
    ];

    // Act
    const fromRunning = startsNowRunning(state, outbox, [task('p-s0-g1')]);
    const fromStale = startsNowRunning(state, outbox, [task('p-s0-g0')]);

    // Assess
    expect(fromRunning).toEqual([{ op: 'delete_outbox', projectId: 'p', outboxId: 'mine' }]);
    expect(fromStale).toEqual([]);
  });
});
