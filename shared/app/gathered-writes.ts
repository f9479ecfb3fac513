/**
 * Writes a run of the sweep gathers from its items and makes together instead of one each: every `flushEvery`
 * items (calls of `add`), a second, and at the end of the run (`flush`), one flush at a time. What a subclass writes
 * and what it costs when a process dies before a flush is said in it (`SweepStats`, `SweepInbox`, `SweepSent`).
 */
export abstract class GatheredWrites<T> {
  #pending: T[] = [];
  #items = 0;
  #flushedAt = Date.now();
  #flushing: Promise<void> = Promise.resolve();

  constructor(private readonly flushEvery: number) {}

  /** Writes what was gathered (never empty); logs its own failure rather than throw. */
  protected abstract write(gathered: T[]): Promise<void>;

  /** Takes one item's writes; writes what is gathered once enough items or a second have passed. */
  async add(writes: readonly T[]): Promise<void> {
    this.#pending.push(...writes);
    this.#items += 1;
    if (this.#items >= this.flushEvery || Date.now() - this.#flushedAt >= 1000) await this.flush();
  }

  /** Writes what is gathered, after the flushes under way. */
  flush(): Promise<void> {
    const gathered = this.#pending;
    this.#pending = [];
    this.#items = 0;
    this.#flushedAt = Date.now();
    this.#flushing = this.#flushing.then(() => (gathered.length === 0 ? undefined : this.write(gathered)));
    return this.#flushing;
  }
}
