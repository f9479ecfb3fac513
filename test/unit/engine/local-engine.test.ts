import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Chain, chainKey } from '../../../shared/domain/chain.js';
import { LocalWorkflowEngine } from '../../../shared/engine/local-engine.js';
import { installLongTimerGuard, LongTimeout } from '../../../shared/engine/long-timers.js';
import { chainToAslJson } from '../../../shared/workflow/asl.js';
import type {
  CallbackTaskInput,
  FinishProjectInput,
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
  /** `<stepId>` or `<stepId>-gate` whose handler throws. */
  throwsAt?: string;
  /** Steps already decided: their handler signals the outcome at once (replay). */
  decided?: Record<string, StepTaskOutcome>;
};

/** The engine on the fixture chain with handlers that record calls; tests decide steps through the engine. */
function harness(options: HarnessOptions = {}) {
  const calls: CallbackTaskInput[] = [];
  const finished: FinishProjectInput[] = [];
  const executionErrors: Array<{ projectId: string; error: unknown }> = [];
  const engine = new LocalWorkflowEngine({
    definitions: { [CHAIN_KEY]: chainToAslJson(fixtureChain) },
    onExecutionError: (projectId, error) => executionErrors.push({ projectId, error }),
  });
  engines.push(engine);
  const stateOf = (call: CallbackTaskInput) => (call.kind === 'gate' ? `${call.stepId}-gate` : call.stepId);
  engine.bindHandlers({
    async callbackTask(input) {
      calls.push(input);
      if (options.throwsAt === stateOf(input)) throw new Error('the handler broke');
      const outcome = input.kind === 'step' ? options.decided?.[input.stepId] : undefined;
      if (outcome) await engine.sendTaskSuccess(input.taskToken, { stepId: input.stepId, outcome });
    },
    async finishProject(input) {
      finished.push(input);
    },
  });

  const opened = (projectId = 'p1') => calls.filter((c) => c.projectId === projectId).map(stateOf);
  const tokenOf = (state: string, projectId = 'p1') => {
    const call = calls.findLast((c) => c.projectId === projectId && stateOf(c) === state);
    if (!call) throw new Error(`${state} was never called for ${projectId}`);
    return call.taskToken;
  };
  const start = async (projectId = 'p1') => {
    await engine.startExecution({ projectId, chainKey: CHAIN_KEY });
    await engine.settled();
  };
  const decide = async (stepId: string, outcome: StepTaskOutcome = 'approved', projectId = 'p1') => {
    expect(await engine.sendTaskSuccess(tokenOf(stepId, projectId), { stepId, outcome })).toBe(true);
    await engine.settled();
  };
  const openGate = async (stepId: string, projectId = 'p1') => {
    expect(await engine.sendTaskSuccess(tokenOf(`${stepId}-gate`, projectId), { stepId, open: true })).toBe(
      true,
    );
    await engine.settled();
  };
  return { engine, calls, finished, executionErrors, opened, tokenOf, start, decide, openGate };
}

