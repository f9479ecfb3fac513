import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalSystem } from '../../infra/local/system.js';
import { handleCallbackTask } from '../../shared/app/callback-task.js';
import { silentLogger } from '../../shared/app/logger.js';
import { SERIAL_BLOCK_SIZE } from '../../shared/app/serial-blocks.js';
import { allEvents, allSteps, driveProject, viewProject } from '../support/drive.js';
import {
  anyCommand,
  connectionRefused,
  FaultyDocumentClient,
  FaultyEngine,
  isTransaction,
  scanTable,
  throttled,
  transactionConflict,
} from '../support/faults.js';
import { APPROVAL, projectRegistration, submissionOf } from '../support/fixtures.js';
import { ApiClient, startTestSystem, useTestSystem } from '../support/local-system.js';

type Event = { type: string; stepId?: string; data?: Record<string, unknown> };

/** A system whose store and engine can be made to fail, with a short outbox grace so the job re-sends quickly. */
async function faultySystem() {
  let doc: FaultyDocumentClient | undefined;
  let engine: FaultyEngine | undefined;
  const system = await startTestSystem({
    spine: { outboxGraceSeconds: 1 },
    log: silentLogger,
    retry: { attempts: 3, baseDelayMs: 1 },
    wrapDocumentClient: (inner) => {
      doc = new FaultyDocumentClient(inner);
      return doc;
    },
    wrapEngine: (inner) => {
      engine = new FaultyEngine(inner);
      return engine;
    },
  });
  if (!doc || !engine) throw new Error('the faults were not wired');
  return { system, api: new ApiClient(system), doc, engine };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits out the outbox grace and runs the scheduled job, as its interval would. */
async function runJobLater(system: LocalSystem) {
  await sleep(1100);
  const report = await system.runJob();
  await system.engine.settled();
  return report;
}

describe('signals are delivered at least once', () => {
  let f: Awaited<ReturnType<typeof faultySystem>>;
  beforeAll(async () => {
    f = await faultySystem();
  });
  afterAll(async () => {
    await f.system.stop();
  });

  it('answers a committed decision with 200 when its signal fails, and the relay delivers it later: the project completes', async () => {
    // Prepare
    const projectId = (await f.api.post('/projects', 'agent-wang', projectRegistration())).body.projectId;
    await f.system.engine.settled();
    await f.api.post(`/projects/${projectId}/steps/1/submission`, 'agent-wang', submissionOf('1'));

    // Act: the engine refuses the next signal (the decision's report of step 1)
    f.engine.failures.sendTaskSuccess = 1;
    const decided = await f.api.post(`/projects/${projectId}/steps/1/decision`, 'officer-drc', APPROVAL);
    await f.system.engine.settled();
    const stuck = allSteps(await viewProject(f.api, projectId)).filter((s) => s.status === 'ready');
    const report = await runJobLater(f.system);
    const view = await driveProject(f.system, f.api, projectId);

    // Assess
    expect(decided.status).toBe(200);
    expect(decided.body.step.status).toBe('approved');
    expect(stuck).toEqual([]); // nothing opened while the signal was owed
    expect(report.outbox).toBe(1);
    expect(view.project.status).toBe('completed');
  });

  it('starts the execution of a registration whose StartExecution failed, through the outbox', async () => {
    // Act
    f.engine.failures.startExecution = 1;
    const created = await f.api.post('/projects', 'agent-wang', projectRegistration());
    await f.system.engine.settled();
    const before = allSteps(await viewProject(f.api, created.body.projectId)).find((s) => s.stepId === '1');
    await runJobLater(f.system);
    const after = allSteps(await viewProject(f.api, created.body.projectId)).find((s) => s.stepId === '1');

    // Assess
    expect(created.status).toBe(201);
    expect(before?.status).toBe('pending');
    expect(after?.status).toBe('ready');
  });
});

describe('task handlers are idempotent for every delivery order', () => {
  const t = useTestSystem({ log: silentLogger });
  let projectId: string;
  beforeAll(async () => {
    projectId = (await t.api.post('/projects', 'agent-wang', projectRegistration())).body.projectId;
    await t.system.engine.settled();
  });

  const execution = () => `${projectId}-s0-g1`;
  const delivery = (stepId: string, kind: 'step' | 'gate', token: string) => ({
    projectId,
    stepId,
    kind,
    stageIndex: 0,
    execution: execution(),
    taskToken: token,
  });

  it('changes nothing on duplicate, late, early and stale deliveries, and fails no execution', async () => {
    // Prepare: the tokens the engine really waits on (a redelivery carries the same token)
    const eventsBefore = await allEvents<Event>(t.api, projectId);
    const ctx = t.system.ctx;
    const tokens = (await ctx.store.loadProject(projectId))?.tokens;
    const stepToken = tokens?.get('1')?.task?.token ?? '';
    const gateToken = tokens?.get('2')?.gate?.token ?? '';

    // Act: step 1 delivered twice at once and once more (duplicates); step 2 before its gate opened (early);
    // its gate delivered again (late); a task of an execution the project does not expect (stale)
    await Promise.all([
      handleCallbackTask(ctx, delivery('1', 'step', stepToken)),
      handleCallbackTask(ctx, delivery('1', 'step', stepToken)),
    ]);
    await handleCallbackTask(ctx, delivery('1', 'step', stepToken));
    await handleCallbackTask(ctx, delivery('2', 'step', 'early-token'));
    await handleCallbackTask(ctx, delivery('2', 'gate', gateToken));
    await handleCallbackTask(ctx, { ...delivery('1', 'step', 'stale'), execution: `${projectId}-s0-g9` });
    await t.system.engine.settled();

    // Assess
    const eventsAfter = await allEvents<Event>(t.api, projectId);
    expect(eventsAfter).toEqual(eventsBefore);
    const steps = allSteps(await viewProject(t.api, projectId));
    expect(steps.find((s) => s.stepId === '1')?.status).toBe('ready');
    expect(steps.find((s) => s.stepId === '2')?.status).toBe('pending');
    expect(
      await t.system.engine.describeExecution({ name: execution(), chainKey: 'industrial-enterprise@1' }),
    ).toBe('RUNNING');
    // and the project still completes
    expect((await driveProject(t.system, t.api, projectId)).project.status).toBe('completed');
  });
});

describe('returned, re-applied, withdrawn', () => {
  const t = useTestSystem({ log: silentLogger });

  async function rejectedAtStep7(): Promise<string> {
    const projectId = (await t.api.post('/projects', 'agent-wang', projectRegistration())).body.projectId;
    await driveProject(t.system, t.api, projectId, {
      stop: (view) => allSteps(view).some((s) => s.stepId === '7' && s.status === 'ready'),
    });
    await t.api.post(`/projects/${projectId}/steps/7/submission`, 'agent-wang', submissionOf('7'));
    const rejected = await t.api.post(`/projects/${projectId}/steps/7/decision`, 'officer-env', {
      outcome: 'rejected',
      legalBasis: '《建设项目环境保护管理条例》第十一条',
      reason: '项目选址位于饮用水水源二级保护区',
    });
    expect(rejected.status).toBe(200);
    await t.system.engine.settled();
    return projectId;
  }

  it('re-applies a rejected step as a new round and completes the project; the record keeps the rejection', async () => {
    // Prepare
    const projectId = await rejectedAtStep7();
    const returned = (await viewProject(t.api, projectId)).project.status;

    // Act
    const refused = await t.api.post(`/projects/${projectId}/steps/7/reapplication`, 'agent-li', {});
    const reapplied = await t.api.post(`/projects/${projectId}/steps/7/reapplication`, 'agent-wang', {
      note: '已调整选址',
    });
    await t.system.engine.settled();
    const view = await driveProject(t.system, t.api, projectId);
    const events = await allEvents<Event>(t.api, projectId);

    // Assess
    expect(returned).toBe('returned');
    expect(refused.status).toBe(404);
    expect(reapplied.status).toBe(200);
    expect(reapplied.body.step).toMatchObject({ status: 'ready', round: 2 });
    expect(reapplied.body.step.earlierRounds).toEqual([
      expect.objectContaining({
        round: 1,
        outcome: 'rejected',
        legalBasis: '《建设项目环境保护管理条例》第十一条',
      }),
    ]);
    expect(view.project.status).toBe('completed');
    const types = events.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['project_returned', 'step_reapplied', 'project_reactivated']),
    );
    expect(events.filter((e) => e.stepId === '7' && e.type === 'step_decided')).toHaveLength(2);
  });

  it('withdraws a returned project: every open step closed as withdrawn, the execution ended', async () => {
    // Prepare
    const projectId = await rejectedAtStep7();
    const execution = (await viewProject(t.api, projectId)).project as unknown as {
      execution: { name: string };
    };

    // Act
    const withdrawn = await t.api.post(`/projects/${projectId}/withdrawal`, 'leader-zhang', {
      reason: '企业决定终止投资',
    });
    await t.system.engine.settled();
    const view = await viewProject(t.api, projectId);
    const again = await t.api.post(`/projects/${projectId}/withdrawal`, 'leader-zhang', { reason: '再次' });

    // Assess
    expect(withdrawn.status).toBe(200);
    expect(view.project.status).toBe('withdrawn');
    const statuses = new Set(allSteps(view).map((s) => s.status));
    expect(
      [...statuses].every((s) => ['approved', 'not_applicable', 'rejected', 'withdrawn'].includes(s)),
    ).toBe(true);
    expect(statuses.has('withdrawn')).toBe(true);
    expect(
      await t.system.engine.describeExecution({
        name: execution.execution.name,
        chainKey: 'industrial-enterprise@1',
      }),
    ).not.toBe('RUNNING');
    expect(again.status).toBe(409);
    const events = await allEvents<Event>(t.api, projectId);
    expect(events.at(-1)).toMatchObject({ type: 'project_withdrawn', data: { reason: '企业决定终止投资' } });
  });
});

