/**
 * Work that must not run at once within a process, one lane a key: `inLane(key, work)` starts `work` once every
 * earlier work of that key has settled (no key: at once). The sweep puts the items that add to the same meeting
 * proposal in one lane: 16 items at once writing one proposal (on condition of its version) would otherwise cancel
 * one another and retry until some give up.
 */
const lanes = new Map<string, Promise<unknown>>();

export async function inLane<T>(key: string | undefined, work: () => Promise<T>): Promise<T> {
  if (key === undefined) return work();
  const before = lanes.get(key) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(work);
  const tail = mine.catch(() => undefined);
  lanes.set(key, tail);
  try {
    return await mine;
  } finally {
    if (lanes.get(key) === tail) lanes.delete(key);
  }
}
