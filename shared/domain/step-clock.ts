import { z } from 'zod';
import { ConflictError } from './errors.js';
import { ChinaDateSchema, InstantSchema } from './time.js';
import { chinaDate, endOfChinaDay, type WorkingDayCalendar } from './working-days.js';

/**
 * The clock of a step (or joint-review part) in review, as data: when the department accepted the submission
 * (受理), its promised and legal limits in working days, and the periods the clock stood still. Everything shown
 * (due dates, elapsed and remaining days, lights) is computed from it, so a calendar correction recomputes it.
 *
 * Rules (DOMAIN.md, 行政许可法): the promised limit of N working days ends at the close of the Nth working day
 * after the day of acceptance; a submission on a non-working day counts from the next working day. The clock stops
 * while the applicant supplements (补正) and during hearings, expert review, testing and site surveys, and every
 * working day it stood still moves the due dates on by one.
 */

/** Why a clock stands still: the applicant's supplement, or one of the periods the law excludes. */
export const ClockPauseKindSchema = z.enum([
  'supplement',
  'hearing',
  'expert_review',
  'testing',
  'site_survey',
]);
export type ClockPauseKind = z.infer<typeof ClockPauseKindSchema>;

export const ClockPauseSchema = z.object({
  pauseId: z.string(),
  kind: ClockPauseKindSchema,
  reason: z.string().optional(),
  from: InstantSchema,
  fromDate: ChinaDateSchema,
  /** what the department expects (declared pauses) */
  expectedEnd: ChinaDateSchema.optional(),
  to: InstantSchema.optional(),
  toDate: ChinaDateSchema.optional(),
  endedBy: z.string().optional(),
});
export type ClockPause = z.infer<typeof ClockPauseSchema>;

export const StepClockSchema = z.object({
  acceptedAt: InstantSchema,
  /** the working day counting starts after (the acceptance day, or the next working day) */
  acceptedOn: ChinaDateSchema,
  promisedDays: z.number().int().min(0),
  legalDays: z.number().int().min(0),
  pauses: z.array(ClockPauseSchema),
});
export type StepClock = z.infer<typeof StepClockSchema>;

/** Where a clock's limits end; absent while the clock stands still. */
export type ClockDue = {
  dueDate: string;
  /** the last instant of the due date (23:59:59.999 China time) */
  dueAt: string;
  legalDueDate: string;
  legalDueAt: string;
  /** the promised due date is a guess: a day counted falls in a year whose official schedule the calendar lacks */
  dueFlagged: boolean;
  /** the legal due date is a guess (the same, for the legal limit) */
  legalDueFlagged: boolean;
  /** either due date is a guess */
  flagged: boolean;
};

/** What a clock reads at an instant: working days elapsed and left on both limits. */
export type ClockReading = {
  paused: boolean;
  /** working days counted so far (pauses excluded) */
  elapsed: number;
  /** promisedDays − elapsed; negative once overdue */
  promisedLeft: number;
  legalLeft: number;
  /** working days the clock stood still, current pause included */
  pausedDays: number;
  /** the promised limit has passed (its due date is behind us, even on a weekend right after it) */
  overdue: boolean;
  flagged: boolean;
};

/** Starts a clock at acceptance. */
export function startClock(
  calendar: WorkingDayCalendar,
  now: Date,
  limits: { promisedDays: number; legalDays: number },
): StepClock {
  return {
    acceptedAt: now.toISOString(),
    acceptedOn: calendar.workingDayOnOrAfter(chinaDate(now)).date,
    promisedDays: limits.promisedDays,
    legalDays: limits.legalDays,
    pauses: [],
  };
}

/** The pause the clock stands still in, if any. */
export const openPause = (clock: StepClock): ClockPause | undefined => clock.pauses.find((p) => !p.to);

/** Stops the clock. Throws when it already stands still (one pause at a time). */
export function pauseClock(
  clock: StepClock,
  now: Date,
  pause: { pauseId: string; kind: ClockPauseKind; reason?: string; expectedEnd?: string },
): StepClock {
  const current = openPause(clock);
  if (current) {
    throw new ConflictError(
      'CLOCK.ALREADY_PAUSED',
      `the clock already stands still (${current.kind} since ${current.fromDate}); end that pause first`,
    );
  }
  return {
    ...clock,
    pauses: [...clock.pauses, { ...pause, from: now.toISOString(), fromDate: chinaDate(now) }],
  };
}