describe('registration is all or nothing', () => {
  let f: Awaited<ReturnType<typeof faultySystem>>;
  beforeAll(async () => {
    f = await faultySystem();
  });
  afterAll(async () => {
    await f.system.stop();
  });

  it.each([
    ['an investment DynamoDB cannot store (5e-324)', { investmentCny: 5e-324 }, /body\.investmentCny/],
    ['an attribute DynamoDB cannot store (1e308)', { attributes: { siteAreaM2: 1e308 } }, /siteAreaM2/],
    ['an unknown attribute', { attributes: { floors: 3 } }, /unknown attribute 'floors'/],
  ])('refuses %s with a 400 naming the field, and writes nothing', async (_what, overrides, message) => {
    // Prepare
    const before = await scanTable(f.system.tableName);

    // Act
    const res = await f.api.post('/projects', 'agent-wang', projectRegistration(overrides));

    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(await scanTable(f.system.tableName)).toEqual(before);
  });

  it('writes nothing but the serials it may have drawn when its transaction fails (codes are unique, not gapless)', async () => {
    // Prepare
    const isCounter = (item: Record<string, unknown>) => String(item.PK).startsWith('COUNTER#project-code#');
    const before = await scanTable(f.system.tableName);
    const serialBefore = Number(before.find(isCounter)?.value ?? 0);
    f.doc.fail(isTransaction, transactionConflict, Number.POSITIVE_INFINITY);

    // Act
    const res = await f.api.post('/projects', 'agent-wang', projectRegistration());
    f.doc.heal();

    // Assess
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('STORE.BUSY');
    const after = await scanTable(f.system.tableName);
    expect(after.filter((i) => !isCounter(i))).toEqual(before.filter((i) => !isCounter(i)));
    // the serial came from the process's block, or from a new block it drew
    expect([serialBefore, serialBefore + SERIAL_BLOCK_SIZE]).toContain(Number(after.find(isCounter)?.value));
  });

  it('honours an Idempotency-Key: a repeat gets the first answer and creates nothing; another body gets 422', async () => {
    // Prepare
    const key = { 'Idempotency-Key': 'register-7c1e0b0e' };
    const body = projectRegistration({ name: '幂等登记项目' });

    // Act
    const first = await f.api.call('POST', '/projects', 'agent-wang', body, key);
    // the first stage's handlers write the project too (its workbench summary): the table is read once they ran
    await vi.waitFor(
      async () => {
        const view = await viewProject(f.api, first.body.projectId);
        expect(allSteps(view).find((s) => s.stepId === '1')?.status).toBe('ready');
      },
      { timeout: 20_000, interval: 100 },
    );
    const afterFirst = await scanTable(f.system.tableName);
    const repeat = await f.api.call('POST', '/projects', 'agent-wang', body, key);
    const other = await f.api.call('POST', '/projects', 'agent-wang', { ...body, name: '另一个项目' }, key);

    // Assess
    expect(first.status).toBe(201);
    expect(repeat.status).toBe(201);
    expect(repeat.body).toEqual(first.body);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY.KEY_REUSED');
    const projects = (await scanTable(f.system.tableName)).filter((i) => i.SK === 'PROJECT');
    expect(projects.filter((p) => p.name === '幂等登记项目')).toHaveLength(1);
    expect(projects.filter((p) => p.name === '另一个项目')).toHaveLength(0);
    expect((await scanTable(f.system.tableName)).filter((i) => i.SK === 'PROJECT')).toEqual(
      afterFirst.filter((i) => i.SK === 'PROJECT'),
    );
  });

  it('refuses a chain version with no state machine before writing anything', async () => {
    // Prepare: a version put straight into the table, never published (no machine)
    const chain = await f.system.ctx.chains.latest('industrial-enterprise');
    await f.system.ctx.store.putChain({ ...chain, version: chain.version + 1 });
    const before = await scanTable(f.system.tableName);

    // Act
    const res = await f.api.post('/projects', 'agent-wang', projectRegistration());

    // Assess
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CHAIN.NOT_DEPLOYED');
    expect(await scanTable(f.system.tableName)).toEqual(before);
  });
});

