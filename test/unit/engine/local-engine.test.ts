import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Chain, chainKey } from '../../../shared/domain/chain.js';
import { LocalWorkflowEngine } from '../../../shared/engine/local-engine.js';
import { installLongTimerGuard, LongTimeout } from '../../../shared/engine/long-timers.js';
import { chainToAslJson } from '../../../shared/workflow/asl.js';
import type {
  CallbackTaskInput,
  FinishStageInput,
  StepTaskOutcome,
} from '../../../shared/workflow/task-contract.js';
import { twoStageChain } from '../../support/chain-fixtures.js';

const fixtureChain: Chain = twoStageChain(1);
const CHAIN_KEY = chainKey(fixtureChain);

const engines: LocalWorkflowEngine[] = [];
afterEach(() => {
  for (const engine of engines.splice(0)) engine.stop();
});

type HarnessOptions = {
  /** `<stepId>` or `<stepId>-gate` whose handler throws (every time, or the first `times` times). */
  throwsAt?: string;
  times?: number;
  /** Steps already decided: their handler signals the outcome at once (replay). */
  decided?: Record<string, StepTaskOutcome>;
};

const nameOf = (projectId: string, stage = 0, generation = 1) => `${projectId}-s${stage}-g${generation}`;

/** The engine on the fixture chain with handlers that record calls; tests decide steps through the engine. */
function harness(options: HarnessOptions = {}) {
  const calls: CallbackTaskInput[] = [];
  const finished: FinishStageInput[] = [];
  const failures: Array<{ name: string; error: unknown }> = [];
  let throws = options.times ?? Number.POSITIVE_INFINITY;
  const engine = new LocalWorkflowEngine({
    definitions: { [CHAIN_KEY]: chainToAslJson(fixtureChain) },
    onExecutionFailed: (execution, error) => failures.push({ name: execution.name, error }),
    retryDelayMs: 1,
  });
  engines.push(engine);
  const stateOf = (call: CallbackTaskInput) => (call.kind === 'gate' ? `${call.stepId}-gate` : call.stepId);
  engine.bindHandlers({
    async callbackTask(input) {
      calls.push(input);
      if (options.throwsAt === stateOf(input) && throws > 0) {
        throws -= 1;
        throw new Error('the handler broke');
      }
      const outcome = input.kind === 'step' ? options.decided?.[input.stepId] : undefined;
      if (outcome) await engine.sendTaskSuccess(input.taskToken, { stepId: input.stepId, outcome });
    },
    async finishStage(input) {
      finished.push(input);
    },
  });

  const opened = (execution = nameOf('p1')) => calls.filter((c) => c.execution === execution).map(stateOf);
  const tokenOf = (state: string, execution = nameOf('p1')) => {
    const call = calls.findLast((c) => c.execution === execution && stateOf(c) === state);
    if (!call) throw new Error(`${state} was never called for ${execution}`);
    return call.taskToken;
  };
  const start = async (projectId = 'p1', stageIndex = 0, generation = 1) => {
    await engine.startExecution({
      name: nameOf(projectId, stageIndex, generation),
      chainKey: CHAIN_KEY,
      input: { projectId, stageIndex },
    });
    await engine.settled();
  };
  const decide = async (stepId: string, outcome: StepTaskOutcome = 'approved', execution = nameOf('p1')) => {
    expect(await engine.sendTaskSuccess(tokenOf(stepId, execution), { stepId, outcome })).toBe(true);
    await engine.settled();
  };
  const openGate = async (stepId: string, execution = nameOf('p1')) => {
    expect(await engine.sendTaskSuccess(tokenOf(`${stepId}-gate`, execution), { stepId, open: true })).toBe(
      true,
    );
    await engine.settled();
  };
  const status = (execution = nameOf('p1')) =>
    engine.describeExecution({ name: execution, chainKey: CHAIN_KEY });
  return { engine, calls, finished, failures, opened, tokenOf, start, decide, openGate, status };
}

