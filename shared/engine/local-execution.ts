import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as nextMacrotask } from 'node:timers';
import type { CallbackTaskInput, ExecutionInput, FinishStageInput } from '../workflow/task-contract.js';
import type { ExecutionStatus } from './workflow-engine.port.js';

/** The Lambda handlers the state machine calls; locally they are plain functions. */
export type TaskHandlers = {
  callbackTask(input: CallbackTaskInput): Promise<void>;
  finishStage(input: FinishStageInput): Promise<void>;
};

export type LocalExecutionStatus = Exclude<ExecutionStatus, 'NOT_FOUND' | 'TIMED_OUT'>;

/** A callback task waiting for its token to be signalled. */
export type WaitingToken = {
  execution: string;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
};

/** An execution run in this process (resident), or ended. */
export type LocalExecution = {
  name: string;
  projectId: string;
  chainKey: string;
  input: ExecutionInput;
  status: LocalExecutionStatus;
  abort: () => void;
  /** handler calls of this execution in flight (queued for a turn included) */
  inFlight: number;
  /** bumped at every move of this execution (handler call begun or ended, token signalled) */
  activity: number;
  /** when it last moved (`performance.now()`): the least recently active idle execution is parked first */
  lastActiveAt: number;
  /** resolves once a resumed execution has replayed what DynamoDB holds (it is quiet, or has ended) */
  replayed?: Promise<void>;
  /** the tokens it has presented while replaying (a signal for one of them waits no longer) */
  presented?: Set<string>;
  /**
   * Tokens its replaying handlers signalled themselves (what DynamoDB holds) before the signal that woke it, or that
   * came with it, arrived: that signal, the first from outside, is answered as delivered (the task completed once,
   * with the same outcome, as the signal alone would complete it on AWS). Any further one is refused.
   */
  replayTaken?: Set<string>;
  /** a handler of this run has failed: its retry must run, so the run is never parked to make room */
  handlerFailed?: boolean;
};

/** An execution known by name and input that waits without running here (see `LocalWorkflowEngine.park`). */
export type ParkedExecution = { name: string; chainKey: string; input: ExecutionInput };

/** What a signal completes when a replaying handler completed its task already (see `replayTaken`). */
export const DELIVERED_BY_REPLAY: WaitingToken = { execution: '', resolve: () => {}, reject: () => {} };

/** The execution whose handler is running (its own signals never wait for its replay, which waits for them). */
export const handlerOf = new AsyncLocalStorage<string>();

/** The execution a local token belongs to (`local:<execution>:<stateName>`). */
export function executionOfToken(taskToken: string): string | undefined {
  const match = /^local:([^:]+):/.exec(taskToken);
  return match?.[1];
}

export const namedError = (name: string, message: string): Error =>
  Object.assign(new Error(message), { name });
/** What a stopped execution's tasks end with: never retried (aws-local-stepfunctions reads `isRetryable`). */
export const aborted = (): Error =>
  Object.assign(namedError('Daiban.ExecutionAborted', 'the execution was aborted'), { isRetryable: false });

/**
 * Resolves once nothing is in flight and nothing has moved for three consecutive macrotask turns (the state machines
 * have had time to advance), or as soon as `over()` says there is nothing more to wait for.
 */
export async function untilQuiet(
  probe: () => { inFlight: number; activity: number },
  over: () => boolean = () => false,
): Promise<void> {
  let quietTurns = 0;
  let seen = probe().activity;
  while (quietTurns < 3 && !over()) {
    await new Promise<void>((resolve) => nextMacrotask(resolve));
    const { inFlight, activity } = probe();
    if (inFlight === 0 && activity === seen) {
      quietTurns++;
    } else {
      quietTurns = 0;
      seen = activity;
    }
  }
}

export function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