describe('LocalWorkflowEngine', () => {
  it('opens the steps of a stage with no in-stage prerequisites and the gates of the others', async () => {
    // Prepare
    const h = harness();

    // Act
    await h.start();

    // Assess
    expect(h.opened().sort()).toEqual(['1a', '1b', '1c-gate']);
    expect(h.calls.every((c) => c.stageIndex === 0 && c.taskToken.startsWith('local:p1:'))).toBe(true);
    expect(h.engine.status('p1')).toBe('RUNNING');
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

  it('does not start stage 2 before every step of stage 1 is decided', async () => {
    // Prepare
    const h = harness();
    await h.start();
    await h.decide('1a');
    await h.decide('1b');
    await h.openGate('1c');
    expect(h.opened().filter((s) => s.startsWith('2'))).toEqual([]);

    // Act
    await h.decide('1c', 'approved_with_conditions');

    // Assess
    const stageTwo = h.calls.filter((c) => c.stageIndex === 1).map((c) => `${c.stepId}:${c.kind}`);
    expect(stageTwo.sort()).toEqual(['2a:step', '2b:gate']);
  });

  it('completes the project when every step of every stage is through', async () => {
    // Prepare
    const h = harness();
    await h.start();
    await h.decide('1a');
    await h.decide('1b', 'not_applicable');
    await h.openGate('1c');
    await h.decide('1c', 'deemed_approved');
    await h.decide('2a');
    await h.openGate('2b');

    // Act
    await h.decide('2b');

    // Assess
    expect(h.finished).toEqual([{ projectId: 'p1', outcome: 'completed' }]);
    expect(h.engine.status('p1')).toBe('SUCCEEDED');
    expect(h.engine.waitingTokens()).toBe(0);
  });

  it('keeps sibling steps waiting after a rejection, then ends at ProjectReturned', async () => {
    // Prepare
    const h = harness();
    await h.start();

    // Act
    await h.decide('1a', 'rejected');

    // Assess: siblings are not cancelled
    expect(h.engine.status('p1')).toBe('RUNNING');
    expect(h.engine.waitingTokens()).toBe(2);
    expect(h.finished).toEqual([]);

    // Act: the decision path closes the rest (1c is blocked by its rejected prerequisite)
    await h.decide('1b');
    await h.openGate('1c');
    await h.decide('1c', 'blocked');

    // Assess
    expect(h.finished).toEqual([{ projectId: 'p1', outcome: 'returned' }]);
    expect(h.engine.status('p1')).toBe('SUCCEEDED');
    expect(h.opened().filter((s) => s.startsWith('2'))).toEqual([]);
  });

  it('ends at StepTaskFailed when a handler throws, without cancelling its siblings', async () => {
    // Prepare
    const h = harness({ throwsAt: '1b' });

    // Act
    await h.start();

    // Assess: 1b failed, 1a and the gate of 1c still wait
    expect(h.engine.status('p1')).toBe('RUNNING');
    expect(h.engine.waitingTokens()).toBe(2);

    // Act
    await h.decide('1a');
    await h.openGate('1c');
    await h.decide('1c');

    // Assess
    expect(h.engine.status('p1')).toBe('FAILED');
    expect(h.finished).toEqual([]);
    expect(h.executionErrors).toHaveLength(1);
    expect(h.executionErrors[0]?.projectId).toBe('p1');
    expect(h.executionErrors[0]?.error).toMatchObject({ cause: { name: 'Daiban.StepTaskFailed' } });
  });

  it('treats sendTaskFailure as a failed step task', async () => {
    // Prepare
    const h = harness();
    await h.start();

    // Act
    const accepted = await h.engine.sendTaskFailure(h.tokenOf('1a'), 'Daiban.Broken', 'test');
    await h.engine.settled();
    await h.decide('1b');
    await h.openGate('1c');
    await h.decide('1c');

    // Assess
    expect(accepted).toBe(true);
    expect(h.engine.status('p1')).toBe('FAILED');
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
    const unknown = await h.engine.sendTaskFailure('local:p1:1a:nope', 'X', 'y');

    // Assess
    expect(again).toBe(false);
    expect(unknown).toBe(false);
  });

  it('starts one execution per project however often it is asked', async () => {
    // Prepare
    const h = harness();
    await h.start();

    // Act
    await h.start();
    await h.start();

    // Assess
    expect(h.opened()).toHaveLength(3);
    expect(h.engine.waitingTokens()).toBe(3);
  });

  it('does not start a project again after its execution ended', async () => {
    // Prepare
    const h = harness();
    await h.start();
    await h.decide('1a', 'rejected');
    await h.decide('1b');
    await h.openGate('1c');
    await h.decide('1c', 'blocked');
    const callsBefore = h.calls.length;

    // Act
    await h.start();

    // Assess
    expect(h.engine.status('p1')).toBe('SUCCEEDED');
    expect(h.calls).toHaveLength(callsBefore);
  });

  it('starts a new execution after the previous one was stopped', async () => {
    // Prepare
    const h = harness();
    await h.start();
    const oldToken = h.tokenOf('1a');

    // Act
    const stopped = h.engine.stopExecution('p1');
    await h.engine.settled();
    await h.start();

    // Assess
    expect(stopped).toBe(true);
    expect(h.engine.status('p1')).toBe('RUNNING');
    expect(h.opened()).toHaveLength(6);
    expect(await h.engine.sendTaskSuccess(oldToken, { stepId: '1a', outcome: 'approved' })).toBe(false);
    expect(h.engine.waitingTokens()).toBe(3);
  });

  it('runs several projects independently', async () => {
    // Prepare
    const h = harness();
    await h.start('p1');
    await h.start('p2');

    // Act
    await h.decide('1a', 'rejected', 'p1');
    await h.decide('1b', 'approved', 'p1');
    await h.openGate('1c', 'p1');
    await h.decide('1c', 'blocked', 'p1');

    // Assess
    expect(h.engine.status('p1')).toBe('SUCCEEDED');
    expect(h.engine.status('p2')).toBe('RUNNING');
    expect(h.finished).toEqual([{ projectId: 'p1', outcome: 'returned' }]);
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
    expect(h.engine.status('p1')).toBe('ABORTED');
    expect(h.executionErrors).toEqual([]);
    await expect(h.engine.startExecution({ projectId: 'p2', chainKey: CHAIN_KEY })).rejects.toThrow(
      /stopped/,
    );
  });

  it('rejects an unknown chain key', async () => {
    // Prepare
    const h = harness();

    // Act + Assess
    await expect(h.engine.startExecution({ projectId: 'p1', chainKey: 'nope@1' })).rejects.toThrow(/nope@1/);
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
