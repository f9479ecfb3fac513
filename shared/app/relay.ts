import type { OutboxEntry, OutboxSend } from '../store/store.port.js';
import type { AppContext } from './context.js';

/** Backoff of an outbox entry that keeps failing: 30 s, 1 min, 2 min … at most 15 minutes; never given up. */
const MAX_RETRY_SECONDS = 900;

export type RelayResult = { sent: number; refused: number; failed: number };

/** An entry that only starts executions: each execution's first task handler clears it (see `startsNowRunning`). */
export const onlyStarts = (entry: OutboxEntry): boolean =>
  entry.sends.length > 0 && entry.sends.every((send) => send.type === 'start_execution');

/**
 * Sends what a committed change owes the engine, in order, then deletes its outbox entry (except, with
 * `leaveStartsToTasks`, an entry that only starts executions: the started execution's first task handler deletes
 * it in its own transaction, which saves a request, and until then the entry still proves the start owed should
 * this process die before the start). A task token the engine
 * no longer waits on (its execution was renewed or has ended) is refused: logged and counted, never silently
 * dropped, and never retried (the new execution's handlers replay from DynamoDB). Any other failure keeps the
 * sends still owed in the entry, to be tried again by the scheduled job with backoff. Never throws: the change is
 * committed, and the caller is answered with it.
 */
export async function relay(
  ctx: AppContext,
  entry: OutboxEntry,
  options: {
    leaveStartsToTasks?: boolean;
    /** deletes the sent entry instead of the relay (the sweep deletes its items' entries together) */
    deleteWith?: (entry: OutboxEntry) => Promise<void>;
  } = {},
): Promise<RelayResult> {
  const result: RelayResult = { sent: 0, refused: 0, failed: 0 };
  let pending = entry.sends;
  try {
    while (pending.length > 0) {
      const [send, ...rest] = pending as [OutboxSend, ...OutboxSend[]];
      const delivered = await deliver(ctx, send);
      if (delivered) result.sent += 1;
      else {
        result.refused += 1;
        ctx.metrics?.add('SignalsRefused', 1);
        ctx.log.warn('signal refused: the task no longer waits', {
          metric: 'SignalsRefused',
          projectId: entry.projectId,
          signal: send.type === 'task_success' ? send.what : send.type,
        });
      }
      pending = rest;
    }
    if (!(options.leaveStartsToTasks && onlyStarts(entry))) {
      if (options.deleteWith) await options.deleteWith(entry);
      else await ctx.store.deleteOutbox(entry.projectId, entry.outboxId);
    }
  } catch (error) {
    result.failed = pending.length;
    const attempts = entry.attempts + 1;
    const delay = Math.min(MAX_RETRY_SECONDS, ctx.spine.outboxGraceSeconds * 2 ** (attempts - 1));
    ctx.log.warn('signal not delivered; the scheduled job will send it again', {
      metric: 'SignalsPending',
      projectId: entry.projectId,
      outboxId: entry.outboxId,
      attempts,
      retryInSeconds: delay,
      error: String(error),
    });
    try {
      await ctx.store.rescheduleOutbox({
        ...entry,
        sends: pending,
        attempts,
        retryAt: new Date(ctx.clock.now().getTime() + delay * 1000).toISOString(),
      });
    } catch (rescheduleError) {
      // The entry stays as written: the scheduled job sends it once its grace period is over.
      ctx.log.warn('could not reschedule an outbox entry', {
        outboxId: entry.outboxId,
        error: String(rescheduleError),
      });
    }
  }
  return result;
}

/** True when delivered, false when the engine says the token no longer waits. */
async function deliver(ctx: AppContext, send: OutboxSend): Promise<boolean> {
  switch (send.type) {
    case 'task_success':
      return ctx.engine.sendTaskSuccess(send.token, send.output);
    case 'start_execution':
      await ctx.engine.startExecution({
        name: send.name,
        chainKey: send.chainKey,
        input: { projectId: send.projectId, stageIndex: send.stageIndex },
      });
      return true;
    case 'stop_execution':
      await ctx.engine.stopExecution({ name: send.name, chainKey: send.chainKey });
      return true;
    case 'publish_event':
      await ctx.channels?.publish(send.event);
      return true;
    case 'post_webhook':
      await ctx.channels?.postWebhook(send.url, send.text);
      return true;
    case 'alert':
      await ctx.channels?.alert(send.event);
      return true;
  }
}
