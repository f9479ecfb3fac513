import { aborted, type WaitingToken } from './local-execution.js';

/**
 * The local engine's callback tokens: the tasks waiting for a signal, and the signals waiting for a resumed
 * execution to present their token again. `onTaken` hears which execution a token was taken from (it moved).
 */
export class TaskTokens {
  readonly #waiting = new Map<string, WaitingToken>();
  /** signals waiting for a resumed execution to present their token again */
  readonly #signals = new Map<string, Array<(waiting: WaitingToken | undefined) => void>>();

  constructor(private readonly onTaken: (execution: string) => void) {}

  /** How many callback tasks are waiting for a signal. */
  get size(): number {
    return this.#waiting.size;
  }

  /** The executions some task of which waits for a signal. */
  executionsWaiting(): Set<string> {
    const executions = new Set<string>();
    for (const token of this.#waiting.values()) executions.add(token.execution);
    return executions;
  }

  /** A task waits for its token. */
  wait(taskToken: string, waiting: WaitingToken): void {
    this.#waiting.set(taskToken, waiting);
  }

  /** A task waits no longer (its handler failed: the retry presents the token again). */
  forget(taskToken: string): void {
    this.#waiting.delete(taskToken);
  }

  /** The waiting task of a token, no longer waiting (undefined: none waits on it). */
  take(taskToken: string): WaitingToken | undefined {
    const waiting = this.#waiting.get(taskToken);
    if (!waiting) return undefined;
    this.#waiting.delete(taskToken);
    this.onTaken(waiting.execution);
    return waiting;
  }

  /** Resolves with the waiting task once the token is presented again (see {@link presented}). */
  whenPresented(taskToken: string): Promise<WaitingToken | undefined> {
    return new Promise<WaitingToken | undefined>((resolve) => {
      const waiters = this.#signals.get(taskToken) ?? [];
      waiters.push(resolve);
      this.#signals.set(taskToken, waiters);
    });
  }

  /** The signals waiting for a token wait no longer (its execution's replay is over). */
  stopWaiting(taskToken: string): void {
    this.#signals.delete(taskToken);
  }

  /**
   * The token waits again: the first signal waiting for it takes it at once, before the handler replaying the task
   * can signal what DynamoDB holds (the same outcome: the signal was sent once it was stored), so the signal is
   * answered as delivered. Any other signal for the same token finds it taken.
   */
  presented(taskToken: string): void {
    const waiters = this.#signals.get(taskToken);
    if (!waiters) return;
    this.#signals.delete(taskToken);
    const [first, ...others] = waiters;
    first?.(this.take(taskToken));
    for (const wake of others) wake(undefined);
  }

  /**
   * Forgets waiting tokens. Their tasks are failed so the library clears its per-task timers (an aborted
   * execution stops at the next state boundary, so nothing further runs).
   */
  release(match: (waiting: WaitingToken) => boolean): void {
    for (const [token, waiting] of this.#waiting) {
      if (!match(waiting)) continue;
      this.#waiting.delete(token);
      waiting.reject(aborted());
    }
  }
}