describe('LocalWorkflowEngine', () => {
  it('runs the stage named in the input: its ungated steps and the gates of the others', async () => {
    // Prepare
    const h = harness();

    // Act
    await h.start();

    // Assess
    expect(h.opened().sort()).toEqual(['1a', '1b', '1c-gate']);
    expect(h.calls.every((c) => c.stageIndex === 0 && c.taskToken.startsWith('local:p1-s0-g1:'))).toBe(true);
    expect(await h.status()).toBe('RUNNING');
    expect(h.engine.waitingTokens()).toBe(3);
  });

  it('opens a gated step only after its gate is signalled', async () => {
    // Prepare
    const h = harness();
    await h.start();
    await h.decide('1a');
    await h.decide('1b');
    expect(h.opened()).not.toContain('1c');

    // Act
    await h.openGate('1c');

    // Assess
    expect(h.opened()).toContain('1c');
  });

  it('ends a stage with StageCompleted once every step passed, and runs only that stage', async () => {
    // Prepare
    const h = harness();
    await h.start();
    await h.decide('1a');
    await h.decide('1b', 'not_applicable');
    await h.openGate('1c');

    // Act
    await h.decide('1c', 'approved_with_conditions');

    // Assess
    expect(h.finished).toEqual([
      { projectId: 'p1', execution: 'p1-s0-g1', stageIndex: 0, outcome: 'stage_completed' },
    ]);
    expect(await h.status()).toBe('SUCCEEDED');
    expect(h.calls.filter((c) => c.stageIndex === 1)).toEqual([]);
  });

  it('runs a later stage in an execution of its own', async () => {
    // Prepare
    const h = harness();

    // Act
    await h.start('p1', 1);

    // Assess
    expect(h.opened(nameOf('p1', 1)).sort()).toEqual(['2a', '2b-gate']);
    await h.decide('2a', 'deemed_approved', nameOf('p1', 1));
    await h.openGate('2b', nameOf('p1', 1));
    await h.decide('2b', 'approved', nameOf('p1', 1));
    expect(h.finished.at(-1)).toMatchObject({ stageIndex: 1, outcome: 'stage_completed' });
  });

  it('keeps sibling steps waiting after a rejection, then ends at ProjectReturned', async () => {
    // Prepare
    const h = harness();
    await h.start();

    // Act
    await h.decide('1a', 'rejected');

    // Assess: siblings are not cancelled
    expect(await h.status()).toBe('RUNNING');
    expect(h.engine.waitingTokens()).toBe(2);
    expect(h.finished).toEqual([]);

    // Act: the decision path closes the rest (1c is blocked by its rejected prerequisite)
    await h.decide('1b');
    await h.openGate('1c');
    await h.decide('1c', 'blocked');

    // Assess
    expect(h.finished).toEqual([
      { projectId: 'p1', execution: 'p1-s0-g1', stageIndex: 0, outcome: 'returned' },
    ]);
    expect(await h.status()).toBe('SUCCEEDED');
  });

  it('tries a handler that fails again (its token is the same: a task has one per execution), and the step opens', async () => {
    // Prepare
    const h = harness({ throwsAt: '1b', times: 2 });

    // Act
    await h.start();
    await new Promise((r) => setTimeout(r, 50));
    await h.engine.settled();

    // Assess: three calls of 1b, the last one waits
    expect(h.opened().filter((s) => s === '1b')).toHaveLength(3);
    expect(h.engine.waitingTokens()).toBe(3);
    expect(await h.status()).toBe('RUNNING');
  });

  it('fails the execution at StepTaskFailed when a handler keeps failing, without cancelling its siblings', async () => {
    // Prepare
    const h = harness({ throwsAt: '1b' });

    // Act
    await h.start();
    await new Promise((r) => setTimeout(r, 100));
    await h.engine.settled();
    await h.decide('1a');
    await h.openGate('1c');
    await h.decide('1c');

    // Assess
    expect(await h.status()).toBe('FAILED');
    expect(h.finished).toEqual([]);
    expect(h.failures).toHaveLength(1);
    expect(h.failures[0]?.name).toBe('p1-s0-g1');
    expect(h.failures[0]?.error).toMatchObject({ cause: { name: 'Daiban.StepTaskFailed' } });
  });

  it('lets a handler signal its token at once when the step is already decided (replay)', async () => {
    // Prepare
    const h = harness({ decided: { '1a': 'approved', '1b': 'approved' } });

    // Act
    await h.start();

    // Assess
    expect(h.engine.waitingTokens()).toBe(1);
    expect(h.opened().sort()).toEqual(['1a', '1b', '1c-gate']);
  });

  it('answers false for a token that is unknown or already signalled', async () => {
    // Prepare
    const h = harness();
    await h.start();
    const token = h.tokenOf('1a');
    await h.decide('1a');

    // Act
    const again = await h.engine.sendTaskSuccess(token, { stepId: '1a', outcome: 'approved' });
    const unknown = await h.engine.sendTaskFailure('local:p1-s0-g1:1a:nope', 'X', 'y');

    // Assess
    expect(again).toBe(false);
    expect(unknown).toBe(false);
  });

  it('starts an execution once however often its name is asked for, even after it ended', async () => {
    // Prepare
    const h = harness();
    await h.start();
    await h.start();
    await h.decide('1a', 'rejected');
    await h.decide('1b');
    await h.openGate('1c');
    await h.decide('1c', 'blocked');
    const callsBefore = h.calls.length;

    // Act
    await h.start();

    // Assess
    expect(await h.status()).toBe('SUCCEEDED');
    expect(h.calls).toHaveLength(callsBefore);
  });

  it('stops an execution and runs the next generation beside it, the old tokens void', async () => {
    // Prepare
    const h = harness();
    await h.start();
    const oldToken = h.tokenOf('1a');

    // Act
    await h.engine.stopExecution({ name: nameOf('p1'), chainKey: CHAIN_KEY });
    await h.engine.settled();
    await h.start('p1', 0, 2);

    // Assess
    expect(await h.status()).toBe('ABORTED');
    expect(await h.status(nameOf('p1', 0, 2))).toBe('RUNNING');
    expect(await h.engine.sendTaskSuccess(oldToken, { stepId: '1a', outcome: 'approved' })).toBe(false);
    expect(h.engine.waitingTokens()).toBe(3);
  });

  it('says NOT_FOUND for an execution it never started (after a restart, every one)', async () => {
    // Prepare
    const h = harness();

    // Act + Assess
    expect(await h.status('p9-s0-g1')).toBe('NOT_FOUND');
  });

  it('runs several projects independently', async () => {
    // Prepare
    const h = harness();
    await h.start('p1');
    await h.start('p2');

    // Act
    await h.decide('1a', 'rejected');
    await h.decide('1b', 'approved');
    await h.openGate('1c');
    await h.decide('1c', 'blocked');

    // Assess
    expect(await h.status()).toBe('SUCCEEDED');
    expect(await h.status(nameOf('p2'))).toBe('RUNNING');
    expect(h.finished.map((f) => f.projectId)).toEqual(['p1']);
  });

  it('forgets every token and refuses new work once stopped', async () => {
    // Prepare
    const h = harness();
    await h.start();
    const token = h.tokenOf('1a');

    // Act
    h.engine.stop();
    await h.engine.settled();

    // Assess
    expect(await h.engine.sendTaskSuccess(token, { stepId: '1a', outcome: 'approved' })).toBe(false);
    expect(h.engine.waitingTokens()).toBe(0);
    expect(await h.status()).toBe('ABORTED');
    expect(h.failures).toEqual([]);
    expect(h.engine.running).toBe(false);
    await expect(
      h.engine.startExecution({
        name: 'p2-s0-g1',
        chainKey: CHAIN_KEY,
        input: { projectId: 'p2', stageIndex: 0 },
      }),
    ).rejects.toThrow(/stopped/);
  });

  it('loads a chain version published after it started', async () => {
    // Prepare
    const h = harness();
    expect(await h.engine.hasChain('test-chain@2')).toBe(false);

    // Act
    await h.engine.deployChain(twoStageChain(2));

    // Assess
    expect(await h.engine.hasChain('test-chain@2')).toBe(true);
  });

  it('rejects an unknown chain key', async () => {
    // Prepare
    const h = harness();

    // Act + Assess
    await expect(
      h.engine.startExecution({
        name: 'p1-s0-g1',
        chainKey: 'nope@1',
        input: { projectId: 'p1', stageIndex: 0 },
      }),
    ).rejects.toThrow(/nope@1/);
  });

  it('refuses a definition with a Task it cannot run locally', () => {
    // Prepare
    const definition = JSON.stringify({
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: {}, End: true } },
    });

    // Act + Assess
    expect(() => new LocalWorkflowEngine({ definitions: { 'x@1': definition } })).toThrow(/"Call"/);
  });
});

