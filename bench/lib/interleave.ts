import { performance } from 'node:perf_hooks';

/** Something measured: one call of it is one operation. */
export type Contender = () => Promise<unknown>;

/**
 * Latency side by side: each round calls every contender once, one after the other, for each of `rounds`, so each
 * sees the machine as the others do (a noisy neighbour slows all of them alike, and the ratio holds).
 */
export async function interleavedLatency<K extends string>(
  contenders: Record<K, (round: number) => Promise<unknown>>,
  rounds: number,
  onRound?: (round: number) => void,
): Promise<Record<K, number[]>> {
  const names = Object.keys(contenders) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round += 1) {
    // alternate who goes first, so none always follows the same one
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const started = performance.now();
      await contenders[name](round);
      samples[name].push(performance.now() - started);
    }
    onRound?.(round + 1);
  }
  return samples;
}

/**
 * Throughput side by side at the same concurrency: slices of `sliceMs` in turn, `concurrency` callers each calling
 * the contender as fast as it answers; operations per second over all of a contender's slices. `meters` (e.g. the
 * CPU seconds a process has used) are read around each slice: what each contender used of each, per operation.
 */
export async function interleavedThroughput<K extends string, M extends string = never>(
  contenders: Record<K, Contender>,
  options: {
    concurrency: number;
    sliceMs: number;
    slices: number;
    onSlice?: (slice: number) => void;
    meters?: Record<M, () => number>;
  },
): Promise<{ perSecond: Record<K, number>; perOperation: Record<K, Record<M, number>> }> {
  const names = Object.keys(contenders) as K[];
  const meters = Object.entries(options.meters ?? {}) as Array<[M, () => number]>;
  const done = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  const spent = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  const used = Object.fromEntries(
    names.map((name) => [name, Object.fromEntries(meters.map(([meter]) => [meter, 0]))]),
  ) as Record<K, Record<M, number>>;
  for (let slice = 0; slice < options.slices; slice += 1) {
    const order = slice % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const before = meters.map(([, read]) => read());
      const started = performance.now();
      const until = started + options.sliceMs;
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          while (performance.now() < until) {
            await contenders[name]();
            done[name] += 1;
          }
        }),
      );
      spent[name] += performance.now() - started;
      meters.forEach(([meter, read], i) => {
        used[name][meter] += read() - (before[i] ?? 0);
      });
    }
    options.onSlice?.(slice + 1);
  }
  return {
    perSecond: Object.fromEntries(names.map((name) => [name, done[name] / (spent[name] / 1000)])) as Record<
      K,
      number
    >,
    perOperation: Object.fromEntries(
      names.map((name) => [
        name,
        Object.fromEntries(meters.map(([meter]) => [meter, used[name][meter] / Math.max(1, done[name])])),
      ]),
    ) as Record<K, Record<M, number>>,
  };
}