describe('conflicts and outages are answers, not crashes', () => {
  let f: Awaited<ReturnType<typeof faultySystem>>;
  let projectId: string;
  beforeAll(async () => {
    f = await faultySystem();
    projectId = (await f.api.post('/projects', 'agent-wang', projectRegistration())).body.projectId;
    await f.system.engine.settled();
    await f.api.post(`/projects/${projectId}/steps/1/submission`, 'agent-wang', submissionOf('1'));
  });
  afterAll(async () => {
    await f.system.stop();
  });

  it('retries a transaction DynamoDB cancelled for a conflict, and the decision lands once', async () => {
    // Prepare
    f.doc.fail(isTransaction, transactionConflict, 2);

    // Act
    const res = await f.api.post(`/projects/${projectId}/steps/1/decision`, 'officer-drc', APPROVAL);
    await f.system.engine.settled();

    // Assess
    expect(res.status).toBe(200);
    const events = await allEvents<Event>(f.api, projectId);
    expect(events.filter((e) => e.stepId === '1' && e.type === 'step_decided')).toHaveLength(1);
  });

  it('answers 503 with Retry-After while DynamoDB throttles, and writes nothing', async () => {
    // Prepare
    await driveProject(f.system, f.api, projectId, {
      stop: (view) => allSteps(view).some((s) => s.stepId === '2' && s.status === 'ready'),
    });
    const before = await scanTable(f.system.tableName);
    f.doc.fail(isTransaction, throttled, Number.POSITIVE_INFINITY);

    // Act
    const res = await f.api.post(
      `/projects/${projectId}/steps/2/submission`,
      'agent-wang',
      submissionOf('2'),
    );
    f.doc.heal();

    // Assess
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('STORE.THROTTLED');
    expect(await scanTable(f.system.tableName)).toEqual(before);
  });

  it('answers 503 with a message that says so while the database does not answer, and /health says which', async () => {
    // Prepare
    f.doc.fail(anyCommand, connectionRefused, Number.POSITIVE_INFINITY);

    // Act
    const read = await f.system.app.request(`/projects/${projectId}`, {
      headers: {
        authorization: `Bearer ${await f.system.tokens.issue({ userId: 'leader-zhang', name: '张主任', role: 'leader' })}`,
      },
    });
    const health = await f.system.app.request('/health');
    f.doc.heal();
    const healthy = await f.system.app.request('/health');

    // Assess
    expect(read.status).toBe(503);
    expect(read.headers.get('retry-after')).toBe('5');
    expect(((await read.json()) as { error: { message: string } }).error.message).toMatch(
      /database is not answering/,
    );
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unavailable', database: 'down', engine: 'ok' });
    expect(healthy.status).toBe(200);
  });
});

