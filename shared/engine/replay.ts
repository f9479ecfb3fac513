import {
  DELIVERED_BY_REPLAY,
  handlerOf,
  type LocalExecution,
  untilQuiet,
  type WaitingToken,
} from './local-execution.js';
import type { TaskTokens } from './task-tokens.js';

/**
 * A parked execution made resident again replays: it runs from its input, its handlers replay what DynamoDB holds
 * and present the same deterministic tokens. The signal that woke it is delivered once its token waits again.
 */

/** Marks a resumed execution as replaying until it is quiet (or has ended, or `stopped()`). */
export function startReplay(execution: LocalExecution, stopped: () => boolean): void {
  execution.presented = new Set();
  execution.replayTaken = new Set();
  execution.replayed = untilReplayed(execution, stopped);
}

/**
 * Resolves once the execution has ended, or no handler of it is in flight and it has not moved for a few
 * consecutive macrotask turns (as `LocalWorkflowEngine.settled`, for one execution).
 */
async function untilReplayed(execution: LocalExecution, stopped: () => boolean): Promise<void> {
  await untilQuiet(
    () => ({ inFlight: execution.inFlight, activity: execution.activity }),
    () => execution.status !== 'RUNNING' || stopped(),
  );
  execution.replayed = undefined;
  execution.presented = undefined;
  execution.replayTaken = undefined;
}

/**
 * The waiting task of a token of a replaying execution, once the replay presents it. Undefined when the replay no
 * longer waits on the token (the execution ended, or waits quietly elsewhere), or the execution is not replaying.
 */
export async function takeOnceReplayed(
  execution: LocalExecution | undefined,
  taskToken: string,
  tokens: TaskTokens,
): Promise<WaitingToken | undefined> {
  if (!execution?.replayed || execution.status !== 'RUNNING') return undefined;
  // A handler of the replay signalling (what DynamoDB holds, or what its change owes) must not wait for the
  // replay, which waits for it; a token presented already was taken when it was.
  if (handlerOf.getStore() === execution.name) return undefined;
  if (execution.replayTaken?.delete(taskToken)) return DELIVERED_BY_REPLAY;
  if (execution.presented?.has(taskToken)) return undefined;
  const presented = tokens.whenPresented(taskToken);
  const replayed = execution.replayed.then(() => undefined);
  const taken = await Promise.race([presented, replayed]);
  if (taken) return taken;
  // The replay is over without presenting the token: it no longer waits on it.
  tokens.stopWaiting(taskToken);
  return tokens.take(taskToken);
}
