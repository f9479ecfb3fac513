import { type Complaint, complaintDue } from './complaint.js';
import { climbed, type Escalation, ladderCheckpoints } from './escalation-ladder.js';
import type { ComplaintRung, SlaPolicy } from './sla-policy.js';
import { addCalendarDays, chinaDate, startOfChinaDay, type WorkingDayCalendar } from './working-days.js';

/**
 * 限时办结 of an efficiency complaint, like a step's: yellow when its last working days come, red once its due date
 * has passed, then the escalation ladder of the complaint policy (the efficiency office's head, then the leaders),
 * rung by rung as the working days overdue pile up. Pure: the sweep asks what is due at its instant, acts, and asks
 * when to look again, so a second sweep at the same instant finds nothing to do.
 */
export type ComplaintCheckpoint =
  | { kind: 'yellow'; at: string }
  | { kind: 'red'; at: string }
  | (Escalation<ComplaintRung> & { at: string });

export type ComplaintSlaAction =
  | { kind: 'yellow' }
  | { kind: 'red'; dueDate: string }
  | Escalation<ComplaintRung>;

const ORDER: Record<ComplaintCheckpoint['kind'], number> = { yellow: 0, red: 1, escalate: 2 };

export function complaintTimeline(
  calendar: WorkingDayCalendar,
  complaint: Pick<Complaint, 'filedAt' | 'dueDate'>,
  policy: SlaPolicy,
): ComplaintCheckpoint[] {
  const checkpoints: ComplaintCheckpoint[] = [];
  // Yellow: the first day with at most `yellowDaysLeft` working days left (at the latest the due date itself).
  for (
    let day = chinaDate(new Date(complaint.filedAt));
    day <= complaint.dueDate;
    day = addCalendarDays(day, 1)
  ) {
    if (calendar.workingDaysBetween(day, complaint.dueDate).days <= policy.yellowDaysLeft) {
      checkpoints.push({ kind: 'yellow', at: startOfChinaDay(day) });
      break;
    }
  }
  const redAt = startOfChinaDay(addCalendarDays(complaint.dueDate, 1));
  checkpoints.push({ kind: 'red', at: redAt });
  checkpoints.push(...ladderCheckpoints(calendar, complaint.dueDate, redAt, policy.complaints.escalation));
  return checkpoints.sort((a, b) => a.at.localeCompare(b.at) || ORDER[a.kind] - ORDER[b.kind]);
}

function pending(complaint: Complaint, timeline: ComplaintCheckpoint[]): ComplaintCheckpoint[] {
  const light = complaint.light ?? 'green';
  const level = complaint.escalationLevel ?? 0;
  return timeline.filter((c) =>
    c.kind === 'yellow' ? light === 'green' : c.kind === 'red' ? light !== 'red' : c.level > level,
  );
}

/** When the sweep should next look at an open complaint (undefined once closed or nothing is left to do). */
export function complaintCheckAt(
  calendar: WorkingDayCalendar,
  complaint: Complaint,
  policy: SlaPolicy,
): string | undefined {
  if (complaint.status === 'closed') return undefined;
  return pending(complaint, complaintTimeline(calendar, complaint, policy)).filter(
    (c) => !onGuess(complaint, c),
  )[0]?.at;
}

/**
 * Never act on a guess: a due date counted through a year without a schedule lights yellow but is never breached or
 * escalated on; the complaint waits until the year is added (the calendar change recounts it and re-arms it).
 */
const onGuess = (complaint: Complaint, c: { kind: string }): boolean =>
  complaint.dueFlagged === true && c.kind !== 'yellow';

/**
 * The sweep's step on one complaint at `now`: every checkpoint due is acted on in order, and the complaint learns
 * when to be looked at next. Undefined when nothing changes.
 */
export function complaintSlaStep(
  calendar: WorkingDayCalendar,
  complaint: Complaint,
  policy: SlaPolicy,
  now: Date,
): { complaint: Complaint; actions: ComplaintSlaAction[] } | undefined {
  if (complaint.status === 'closed') return undefined;
  const at = now.toISOString();
  const due = pending(complaint, complaintTimeline(calendar, complaint, policy)).filter(
    (c) => c.at <= at && !onGuess(complaint, c),
  );
  let light = complaint.light ?? 'green';
  let escalationLevel = complaint.escalationLevel ?? 0;
  const actions: ComplaintSlaAction[] = [];
  for (const checkpoint of due) {
    if (checkpoint.kind === 'yellow') {
      light = 'yellow';
      actions.push({ kind: 'yellow' });
    } else if (checkpoint.kind === 'red') {
      light = 'red';
      actions.push({ kind: 'red', dueDate: complaint.dueDate });
    } else {
      escalationLevel = checkpoint.level;
      actions.push(climbed(checkpoint));
    }
  }
  const marked: Complaint = { ...complaint, light, escalationLevel };
  const next = complaintCheckAt(calendar, marked, policy);
  if (actions.length === 0 && next === complaint.slaCheckAt) return undefined;
  const { slaCheckAt: _s, ...rest } = marked;
  return {
    complaint: {
      ...rest,
      ...(next ? { slaCheckAt: next } : {}),
      version: complaint.version + 1,
      ...(actions.length > 0 ? { updatedAt: at } : {}),
    },
    actions,
  };
}

/**
 * A complaint's due date counted again on the calendar as it now is (an admin added a year or a closure), with
 * its flag and the sweep's next look. Undefined when the complaint is closed or nothing changes.
 */
export function recountComplaint(
  calendar: WorkingDayCalendar,
  complaint: Complaint,
  policy: SlaPolicy,
  now: Date,
): Complaint | undefined {
  if (complaint.status === 'closed') return undefined;
  const due = complaintDue(calendar, new Date(complaint.filedAt), complaint.limitDays);
  if (due.dueDate === complaint.dueDate && due.flagged === (complaint.dueFlagged ?? false)) return undefined;
  const { dueFlagged: _f, slaCheckAt: _s, ...rest } = complaint;
  const recounted: Complaint = {
    ...rest,
    dueDate: due.dueDate,
    ...(due.flagged ? { dueFlagged: true } : {}),
  };
  const next = complaintCheckAt(calendar, recounted, policy);
  return {
    ...recounted,
    ...(next ? { slaCheckAt: next } : {}),
    version: complaint.version + 1,
    updatedAt: now.toISOString(),
  };
}
