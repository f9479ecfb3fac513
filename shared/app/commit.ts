import { ConflictError } from '../domain/errors.js';
import { CommitConflictError, type OutboxEntry, type OutboxSend, type StoreOp } from '../store/store.port.js';
import type { AppContext } from './context.js';
import { relay } from './relay.js';

/**
 * The one way a change is written (DESIGN.md decisions 3 and 7): the domain states every effect of a transition
 * (`domain/effects/transition-effects.ts`: the items conditional on their versions, the items relied on checked,
 * the events, the project counters and the outbox of owed signals); here they become one DynamoDB transaction, then
 * the relay sends the signals. A signal that fails is left to the scheduled job: the caller is answered with the
 * committed change either way.
 */

/** What a change writes, as the domain's effects state it (their writes are the store's operations). */
export type WrittenEffects = {
  writes: readonly StoreOp[];
  counters: readonly StoreOp[];
  outbox?: OutboxEntry;
};

/**
 * Writes a change's effects in one transaction (the counters with them, unless the caller gathers those apart)
 * and relays what it owes.
 */
export async function commitEffects(
  ctx: AppContext,
  effects: WrittenEffects,
  options: { countersApart?: boolean } = {},
): Promise<void> {
  await ctx.store.commit(
    options.countersApart ? [...effects.writes] : [...effects.writes, ...effects.counters],
  );
  if (effects.outbox) await relay(ctx, effects.outbox);
}

export function outboxEntry(ctx: AppContext, projectId: string, now: Date, sends: OutboxSend[]): OutboxEntry {
  return {
    projectId,
    outboxId: ctx.newId(),
    createdAt: now.toISOString(),
    retryAt: new Date(now.getTime() + ctx.spine.outboxGraceSeconds * 1000).toISOString(),
    attempts: 0,
    sends,
  };
}

/**
 * Runs a read–decide–write attempt again when its transaction found something it relied on changed (a token
 * stored, a sibling decided at the same moment). Each attempt reads afresh, so a change that is no longer allowed
 * (the step was decided meanwhile) fails with the domain's own reason; one that keeps colliding gets a 409.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, attempts = 6): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof CommitConflictError)) throw error;
      if (i >= attempts) {
        throw new ConflictError(
          'STORE.BUSY',
          'the project kept changing while this request was being saved; reload it and try again',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * i));
    }
  }
}
