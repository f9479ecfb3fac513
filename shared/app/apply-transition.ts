import type { StatAddition } from '../domain/counted-against.js';
import type { StoredToken } from '../domain/effects/owed-signals.js';
import { type TransitionEffects, transitionEffects } from '../domain/effects/transition-effects.js';
import type { Actor } from '../domain/principal.js';
import { noticeEvents } from '../domain/supplement-notice.js';
import type { ProjectState, Transition } from '../domain/transition.js';
import type { OutboxEntry, OutboxSend, StoreOp } from '../store/store.port.js';
import { type NoticeReference, noticeNumbering } from './agent-notices.js';
import { commitEffects } from './commit.js';
import type { AppContext } from './context.js';
import { referenceData } from './reference-cache.js';

export type { StoredToken };

/**
 * A transition written by a use case that did not read the reference data before its rule (the task handlers,
 * the calendar's recompute, an execution's renewal): what its notices need is read here, then the pure
 * `transitionEffects` states every effect and `commitEffects` writes them. The decision and the SLA sweep read all
 * of it up front instead (read once, write once).
 */

export type ApplyOptions = {
  actor: Actor;
  /** sends owed besides the transition's (an execution to start or stop) */
  sends?: OutboxSend[];
  /** more operations of the same transaction */
  ops?: StoreOp[];
  /**
   * Task handlers' own tokens, stored in the same transaction (each replacing the one read, if it is still that
   * one); signals the change owes those items go to them.
   */
  storeTokens?: StoredToken[];
  /** counters the change adds besides those its item changes imply */
  stats?: StatAddition[];
  /** what the caller read with the project for the notices the change may issue: then nothing is read here */
  reference?: NoticeReference;
  /** what the change relied on checked through the project's `workSeq` (see transition-effects.ts `reliedOn`) */
  reliesThroughProject?: true;
};

/** Every effect of a transition at `now`, with the notices it issues when given the numbers (`reference`). */
function effectsOf(
  ctx: AppContext,
  state: ProjectState,
  transition: Transition,
  options: ApplyOptions,
  now: Date,
  reference: NoticeReference | undefined,
  noticesApart?: true,
): TransitionEffects<StoreOp, OutboxSend> {
  return transitionEffects<StoreOp, OutboxSend>({
    state,
    transition,
    actor: options.actor,
    now,
    calendar: ctx.calendar,
    newId: ctx.newId,
    outboxGraceSeconds: ctx.spine.outboxGraceSeconds,
    reference: reference ?? { departments: [] },
    ...(options.ops ? { writes: options.ops } : {}),
    ...(options.sends ? { sends: options.sends } : {}),
    ...(options.storeTokens ? { storeTokens: options.storeTokens } : {}),
    ...(options.stats ? { stats: options.stats } : {}),
    ...(noticesApart ? { noticesApart } : {}),
    ...(options.reliesThroughProject ? { reliesThroughProject: true } : {}),
  });
}

/**
 * The writes of a transition, not yet committed, without the agent notices (the caller issues those, numbered
 * across several transitions): the item changes, the checks of what it relied on, its events, the project change,
 * the outbox entry of what it owes, and the counters it adds (kept apart, so several projects' transitions can
 * share one transaction and one counter item each).
 */
export function transitionOps(
  ctx: AppContext,
  state: ProjectState,
  transition: Transition,
  options: ApplyOptions,
  now: Date,
): { ops: StoreOp[]; entry?: OutboxEntry; stats: StatAddition[] } {
  const effects = effectsOf(ctx, state, transition, options, now, undefined, true);
  return { ops: effects.writes, ...(effects.outbox ? { entry: effects.outbox } : {}), stats: effects.stats };
}

/**
 * Writes a transition in one transaction (with the notices it puts before the agent) and relays what it owes.
 * Returns the project state as written.
 */
export async function applyTransition(
  ctx: AppContext,
  state: ProjectState,
  transition: Transition,
  options: ApplyOptions,
): Promise<ProjectState> {
  const now = ctx.clock.now();
  const asks = noticeEvents(transition).length > 0;
  const reference: NoticeReference | undefined = asks
    ? {
        departments: options.reference?.departments ?? (await referenceData(ctx.store).departments()),
        numbering: options.reference?.numbering ?? (await noticeNumbering(ctx, now)),
      }
    : options.reference;
  const effects = effectsOf(ctx, state, transition, options, now, reference);
  await commitEffects(ctx, effects);
  return effects.after;
}
