import type { StatAddition } from '../domain/counted-against.js';
import { counterWrites } from '../domain/effects/counter-writes.js';
import type { StoreOp } from '../store/store.port.js';
import type { AppContext } from './context.js';

/**
 * The monthly counters a run of the sweep adds to, gathered and written together (one transaction of counter
 * updates every `flushEvery` items and at the end of the run) instead of in each item's transaction. Every due item
 * of a storm counts against the same few counters (the department's and the agent's month): in the items' own
 * transactions, 16 at once, those counter items are written by every transaction, which then cancel one another
 * (TransactionConflict) and retry until some give up. The price: a process that dies between an item's commit and
 * the next flush loses those items' counts (at most `flushEvery` items' worth, or a second's).
 */
export class SweepStats {
  #pending: StatAddition[] = [];
  #items = 0;
  #flushedAt = Date.now();
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: AppContext,
    private readonly now: Date,
    private readonly flushEvery = 200,
  ) {}

  /** Counts one item's additions; writes what is gathered once enough items or a second have passed. */
  async add(additions: readonly StatAddition[]): Promise<void> {
    this.#pending.push(...additions);
    this.#items += 1;
    if (this.#items >= this.flushEvery || Date.now() - this.#flushedAt >= 1000) await this.flush();
  }

  /** Writes what is gathered (merged: one update a counter item), one flush at a time. */
  flush(): Promise<void> {
    const additions = this.#pending;
    this.#pending = [];
    this.#items = 0;
    this.#flushedAt = Date.now();
    this.#flushing = this.#flushing.then(async () => {
      const ops: StoreOp[] = counterWrites(additions, this.now);
      // a transaction holds at most 100 items
      for (let i = 0; i < ops.length; i += 100) {
        try {
          await this.ctx.store.commit(ops.slice(i, i + 100));
        } catch (error) {
          this.ctx.log.error('sweep: monthly counters not written', {
            counters: ops.length,
            error: String(error),
          });
        }
      }
    });
    return this.#flushing;
  }
}
