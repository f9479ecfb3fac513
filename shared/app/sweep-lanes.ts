/**
 * Work that must not run at once within a process, one lane a key: `inLane(key, { outside, inside })` starts
 * `outside` at once, and `inside` (given what `outside` answered) once every earlier work of that key has settled
 * (no key: as soon as `outside` answers). The sweep puts the items that add to the same meeting proposal in one
 * lane: 16 items at once writing one proposal (on condition of its version) would otherwise cancel one another and
 * retry until some give up. What needs no lane (an item's serial, the users it tells) is read outside, meanwhile.
 */
const lanes = new Map<string, Promise<unknown>>();

export async function inLane<R, T>(
  key: string | undefined,
  { outside, inside }: { outside: () => Promise<R>; inside: (read: R) => Promise<T> },
): Promise<T> {
  const read = outside();
  if (key === undefined) return inside(await read);
  // a read that fails while the lane is still taken is answered when the lane frees, not left unhandled meanwhile
  read.catch(() => undefined);
  const before = lanes.get(key) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(async () => inside(await read));
  const tail = mine.catch(() => undefined);
  lanes.set(key, tail);
  try {
    return await mine;
  } finally {
    if (lanes.get(key) === tail) lanes.delete(key);
  }
}
