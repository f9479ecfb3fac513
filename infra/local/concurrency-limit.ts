/**
 * Runs at most `max` pieces of work at once; the rest wait their turn, first come first served.
 *
 * @example const limit = concurrencyLimit(8); await limit(() => handleCallbackTask(ctx, input));
 */
export type ConcurrencyLimit = {
  <T>(work: () => Promise<T>): Promise<T>;
  /** how many wait for a turn */
  readonly waiting: number;
  /** how many run now */
  readonly running: number;
};

export function concurrencyLimit(max: number): ConcurrencyLimit {
  let running = 0;
  const queue: Array<() => void> = [];
  const limit = async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((turn) => queue.push(turn));
    running += 1;
    try {
      return await work();
    } finally {
      running -= 1;
      queue.shift()?.();
    }
  };
  return Object.defineProperties(limit, {
    waiting: { get: () => queue.length },
    running: { get: () => running },
  }) as ConcurrencyLimit;
}