describe('chain versions published at run time', () => {
  const t = useTestSystem({ log: silentLogger });

  it('publishes a validated version with its state machine, and runs a project on it', async () => {
    // Prepare
    const chain = (await t.system.ctx.chains.latest('industrial-enterprise')) as unknown as Record<
      string,
      unknown
    >;
    const next = { ...chain, version: 7, name: '企业投资工业项目审批流程（2027版）' };
    const cyclic = {
      ...next,
      version: 8,
      stages: [
        {
          id: 'only',
          name: '唯一阶段',
          nameEn: 'Only',
          leadDepartmentId: 'DRC',
          steps: [
            { ...stepOf(chain, '1'), id: 'a', prerequisites: ['b'] },
            { ...stepOf(chain, '1'), id: 'b', prerequisites: ['a'] },
          ],
        },
      ],
    };

    // Act
    const byOfficer = await t.api.post('/chains', 'officer-drc', next);
    const invalid = await t.api.post('/chains', 'admin', cyclic);
    const published = await t.api.post('/chains', 'admin', next);
    const again = await t.api.post('/chains', 'admin', next);
    const created = await t.api.post('/projects', 'agent-wang', projectRegistration());
    const view = await driveProject(t.system, t.api, created.body.projectId);

    // Assess
    expect(byOfficer.status).toBe(403);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toContain('互为前置: step a ↔ step b');
    expect(published.status).toBe(201);
    expect(published.body.key).toBe('industrial-enterprise@7');
    expect(again.status).toBe(409);
    expect(created.body.project.chainVersion).toBe(7);
    expect(view.project.status).toBe('completed');
  });
});

function stepOf(chain: Record<string, unknown>, stepId: string): Record<string, unknown> {
  const stages = chain.stages as Array<{ steps: Array<Record<string, unknown>> }>;
  const step = stages.flatMap((s) => s.steps).find((s) => s.id === stepId);
  if (!step) throw new Error(`no step ${stepId}`);
  return step;
}
