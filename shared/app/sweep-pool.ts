/**
 * Works `items` with at most `concurrency` at once, in order of the list. `shouldStart` is asked before each item:
 * once it says no (the run's deadline is near, its lease lost), no new item starts and those in hand finish.
 * Returns how many items were never started. `work` must not throw (each piece of work records its own failure).
 */
export async function inPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
  shouldStart: () => boolean | Promise<boolean> = () => true,
): Promise<{ notStarted: number }> {
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < items.length) {
      if (!(await shouldStart())) {
        stopped = true;
        break;
      }
      if (next >= items.length) break;
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return { notStarted: items.length - next };
}
