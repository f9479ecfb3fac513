import { type Escalation, ladderCheckpoints } from './escalation-ladder.js';
import type { Light } from './lights.js';
import { lightOf } from './lights.js';
import type { EscalationRung, SlaPolicy } from './sla-policy.js';
import { clockDue, readClock, type StepClock } from './step-clock.js';
import { addCalendarDays, startOfChinaDay, type WorkingDayCalendar } from './working-days.js';

/**
 * When the SLA sweep must act on a step (or part) in review, from its clock, the calendar and the policy: the light
 * turns yellow, then red once the promised limit has passed; the escalation ladder is climbed rung by rung as the
 * working days overdue pile up; and, where the step's policy allows 超时默认, the step is deemed approved on the
 * next working day after the breach. Pure: the sweep asks what is due at its instant, acts, and asks when to look
 * again, so a second sweep at the same instant finds nothing to do.
 */
export type SlaCheckpoint =
  | { kind: 'yellow'; at: string }
  | { kind: 'red'; at: string }
  | (Escalation<EscalationRung> & { at: string })
  | { kind: 'deemed'; at: string };

/** What the sweep has already done to an item. */
export type SlaProgress = { light?: Light; escalationLevel?: number };

const ORDER: Record<SlaCheckpoint['kind'], number> = { yellow: 0, red: 1, escalate: 2, deemed: 3 };

/** Every checkpoint of a running clock, in time order; none while it stands still. */
export function slaTimeline(
  calendar: WorkingDayCalendar,
  clock: StepClock,
  policy: SlaPolicy,
  deemedAllowed: boolean,
): SlaCheckpoint[] {
  const due = clockDue(calendar, clock);
  if (!due) return [];
  const checkpoints: SlaCheckpoint[] = [];
  // Yellow: the first day whose reading the policy calls yellow (at the latest the due date itself).
  for (let day = clock.acceptedOn; day <= due.dueDate; day = addCalendarDays(day, 1)) {
    const reading = readClock(calendar, clock, new Date(startOfChinaDay(day)));
    if (lightOf(reading, clock.promisedDays, policy) !== 'green') {
      checkpoints.push({ kind: 'yellow', at: startOfChinaDay(day) });
      break;
    }
  }
  const redAt = startOfChinaDay(addCalendarDays(due.dueDate, 1));
  checkpoints.push({ kind: 'red', at: redAt });
  checkpoints.push(...ladderCheckpoints(calendar, due.dueDate, redAt, policy.escalation));
  if (deemedAllowed) {
    // 超时默认 on the next working day after the breach.
    const next = calendar.workingDayOnOrAfter(addCalendarDays(due.dueDate, 1)).date;
    checkpoints.push({ kind: 'deemed', at: startOfChinaDay(next) });
  }
  return checkpoints.sort((a, b) => a.at.localeCompare(b.at) || ORDER[a.kind] - ORDER[b.kind]);
}

/** The checkpoints not yet acted on. */
export function pendingCheckpoints(
  timeline: readonly SlaCheckpoint[],
  progress: SlaProgress,
): SlaCheckpoint[] {
  const light = progress.light ?? 'green';
  const level = progress.escalationLevel ?? 0;
  const pending: Record<SlaCheckpoint['kind'], (c: SlaCheckpoint) => boolean> = {
    yellow: () => light === 'green',
    red: () => light !== 'red',
    escalate: (c) => c.kind === 'escalate' && c.level > level,
    deemed: () => true,
  };
  return timeline.filter((c) => pending[c.kind](c));
}

/** When the sweep should next look at an item: the first checkpoint not yet acted on, if any. */
export function nextCheckAt(
  calendar: WorkingDayCalendar,
  clock: StepClock | undefined,
  progress: SlaProgress,
  policy: SlaPolicy,
  deemedAllowed: boolean,
): string | undefined {
  if (!clock) return undefined;
  return pendingCheckpoints(slaTimeline(calendar, clock, policy, deemedAllowed), progress)[0]?.at;
}