/** Starts a stopped clock again; a clock that runs is returned as it is. */
export function resumeClock(clock: StepClock, now: Date, endedBy?: string): StepClock {
  if (!openPause(clock)) return clock;
  return {
    ...clock,
    pauses: clock.pauses.map((p) =>
      p.to ? p : { ...p, to: now.toISOString(), toDate: chinaDate(now), ...(endedBy ? { endedBy } : {}) },
    ),
  };
}

/** Working days the clock stood still up to `today` (a pause still open counts up to today). */
function pausedDays(calendar: WorkingDayCalendar, clock: StepClock, today: string) {
  let days = 0;
  let flagged = false;
  for (const pause of clock.pauses) {
    // Days before counting began (a pause declared on the day of a weekend submission) move nothing.
    // biome-ignore lint/complexity/useMathMinMax: these are dates (YYYY-MM-DD), compared as strings
    const start = pause.fromDate > clock.acceptedOn ? pause.fromDate : clock.acceptedOn;
    const end = pause.toDate ?? today;
    if (end <= start) continue;
    const counted = calendar.workingDaysBetween(start, end);
    days += counted.days;
    flagged ||= counted.flagged;
  }
  return { days, flagged };
}

/** The due dates of a running clock (undefined while it stands still). */
export function clockDue(calendar: WorkingDayCalendar, clock: StepClock): ClockDue | undefined {
  if (openPause(clock)) return undefined;
  const paused = pausedDays(calendar, clock, clock.acceptedOn);
  const due = calendar.addWorkingDays(clock.acceptedOn, clock.promisedDays + paused.days);
  const legal = calendar.addWorkingDays(clock.acceptedOn, clock.legalDays + paused.days);
  const start = paused.flagged || !calendar.isKnownYear(clock.acceptedOn);
  const dueFlagged = start || due.flagged;
  const legalDueFlagged = start || legal.flagged;
  return {
    dueDate: due.date,
    dueAt: endOfChinaDay(due.date),
    legalDueDate: legal.date,
    legalDueAt: endOfChinaDay(legal.date),
    dueFlagged,
    legalDueFlagged,
    flagged: dueFlagged || legalDueFlagged,
  };
}

/**
 * What the clock reads at `now`. A decided step's clock stopped at its decision (`decidedAt`): it reads as it did
 * then, however long ago that was.
 */
export function readClock(
  calendar: WorkingDayCalendar,
  clock: StepClock,
  now: Date,
  decidedAt?: string,
): ClockReading {
  const at = decidedAt !== undefined && decidedAt < now.toISOString() ? new Date(decidedAt) : now;
  const today = chinaDate(at);
  const paused = pausedDays(calendar, clock, today);
  const counted =
    today > clock.acceptedOn
      ? calendar.workingDaysBetween(clock.acceptedOn, today)
      : { days: 0, flagged: false };
  const elapsed = Math.max(0, counted.days - paused.days);
  const due = clockDue(calendar, clock);
  return {
    paused: openPause(clock) !== undefined,
    overdue: elapsed > clock.promisedDays || (due !== undefined && today > due.dueDate),
    elapsed,
    promisedLeft: clock.promisedDays - elapsed,
    legalLeft: clock.legalDays - elapsed,
    pausedDays: paused.days,
    flagged: counted.flagged || paused.flagged,
  };
}

/**
 * 补不过半: a supplement may be asked for only in the first half of the promised limit. Returns the refusal's
 * message, or undefined when a supplement request is still allowed.
 */
export function supplementTooLate(reading: ClockReading, promisedDays: number): string | undefined {
  if (promisedDays === 0 || reading.elapsed * 2 <= promisedDays) return undefined;
  return (
    `补不过半: a supplement may be requested only in the first half of the ${promisedDays}-working-day limit; ` +
    `${reading.elapsed} working day(s) have passed and ${Math.max(0, reading.promisedLeft)} are left, so decide ` +
    'on the materials as they are'
  );
}
