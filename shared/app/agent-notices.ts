import type { Department } from '../domain/department.js';
import { type NoticeNumbering, noticeEffects, numberingWrites } from '../domain/effects/notice-effects.js';
import { noticeEvents } from '../domain/supplement-notice.js';
import type { ProjectState, Transition } from '../domain/transition.js';
import type { OutboxSend, StoreOp } from '../store/store.port.js';
import type { AppContext } from './context.js';
import { referenceData } from './reference-cache.js';

export type { NoticeNumbering };

/** The year's notice numbers as they stand (the last one taken), read before the rule. */
export const noticeNumbering = (ctx: AppContext, now: Date): Promise<NoticeNumbering> =>
  referenceData(ctx.store).noticeNumbering(now);

/** The write that takes the numbers used (none when no notice was issued). */
export const numberingOps = (n: NoticeNumbering): StoreOp[] => numberingWrites(n);

/** What a caller read before deciding, so that assembling the notices reads nothing more. */
export type NoticeReference = {
  departments: readonly Department[];
  /** the year's numbers as read with the project (this transaction writes `numberingOps` for them) */
  numbering?: NoticeNumbering;
};

/**
 * The 一次性告知书 of transitions that share one transaction and one year's numbering (a batch, a meeting's minutes):
 * the domain's `noticeEffects`, with the departments through the reference cache; `shared.taken` counts on, and the
 * caller writes `numberingOps(shared)` once.
 */
export async function agentNotices(
  ctx: AppContext,
  state: ProjectState,
  transition: Transition,
  now: Date,
  shared: NoticeNumbering,
): Promise<{ ops: StoreOp[]; sends: OutboxSend[] }> {
  if (noticeEvents(transition).length === 0) return { ops: [], sends: [] };
  const departments = await referenceData(ctx.store).departments();
  const { writes, sends, taken } = noticeEffects({
    state,
    transition,
    numbering: shared,
    departments,
    now,
    newId: ctx.newId,
    shared: true,
  });
  shared.taken = taken;
  return { ops: writes, sends };
}
