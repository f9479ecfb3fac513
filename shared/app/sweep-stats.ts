import type { StatAddition } from '../domain/counted-against.js';
import { counterWrites } from '../domain/effects/counter-writes.js';
import type { StoreOp } from '../store/store.port.js';
import type { AppContext } from './context.js';
import { GatheredWrites } from './gathered-writes.js';

/**
 * The monthly counters a run of the sweep adds to, gathered and written together (one transaction of counter
 * updates every `flushEvery` items and at the end of the run) instead of in each item's transaction. Every due item
 * of a storm counts against the same few counters (the department's and the agent's month): in the items' own
 * transactions, 16 at once, those counter items are written by every transaction, which then cancel one another
 * (TransactionConflict) and retry until some give up. The price: a process that dies between an item's commit and
 * the next flush loses those items' counts (at most `flushEvery` items' worth, or a second's).
 */
export class SweepStats extends GatheredWrites<StatAddition> {
  constructor(
    private readonly ctx: AppContext,
    private readonly now: Date,
    flushEvery = 200,
  ) {
    super(flushEvery);
  }

  /** Writes what is gathered (merged: one update a counter item). */
  protected async write(additions: StatAddition[]): Promise<void> {
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
  }
}