describe('installLongTimerGuard', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps a timer longer than 2^31-1 ms from firing early, and fires it when due', () => {
    // Prepare
    vi.useFakeTimers();
    installLongTimerGuard();
    const fired = vi.fn();

    // Act
    setTimeout(fired, 3e9);
    vi.advanceTimersByTime(1);
    const afterOneMs = fired.mock.calls.length;
    vi.advanceTimersByTime(3e9 - 2);
    const justBefore = fired.mock.calls.length;
    vi.advanceTimersByTime(1);

    // Assess
    expect(afterOneMs).toBe(0);
    expect(justBefore).toBe(0);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('cancels a long timer through clearTimeout', () => {
    // Prepare
    vi.useFakeTimers();
    installLongTimerGuard();
    const fired = vi.fn();
    const handle = setTimeout(fired, 5e9);

    // Act
    vi.advanceTimersByTime(3e9);
    clearTimeout(handle);
    vi.advanceTimersByTime(3e9);

    // Assess
    expect(handle).toBeInstanceOf(LongTimeout);
    expect(fired).not.toHaveBeenCalled();
  });

  it('leaves ordinary timers alone', () => {
    // Prepare
    installLongTimerGuard();
    installLongTimerGuard();

    // Act
    const handle = setTimeout(() => {}, 1000);
    clearTimeout(handle);

    // Assess
    expect(handle).not.toBeInstanceOf(LongTimeout);
    expect(typeof handle.ref).toBe('function');
    expect(handle.constructor.name).toBe('Timeout');
  });
});
