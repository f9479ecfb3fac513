import { setImmediate as nextMacrotask } from 'node:timers';

/**
 * Gathers calls that arrive together for the same key (a project) into one batch, run when it gets its turn: the
 * calls that come while a batch waits join it. A stage's execution starts a task per step at the same moment, so
 * the local runtime handles them with one read and one write of the project instead of two per step (on AWS each is
 * its own Lambda invocation). Each call is answered with its batch's outcome; when a batch of several fails, each
 * call is tried again alone, so one bad call does not fail the others.
 *
 * @example const tasks = taskBatches((id) => id, (batch) => handleCallbackTasks(ctx, batch), turns);
 */
export function taskBatches<T>(
  keyOf: (item: T) => string,
  run: (batch: T[]) => Promise<void>,
  /** how a batch waits for its turn (e.g. a concurrency limit); by default at once */
  turn: (work: () => Promise<void>) => Promise<void> = (work) => work(),
): (item: T) => Promise<void> {
  type Waiting = { items: T[]; settle: Array<{ resolve: () => void; reject: (error: unknown) => void }> };
  const open = new Map<string, Waiting>();

  const runBatch = async (key: string, batch: Waiting): Promise<void> => {
    // From here on, calls for the same key start a new batch.
    if (open.get(key) === batch) open.delete(key);
    try {
      await run(batch.items);
      for (const s of batch.settle) s.resolve();
    } catch (error) {
      if (batch.items.length === 1) {
        for (const s of batch.settle) s.reject(error);
        return;
      }
      await Promise.all(
        batch.items.map(async (item, i) => {
          try {
            await run([item]);
            batch.settle[i]?.resolve();
          } catch (alone) {
            batch.settle[i]?.reject(alone);
          }
        }),
      );
    }
  };

  return (item: T) =>
    new Promise<void>((resolve, reject) => {
      const key = keyOf(item);
      let batch = open.get(key);
      if (!batch) {
        const created: Waiting = { items: [], settle: [] };
        batch = created;
        open.set(key, created);
        // One macrotask first, so calls made in the same turn of the event loop join.
        nextMacrotask(() => {
          turn(() => runBatch(key, created)).catch((error: unknown) => {
            for (const s of created.settle) s.reject(error);
          });
        });
      }
      batch.items.push(item);
      batch.settle.push({ resolve, reject });
    });
}
