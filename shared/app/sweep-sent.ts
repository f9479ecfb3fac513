import type { OutboxEntry } from '../store/store.port.js';
import type { AppContext } from './context.js';

/**
 * The outbox entries of a run's items whose signals the relay has sent, deleted together (a batch write of up to 25
 * every `flushEvery` entries, a second, and at the end of the run) instead of one request each, as
 * {@link SweepInbox} writes the inbox lines. The price: an entry whose deletion is lost (the process dies before the
 * flush, or the batch fails) stays due, and the scheduled job sends its signals again after the grace period; a
 * task token already answered is refused then (logged and counted, see relay.ts), so nothing is done twice.
 */
export class SweepSent {
  #pending: Array<{ projectId: string; outboxId: string }> = [];
  #flushedAt = Date.now();
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: Pick<AppContext, 'store' | 'log'>,
    private readonly flushEvery = 25,
  ) {}

  /** Takes one sent entry; deletes what is gathered once enough entries or a second have passed. */
  async add(entry: OutboxEntry): Promise<void> {
    this.#pending.push({ projectId: entry.projectId, outboxId: entry.outboxId });
    if (this.#pending.length >= this.flushEvery || Date.now() - this.#flushedAt >= 1000) await this.flush();
  }

  /** Deletes what is gathered, one flush at a time. */
  flush(): Promise<void> {
    const gathered = this.#pending;
    this.#pending = [];
    this.#flushedAt = Date.now();
    this.#flushing = this.#flushing.then(async () => {
      if (gathered.length === 0) return;
      try {
        await this.ctx.store.deleteOutboxes(gathered);
      } catch (error) {
        this.ctx.log.warn('sweep: sent outbox entries not deleted; the scheduled job sends them again', {
          entries: gathered.length,
          error: String(error),
        });
      }
    });
    return this.#flushing;
  }
}
