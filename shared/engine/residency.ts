import type { LocalExecution } from './local-execution.js';

/**
 * Which executions are resident (run in memory), in order of last activity, and which of them may be parked to
 * make room: beyond `maxResident`, the least recently active idle ones.
 */
export class Residency {
  /** resident executions that are RUNNING, in order of last activity (a Map keeps insertion order) */
  readonly #resident = new Map<string, LocalExecution>();

  constructor(
    private readonly maxResident: number,
    private readonly idleMs: number,
  ) {}

  get size(): number {
    return this.#resident.size;
  }

  get(name: string): LocalExecution | undefined {
    return this.#resident.get(name);
  }

  enter(execution: LocalExecution): void {
    this.#resident.set(execution.name, execution);
  }

  /** The execution is no longer resident (if it still is the one resident under its name). */
  leave(execution: LocalExecution): void {
    if (this.#resident.get(execution.name) === execution) this.#resident.delete(execution.name);
  }

  /** The execution moved: most recently active last. */
  moved(name: string): void {
    const execution = this.#resident.get(name);
    if (!execution) return;
    execution.activity++;
    execution.lastActiveAt = performance.now();
    this.#resident.delete(name);
    this.#resident.set(name, execution);
  }

  /**
   * The idle executions to park, least recently active first, while more than `maxResident` are resident. Idle: no
   * handler of it in flight, waiting on at least one token (`waiting()`: the executions that do), not replaying,
   * and still for `idleMs` (between two states the library moves in microseconds; an execution about to run
   * `finishStage` waits on no token and is never idle). A run whose handler failed once stays resident: the retry
   * may be what opens a step, and no signal would come.
   */
  idleBeyondLimit(waiting: () => Set<string>): LocalExecution[] {
    let excess = this.#resident.size - this.maxResident;
    if (excess <= 0) return [];
    const stillSince = performance.now() - this.idleMs;
    const waitingOnTokens = waiting();
    const idle: LocalExecution[] = [];
    for (const execution of this.#resident.values()) {
      if (excess <= 0 || execution.lastActiveAt > stillSince) break;
      if (execution.status !== 'RUNNING' || execution.inFlight > 0 || execution.replayed) continue;
      if (execution.handlerFailed) continue;
      if (!waitingOnTokens.has(execution.name)) continue;
      idle.push(execution);
      excess--;
    }
    return idle;
  }
}
