/**
 * Runs at most `max` pieces of work at once; the rest wait their turn, first come first served. With `maxWaiting`,
 * the queue is bounded too: a piece of work that finds it full is refused at once with `full()`'s error, never run.
 *
 * @example const limit = concurrencyLimit(8); await limit(() => handleCallbackTask(ctx, input));
 * const hashes = concurrencyLimit(2, { maxWaiting: 32, full: () => new UnavailableError('AUTH.BUSY', 'busy') });
 */
export type ConcurrencyLimit = {
  <T>(work: () => Promise<T>): Promise<T>;
  /** how many wait for a turn */
  readonly waiting: number;
  /** how many run now */
  readonly running: number;
  /** the most that ever ran at once */
  readonly peak: number;
  /** resolves once nothing runs or waits (at once when nothing does) */
  idle(): Promise<void>;
};

export type QueueBound = {
  /** how many may wait for a turn at most */
  maxWaiting: number;
  /** the error a piece of work that finds the queue full is refused with */
  full: () => Error;
};

export function concurrencyLimit(max: number, bound?: QueueBound): ConcurrencyLimit {
  let running = 0;
  let peak = 0;
  const queue: Array<() => void> = [];
  let idlers: Array<() => void> = [];
  const limit = async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= max) {
      if (bound && queue.length >= bound.maxWaiting) throw bound.full();
      // the turn is handed over with its slot (`running` unchanged), so no newcomer slips in between
      await new Promise<void>((turn) => queue.push(turn));
    } else {
      running += 1;
    }
    peak = Math.max(peak, running);
    try {
      return await work();
    } finally {
      const next = queue.shift();
      if (next) next();
      else running -= 1;
      if (running === 0 && queue.length === 0 && idlers.length > 0) {
        const told = idlers;
        idlers = [];
        for (const resolve of told) resolve();
      }
    }
  };
  const idle = (): Promise<void> =>
    running === 0 && queue.length === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => idlers.push(resolve));
  return Object.defineProperties(limit, {
    waiting: { get: () => queue.length },
    running: { get: () => running },
    peak: { get: () => peak },
    idle: { value: idle },
  }) as ConcurrencyLimit;
}
