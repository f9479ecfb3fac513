import type { AppContext } from './context.js';
import { GatheredWrites } from './gathered-writes.js';

type SentEntry = { projectId: string; outboxId: string };

/**
 * The outbox entries of a run's items whose signals the relay has sent, deleted together (a batch write of up to 25
 * every `flushEvery` entries, a second, and at the end of the run) instead of one request each, as
 * {@link SweepInbox} writes the inbox lines. The price: an entry whose deletion is lost (the process dies before the
 * flush, or the batch fails) stays due, and the scheduled job sends its signals again after the grace period; a
 * task token already answered is refused then (logged and counted, see relay.ts), so nothing is done twice.
 */
export class SweepSent extends GatheredWrites<SentEntry> {
  constructor(
    private readonly ctx: Pick<AppContext, 'store' | 'log'>,
    flushEvery = 25,
  ) {
    super(flushEvery);
  }

  protected async write(gathered: SentEntry[]): Promise<void> {
    try {
      await this.ctx.store.deleteOutboxes(gathered);
    } catch (error) {
      this.ctx.log.warn('sweep: sent outbox entries not deleted; the scheduled job sends them again', {
        entries: gathered.length,
        error: String(error),
      });
    }
  }
}
