import type { Department } from '../domain/department.js';
import type { ProjectDocument } from '../domain/documents.js';
import { noticeEvents, noticeSequence, supplementNotices } from '../domain/supplement-notice.js';
import type { ProjectState, Transition } from '../domain/transition.js';
import { chinaDate } from '../domain/working-days.js';
import type { OutboxSend, StoreOp } from '../store/store.port.js';
import type { AppContext } from './context.js';
import { notificationEffects } from './notify.js';
import { referenceData } from './reference-cache.js';

/** The numbers of the notices one transaction issues, taken from the year's sequence in that transaction. */
export type NoticeNumbering = { year: string; sequence: string; previous: number | undefined; taken: number };

export async function noticeNumbering(ctx: AppContext, now: Date): Promise<NoticeNumbering> {
  const year = chinaDate(now).slice(0, 4);
  const sequence = noticeSequence(year);
  return { year, sequence, previous: await ctx.store.readSerial(sequence), taken: 0 };
}

/** The write that takes the numbers used (none when no notice was issued). */
export const numberingOps = (n: NoticeNumbering): StoreOp[] =>
  n.taken === 0
    ? []
    : [{ op: 'take_serial', sequence: n.sequence, expected: n.previous, next: (n.previous ?? 0) + n.taken }];

/** What a caller read before deciding, so that assembling the notices reads nothing more. */
export type NoticeReference = {
  departments: readonly Department[];
  /** the year's numbers as read with the project (this transaction writes `numberingOps` for them) */
  numbering?: NoticeNumbering;
};

/**
 * What the agent gets when a decision needs them (the domain's `supplementNotices`): the 一次性告知书 (numbered,
 * stored on the project, readable as JSON and as a printable page) and an item in their inbox. The writes join the
 * decision's own transaction, so the notice exists exactly when the request does. What the notices need and the
 * caller did not read beforehand (`read`) is read here: the departments through the reference cache, the year's
 * last number from the store.
 */
export async function agentNotices(
  ctx: AppContext,
  state: ProjectState,
  transition: Transition,
  now: Date,
  /** numbers shared with other notices of the same transaction (the caller then writes `numberingOps`) */
  shared?: NoticeNumbering,
  read?: NoticeReference,
): Promise<{ ops: StoreOp[]; sends: OutboxSend[] }> {
  if (noticeEvents(transition).length === 0) return { ops: [], sends: [] };
  const numbering = shared ?? read?.numbering ?? (await noticeNumbering(ctx, now));
  const departments = read?.departments ?? (await referenceData(ctx.store).departments());
  const { documents, notices, taken } = supplementNotices(
    state,
    transition,
    numbering,
    new Map(departments.map((d) => [d.id, d.name])),
    now,
    ctx.newId,
  );
  numbering.taken = taken;
  const effects = await notificationEffects(ctx, notices, now);
  return {
    ops: [
      ...(shared ? [] : numberingOps(numbering)),
      ...documents.map((document: ProjectDocument): StoreOp => ({ op: 'put_document', document })),
      ...effects.ops,
    ],
    sends: effects.sends,
  };
}
