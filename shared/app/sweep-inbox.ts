import { digestNotifications } from '../domain/notification-digest.js';
import type { Notification } from '../domain/notifications.js';
import type { AppContext } from './context.js';
import { GatheredWrites } from './gathered-writes.js';

/**
 * The inbox notifications a run of the sweep writes, gathered and written together (every `flushEvery` items and
 * at the end of the run, as {@link SweepStats} does for the counters) instead of in each item's transaction, and
 * digested on the way: a person told of more than a few things of one kind in one flush gets one 汇总通知
 * (notification-digest.ts). A storm's item then writes its own project's items only. The price is the counters':
 * a process that dies between an item's commit and the next flush loses those items' inbox lines (the events on
 * the projects' timelines, the bus events and the robots' messages are written with the item and are not lost).
 */
export class SweepInbox extends GatheredWrites<Notification> {
  constructor(
    private readonly ctx: Pick<AppContext, 'store' | 'log' | 'newId'>,
    flushEvery = 200,
  ) {
    super(flushEvery);
  }

  /** Writes what is gathered, digested. */
  protected async write(gathered: Notification[]): Promise<void> {
    const written = digestNotifications(gathered, () => this.ctx.newId());
    try {
      await this.ctx.store.putNotifications(written);
    } catch (error) {
      this.ctx.log.error('sweep: inbox notifications not written', {
        notifications: written.length,
        error: String(error),
      });
    }
  }
}
