import { digestNotifications } from '../domain/notification-digest.js';
import type { Notification } from '../domain/notifications.js';
import type { AppContext } from './context.js';

/**
 * The inbox notifications a run of the sweep writes, gathered and written together (every `flushEvery` items and
 * at the end of the run, as {@link SweepStats} does for the counters) instead of in each item's transaction, and
 * digested on the way: a person told of more than a few things of one kind in one flush gets one 汇总通知
 * (notification-digest.ts). A storm's item then writes its own project's items only. The price is the counters':
 * a process that dies between an item's commit and the next flush loses those items' inbox lines (the events on
 * the projects' timelines, the bus events and the robots' messages are written with the item and are not lost).
 */
export class SweepInbox {
  #pending: Notification[] = [];
  #items = 0;
  #flushedAt = Date.now();
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: Pick<AppContext, 'store' | 'log' | 'newId'>,
    private readonly flushEvery = 200,
  ) {}

  /** Takes one item's notifications; writes what is gathered once enough items or a second have passed. */
  async add(notifications: readonly Notification[]): Promise<void> {
    this.#pending.push(...notifications);
    this.#items += 1;
    if (this.#items >= this.flushEvery || Date.now() - this.#flushedAt >= 1000) await this.flush();
  }

  /** Writes what is gathered, digested, one flush at a time. */
  flush(): Promise<void> {
    const gathered = this.#pending;
    this.#pending = [];
    this.#items = 0;
    this.#flushedAt = Date.now();
    this.#flushing = this.#flushing.then(async () => {
      if (gathered.length === 0) return;
      const written = digestNotifications(gathered, () => this.ctx.newId());
      try {
        await this.ctx.store.putNotifications(written);
      } catch (error) {
        this.ctx.log.error('sweep: inbox notifications not written', {
          notifications: written.length,
          error: String(error),
        });
      }
    });
    return this.#flushing;
  }
}
