import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { approvalOf, driveOverHttp } from '../../infra/local/drive-over-http.js';
import { submitStep } from '../../shared/app/step-actions.js';
import type { Principal } from '../../shared/domain/principal.js';
import { projectRegistration, submissionOf } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

/**
 * The state an answer describes is the state the next request sees: a step an answer opened (a registration's first
 * stage, a decision passing a prerequisite or ending a stage) takes a submit at once, although the engine's task
 * handlers open it a moment after the answer.
 *
 * To make the race certain, the engine's task handlers are held until the submit has read the project once:
 * without the wait, that read finds the step still pending and the submit is refused.
 */
describe('read-your-writes: a step an answer opened takes a submit at once', () => {
  // The engine's task handlers run through a gate the tests may close (a held engine, as a busy one would be).
  let gate: Promise<void> = Promise.resolve();
  const t = {} as { system: Awaited<ReturnType<typeof startTestSystem>>; api: ApiClient };
  beforeAll(async () => {
    t.system = await startTestSystem({ aroundTasks: (run) => gate.then(run) });
    t.api = new ApiClient(t.system);
  });
  afterAll(async () => {
    await t.system?.stop();
  });

  /** Holds the engine's task handlers from now on; `untilNextRead` lets them go once a project is read again. */
  function holdTasks(): { untilNextRead: () => void; restore: () => void } {
    let release!: () => void;
    gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let loads: { mockRestore: () => void } | undefined;
    return {
      untilNextRead: () => {
        const { store } = t.system.ctx;
        const load = store.loadProject.bind(store);
        loads = vi.spyOn(store, 'loadProject').mockImplementation(async (...args) => {
          const record = await load(...args);
          release();
          return record;
        });
      },
      restore: () => {
        release();
        loads?.mockRestore();
      },
    };
  }

  const submit = (projectId: string, stepId: string) =>
    t.api.post(`/projects/${projectId}/steps/${stepId}/submission`, 'agent-wang', submissionOf(stepId));

  /**
   * A project registered and settled, its step 1 submitted, then approved by the DRC while the engine's task
   * handlers are held (what the approval opens is not opened yet).
   */
  async function stepOneDecidedWhileHeld(registration: Parameters<typeof projectRegistration>[0]) {
    const registered = await t.api.post('/projects', 'agent-wang', projectRegistration(registration));
    const projectId = registered.body.projectId as string;
    await t.system.caughtUp();
    const first = await submit(projectId, '1');
    await t.system.caughtUp();
    const hold = holdTasks();
    const decided = await t.api.post(
      `/projects/${projectId}/steps/1/decision`,
      'officer-drc',
      approvalOf('DRC', '1', first.body.step.submittedAt),
    );
    return { projectId, hold, decided };
  }

  it('after POST /projects answered 201, step 1 is submitted at once (no 409 STEP.NOT_READY)', async () => {
    // Prepare
    const hold = holdTasks();
    const registered = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '即写即读项目' }),
    );

    // Act
    hold.untilNextRead();
    const submitted = await submit(registered.body.projectId, '1');
    hold.restore();

    // Assess
    expect(registered.status).toBe(201);
    expect(submitted.status).toBe(200);
    expect(submitted.body.step.status).toBe('in_review');
  });

  it('after a decision passes a prerequisite, the step it opens is submitted at once', async () => {
    // Prepare
    const { projectId, hold, decided } = await stepOneDecidedWhileHeld({ name: '前置放行项目' });

    // Act
    hold.untilNextRead();
    const submitted = await submit(projectId, '2');
    hold.restore();

    // Assess
    expect(decided.status).toBe(200);
    expect(submitted.status).toBe(200);
    expect(submitted.body.step.status).toBe('in_review');
  });

  it('after the decision that ends a stage, a first step of the next stage is submitted at once', async () => {
    // Prepare: every step of stage 1 passed but step 5, left in review
    const registered = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '阶段衔接项目' }),
    );
    const projectId = registered.body.projectId;
    const view = await driveOverHttp(t.api, () => t.system.caughtUp(), projectId, { leave: ['5'] });
    const last = view.stages[0]?.steps.find((s) => s.stepId === '5');
    const hold = holdTasks();
    const decided = await t.api.post(
      `/projects/${projectId}/steps/5/decision`,
      `officer-${(last?.departmentId ?? '').toLowerCase()}`,
      approvalOf(last?.departmentId ?? '', '5', last?.submittedAt),
    );

    // Act
    hold.untilNextRead();
    const submitted = await submit(projectId, '15');
    hold.restore();

    // Assess
    expect(last?.status).toBe('in_review');
    expect(decided.status).toBe(200);
    expect(submitted.status).toBe(200);
    expect(submitted.body.step.status).toBe('in_review');
  });

  it('GET right after the 201 marks the steps the registration opened as opening, and the 201 names them', async () => {
    // Prepare: the engine's task handlers held, so nothing but the registration's own transaction has run
    const hold = holdTasks();

    // Act
    const registered = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '即看即得项目' }),
    );
    const seen = await t.api.get(`/projects/${registered.body.projectId}`, 'agent-wang');
    hold.restore();
    await t.system.caughtUp();
    const settled = await t.api.get(`/projects/${registered.body.projectId}`, 'agent-wang');

    // Assess
    const stepOf = (view: typeof seen, stepId: string) =>
      view.body.stages[0].steps.find((s: { stepId: string }) => s.stepId === stepId);
    expect(registered.body.opening).toContain('1');
    expect(registered.body.opening).not.toContain('2');
    expect(stepOf(seen, '1')).toMatchObject({ status: 'pending', opening: true });
    expect(stepOf(seen, '2')).toMatchObject({ status: 'pending' });
    expect(stepOf(seen, '2').opening).toBeUndefined();
    expect(stepOf(settled, '1').status).toBe('ready');
    expect(stepOf(settled, '1').opening).toBeUndefined();
  });

  it('after a decision opens an upper-level step, a batch takes it at once (no 409 BATCH.STEP_NOT_READY)', async () => {
    // Prepare: a large project (its EIA, step 7, sits with the city)
    const { projectId, hold, decided } = await stepOneDecidedWhileHeld({
      name: '即批即运项目',
      attributes: { eiaReportBook: true },
    });

    // Act
    hold.untilNextRead();
    const assembled = await t.api.post('/batches', 'agent-wang', {
      departmentId: 'ENV_CITY',
      items: [{ projectId, stepId: '7' }],
    });
    hold.restore();

    // Assess
    expect(decided.status).toBe(200);
    expect(assembled.status).toBe(201);
  });

  it('a step that cannot open by itself is refused at once; one the engine has not opened, after the bound', async () => {
    // Prepare
    const registered = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '不等待项目' }),
    );
    const projectId = registered.body.projectId;
    await t.system.caughtUp();
    const agent: Principal = { userId: 'agent-wang', name: '王代办', role: 'agent' };

    // Act: step 2 waits on step 1 (nothing opens it by itself: no wait); step 1 of a held stage, no time to wait
    const waiting = await submit(projectId, '2');
    const hold = holdTasks();
    const other = await t.api.post('/projects', 'agent-wang', projectRegistration({ name: '引擎未到项目' }));
    hold.untilNextRead();
    const bounded = await submitStep(t.system.ctx, agent, other.body.projectId, '1', submissionOf('1'), {
      waitMs: 0,
    }).catch((error: unknown) => error);
    hold.restore();

    // Assess
    expect(waiting.status).toBe(409);
    expect(waiting.body.error.message).toMatch(/prerequisites are not all approved/);
    expect(bounded).toMatchObject({
      code: 'STEP.NOT_READY',
      message: expect.stringMatching(/being opened.*retry in a moment/),
    });
  });
});
