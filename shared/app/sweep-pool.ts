import type { ConcurrencyLimit } from './adaptive-limit.js';
import { fixedLimit } from './adaptive-limit.js';

/**
 * Works `items` in order of the list, at most `concurrency` at once: a number, or a limit that adapts to how long
 * each piece takes (see AdaptiveLimit). `shouldStart` is asked before each item: once it says no (the run's
 * deadline is near, its lease lost), no new item starts and those in hand finish. Returns how many items were never
 * started. `work` must not throw (each piece of work records its own failure).
 */
export async function inPool<T>(
  items: readonly T[],
  concurrency: number | ConcurrencyLimit,
  work: (item: T) => Promise<void>,
  shouldStart: () => boolean | Promise<boolean> = () => true,
): Promise<{ notStarted: number }> {
  const limit = typeof concurrency === 'number' ? fixedLimit(Math.max(1, concurrency)) : concurrency;
  const running = new Set<Promise<void>>();
  let next = 0;
  while (next < items.length) {
    while (running.size >= Math.max(1, limit.current())) await Promise.race(running);
    if (!(await shouldStart())) break;
    const item = items[next] as T;
    next += 1;
    const started = performance.now();
    const piece: Promise<void> = work(item).finally(() => {
      running.delete(piece);
      limit.record(performance.now() - started);
    });
    running.add(piece);
  }
  await Promise.all(running);
  return { notStarted: items.length - next };
}
