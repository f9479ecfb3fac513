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
  /** see `LocalWorkflowEngineOptions` */
  maxResident?: number;
};

const nameOf = (projectId: string, stage = 0, generation = 1) => `${projectId}-s${stage}-g${generation}`;

/** The engine on the fixture chain with handlers that record calls; tests decide steps through the engine. */
function harness(options: HarnessOptions = {}) {
  const calls: CallbackTaskInput[] = [];
  const finished: FinishStageInput[] = [];
  const failures: Array<{ name: string; error: unknown }> = [];
  let throws = options.times ?? Number.POSITIVE_INFINITY;
  // What "DynamoDB" holds: decided steps and open gates, which a replay signals at once.
  const decided: Record<string, StepTaskOutcome> = { ...options.decided };
  const openGates = new Set<string>();
  /** what the handlers' own signals (replays) were answered */
  const replaySignals: boolean[] = [];
  const engine = new LocalWorkflowEngine({
    definitions: { [CHAIN_KEY]: chainToAslJson(fixtureChain) },
    onExecutionFailed: (execution, error) => failures.push({ name: execution.name, error }),
    retryDelayMs: 1,
    ...(options.maxResident !== undefined ? { maxResident: options.maxResident, idleMs: 0 } : {}),
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
      const outcome = input.kind === 'step' ? decided[input.stepId] : undefined;
      if (outcome) {
        replaySignals.push(await engine.sendTaskSuccess(input.taskToken, { stepId: input.stepId, outcome }));
      }
      if (input.kind === 'gate' && openGates.has(input.stepId)) {
        replaySignals.push(
          await engine.sendTaskSuccess(input.taskToken, { stepId: input.stepId, open: true }),
        );
      }
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
  const park = (projectId = 'p1', stageIndex = 0, generation = 1) =>
    engine.park({
      name: nameOf(projectId, stageIndex, generation),
      chainKey: CHAIN_KEY,
      input: { projectId, stageIndex },
    });
  /** a signal as the outbox relay sends it once the decision is stored: the token is the deterministic one */
  const signal = (stepId: string, outcome: StepTaskOutcome = 'approved', execution = nameOf('p1')) => {
    decided[stepId] = outcome;
    return engine.sendTaskSuccess(`local:${execution}:${stepId}`, { stepId, outcome });
  };
  return {
    engine,
    calls,
    finished,
    failures,
    opened,
    tokenOf,
    start,
    decide,
    openGate,
    status,
    park,
    signal,
    decided,
    openGates,
    replaySignals,
  };
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

describe('LocalWorkflowEngine: parked executions', () => {
  it('says RUNNING for a parked execution without running anything of it', async () => {
    // Prepare
    const h = harness();

    // Act
    h.park();
    await h.engine.settled();

    // Assess
    expect(await h.status()).toBe('RUNNING');
    expect(h.calls).toEqual([]);
    expect(h.engine.counts()).toEqual({ resident: 0, parked: 1 });
  });

  it('resumes a parked execution at a signal for its token: the replay waits again, the signal is delivered once', async () => {
    // Prepare: 1b was decided before the restart (DynamoDB holds it), 1a is decided now
    const h = harness({ decided: { '1b': 'approved' } });
    h.park();

    // Act
    const delivered = await h.signal('1a');
    await h.engine.settled();

    // Assess: 1a went on once (its replayed handler's own signal came too late); 1c's gate waits
    expect(delivered).toBe(true);
    expect(h.replaySignals.filter(Boolean)).toHaveLength(1); // 1b's, replayed
    expect(h.opened().sort()).toEqual(['1a', '1b', '1c-gate']);
    expect(h.engine.waitingTokens()).toBe(1);
    expect(h.engine.counts()).toEqual({ resident: 1, parked: 0 });
    expect(await h.status()).toBe('RUNNING');
  });

  it('moves a resumed execution on to the end of its stage', async () => {
    // Prepare: 1a and 1b decided before the restart, 1c's gate open, 1c decided now
    const h = harness({ decided: { '1a': 'approved', '1b': 'approved' } });
    h.openGates.add('1c');
    h.park();

    // Act
    const delivered = await h.signal('1c');
    await h.engine.settled();

    // Assess
    expect(delivered).toBe(true);
    expect(h.finished).toEqual([
      { projectId: 'p1', execution: 'p1-s0-g1', stageIndex: 0, outcome: 'stage_completed' },
    ]);
    expect(await h.status()).toBe('SUCCEEDED');
  });

  it('answers the first signal for a task its replay completed from what was stored as delivered, any further one not', async () => {
    // Prepare: 1a decided and its signal owed (sent right after the one that wakes the execution)
    const h = harness({ decided: { '1a': 'approved' } });
    h.park();
    const token1a = 'local:p1-s0-g1:1a';

    // Act
    const waking = await h.signal('1b');
    const owed = await h.engine.sendTaskSuccess(token1a, { stepId: '1a', outcome: 'approved' });
    const again = await h.engine.sendTaskSuccess(token1a, { stepId: '1a', outcome: 'approved' });
    await h.engine.settled();

    // Assess: 1a's task completed once, by the replay
    expect([waking, owed, again]).toEqual([true, true, false]);
    expect(h.replaySignals).toEqual([true, false]); // 1a's by the replay; 1b's taken by the waking signal
    expect(h.engine.waitingTokens()).toBe(1); // 1c's gate
  });

  it('answers false for a token the replay no longer waits on, and keeps the execution running', async () => {
    // Prepare: 1c's gate is closed, so the replay never reaches 1c
    const h = harness();
    h.park();

    // Act
    const delivered = await h.signal('1c');
    const unknownState = await h.engine.sendTaskFailure('local:p1-s0-g1:nope', 'X', 'y');
    await h.engine.settled();

    // Assess
    expect(delivered).toBe(false);
    expect(unknownState).toBe(false);
    expect(h.opened().sort()).toEqual(['1a', '1b', '1c-gate']);
    expect(await h.status()).toBe('RUNNING');
  });

  it('resumes a parked execution once when signals for it arrive together', async () => {
    // Prepare
    const h = harness();
    h.park();

    // Act
    const answers = await Promise.all([h.signal('1a'), h.signal('1b'), h.signal('1a')]);
    await h.engine.settled();

    // Assess: each handler ran once; 1a's token taken by one of its two signals
    expect(answers.filter(Boolean)).toHaveLength(2);
    expect(answers[1]).toBe(true);
    expect(h.opened().sort()).toEqual(['1a', '1b', '1c-gate']);
    expect(h.engine.waitingTokens()).toBe(1);
  });

  it('stops a parked execution without running it, and its tokens are void', async () => {
    // Prepare
    const h = harness();
    h.park();

    // Act
    await h.engine.stopExecution({ name: nameOf('p1'), chainKey: CHAIN_KEY });
    const delivered = await h.signal('1a');
    await h.engine.settled();

    // Assess
    expect(await h.status()).toBe('ABORTED');
    expect(delivered).toBe(false);
    expect(h.calls).toEqual([]);
    expect(h.engine.counts()).toEqual({ resident: 0, parked: 0 });
  });

  it('neither parks a name that runs nor starts a name that is parked (a name is started once)', async () => {
    // Prepare
    const h = harness();
    await h.start('p1');
    h.park('p2');

    // Act
    h.park('p1');
    await h.start('p2');

    // Assess
    expect(h.engine.counts()).toEqual({ resident: 1, parked: 1 });
    expect(h.opened(nameOf('p2'))).toEqual([]);
    expect(h.engine.waitingTokens()).toBe(3);
  });

  it('parks idle executions again beyond maxResident, least recently active first, and resumes them at a signal', async () => {
    // Prepare
    const h = harness({ maxResident: 1 });
    await h.start('p1');

    // Act
    await h.start('p2');
    const parkedP1 = h.engine.counts();
    const delivered = await h.signal('1a', 'approved', nameOf('p1'));
    await h.engine.settled();

    // Assess
    expect(parkedP1).toEqual({ resident: 1, parked: 1 });
    expect(delivered).toBe(true);
    expect(h.engine.counts()).toEqual({ resident: 1, parked: 1 });
    expect(await h.status(nameOf('p1'))).toBe('RUNNING');
    expect(await h.status(nameOf('p2'))).toBe('RUNNING');
    expect(h.failures).toEqual([]);
    // p1 waits on 1b and its gate only; p2 waits nowhere here (parked)
    expect(h.engine.waitingTokens()).toBe(2);
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
