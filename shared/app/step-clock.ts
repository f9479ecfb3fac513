import type { ProjectStep } from '../domain/project.js';
import { chinaDate, endOfChinaDay } from '../domain/working-days.js';
import type { AppContext } from './context.js';

/** The due fields of a step in review: the promised limit (with the instant it ends) and the legal limit. */
export type StepDue = Pick<ProjectStep, 'dueDate' | 'dueAt' | 'legalDueDate' | 'dueFlagged'>;

/**
 * Starts (or resumes) a step's clock at `now`: the promised and legal limits, in working days counted from the
 * next working day. `flagged` carries over a flag already raised, so a resumed clock keeps it.
 */
export function startClock(
  ctx: Pick<AppContext, 'calendar'>,
  now: Date,
  limits: { promisedDays: number; legalDays: number; flagged?: boolean },
): StepDue {
  const today = chinaDate(now);
  const due = ctx.calendar.addWorkingDays(today, limits.promisedDays);
  const legalDue = ctx.calendar.addWorkingDays(today, limits.legalDays);
  return {
    dueDate: due.date,
    dueAt: endOfChinaDay(due.date),
    legalDueDate: legalDue.date,
    dueFlagged: limits.flagged || due.flagged || legalDue.flagged ? true : undefined,
  };
}

/** The working days left at `now` on a step's promised and legal limits (negative once overdue). */
export function workingDaysLeft(
  ctx: Pick<AppContext, 'calendar'>,
  now: Date,
  step: Pick<ProjectStep, 'dueDate' | 'legalDueDate'>,
): { promised: number; legal: number } {
  const today = chinaDate(now);
  const left = (date: string | undefined) => (date ? ctx.calendar.workingDaysBetween(today, date).days : 0);
  return { promised: left(step.dueDate), legal: left(step.legalDueDate) };
}
