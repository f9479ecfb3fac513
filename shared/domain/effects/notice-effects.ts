import type { Department } from '../department.js';
import { noticeEvents, noticeSequence, supplementNotices } from '../supplement-notice.js';
import type { ProjectState, Transition } from '../transition.js';
import { chinaDate } from '../working-days.js';
import type { EffectWrite, OwedSend } from './effect-writes.js';
import { notificationsOf } from './notifications-of.js';

/** The numbers of the notices one transaction issues, taken from the year's sequence in that transaction. */
export type NoticeNumbering = { year: string; sequence: string; previous: number | undefined; taken: number };

/** The year's sequence of 一次性告知书 numbers at `now` (its last number is read before the rule). */
export const noticeSequenceAt = (now: Date): { year: string; sequence: string } => {
  const year = chinaDate(now).slice(0, 4);
  return { year, sequence: noticeSequence(year) };
};

/** The write that takes the numbers used (none when no notice was issued). */
export const numberingWrites = (n: NoticeNumbering): EffectWrite[] =>
  n.taken === 0
    ? []
    : [{ op: 'take_serial', sequence: n.sequence, expected: n.previous, next: (n.previous ?? 0) + n.taken }];

/**
 * What the agent gets when a change asks for materials (the domain's `supplementNotices`): the 一次性告知书
 * (numbered, stored on the project) and an item in their inbox, with the write that takes the numbers (unless the
 * numbering is shared with other transitions of the same transaction, whose caller writes it once).
 */
export function noticeEffects(input: {
  state: ProjectState;
  transition: Transition;
  numbering: NoticeNumbering;
  departments: readonly Pick<Department, 'id' | 'name' | 'webhookUrl'>[];
  now: Date;
  newId: () => string;
  /** the numbering is shared: its write is the caller's */
  shared?: boolean;
}): { writes: EffectWrite[]; sends: OwedSend[]; taken: number } {
  const { state, transition, numbering, departments, now, newId } = input;
  if (noticeEvents(transition).length === 0) return { writes: [], sends: [], taken: numbering.taken };
  const { documents, notices, taken } = supplementNotices(
    state,
    transition,
    numbering,
    new Map(departments.map((d) => [d.id, d.name])),
    now,
    newId,
  );
  // the notices tell the agent alone: no group of users to read
  const told = notificationsOf(notices, { users: new Map(), departments }, now, newId);
  return {
    writes: [
      ...(input.shared ? [] : numberingWrites({ ...numbering, taken })),
      ...documents.map((document): EffectWrite => ({ op: 'put_document', document })),
      ...told.writes,
    ],
    sends: told.sends,
    taken,
  };
}
