import { type CalendarOverrides, type YearSchedule, yearScheduleProblems } from './calendar-overrides.js';
import { findStep } from './chain-graph.js';
import { DOCUMENT_TITLES, type ProjectDocument } from './documents.js';
import { InvalidInputError } from './errors.js';
import type { Project, ProjectEvent, ProjectStep } from './project.js';
import type { EventDraft, ProjectState } from './transition.js';
import { chinaDate } from './working-days.js';

/**
 * A calendar change (DOMAIN.md "Never act on a guess; a calendar change recomputes and corrects, never edits"): an
 * admin gives a year's schedule (or corrects one) or a local closure (or lifts one). This says what the calendar
 * becomes, from which day dates can move, which items a change touches, what a recomputation counts, and the
 * correcting record a 超时默认通知单 the change proves wrong gets. The use case stores the calendar, finds the
 * items, recomputes each (`recomputeDue`) and commits.
 */

export type CalendarChange =
  | { year: number; schedule: YearSchedule }
  | { closure: string; reason: string | null };

/** Refuses a year's schedule with problems, naming them all. */
export function assertCalendarChange(change: CalendarChange): void {
  if (!('year' in change)) return;
  const problems = yearScheduleProblems(change.year, change.schedule);
  if (problems.length > 0) {
    throw new InvalidInputError(
      'CALENDAR.INVALID',
      `the ${change.year} schedule is invalid: ${problems.join('; ')}`,
      {
        problems,
      },
    );
  }
}

/** The calendar's overrides once the change is made (a closure with no reason is lifted). */
export function calendarAfter(overrides: CalendarOverrides, change: CalendarChange): CalendarOverrides {
  if ('year' in change)
    return { ...overrides, years: { ...overrides.years, [String(change.year)]: change.schedule } };
  return {
    ...overrides,
    closures: Object.fromEntries(
      Object.entries({ ...overrides.closures, [change.closure]: change.reason }).filter(
        (entry): entry is [string, string] => entry[1] !== null,
      ),
    ),
  };
}

/** The first day a change can move a date from: the year's first day, or the closure's. */
export const firstDayChanged = (change: CalendarChange): string =>
  'year' in change ? `${change.year}-01-01` : change.closure;

/**
 * Whether a change from `from` on can move a date of this item: one still to come on or after `from`, or one
 * counted through a year without a schedule (flagged). `touched(item, '9999-12-31')` says whether a date is still
 * flagged.
 */
export function touched(item: ProjectStep, from: string): boolean {
  const open = item.decidedAt === undefined && item.clock !== undefined;
  const deferral =
    item.deferred && !item.deferred.missed && item.deferred.materials.length > 0 && open
      ? item.deferred
      : undefined;
  const commitment =
    item.commitment?.verifyBy && !item.commitment.verification && !item.commitment.overdue
      ? item.commitment
      : undefined;
  return (
    (open && (item.dueFlagged === true || item.legalDueFlagged === true)) ||
    (open && (item.legalDueDate ?? '') >= from) ||
    (open && (item.dueDate ?? '') >= from) ||
    (deferral !== undefined && (deferral.supplyByFlagged === true || deferral.supplyBy >= from)) ||
    (commitment !== undefined && (commitment.verifyByFlagged === true || (commitment.verifyBy ?? '') >= from))
  );
}

/** What a calendar change computed again, by kind of date, and the notices it proved wrong. */
export type Recomputed = {
  /** steps and parts with at least one date computed again */
  recomputed: number;
  /** steps and parts with a date still counted through a year without a schedule */
  stillFlagged: number;
  dueDates: number;
  legalDueDates: number;
  supplyDeadlines: number;
  verificationDates: number;
  complaintDueDates: number;
  /** 超时默认通知单 issued before the due date as now computed had passed: each got a correcting record */
  corrections: number;
};

export const nothingRecomputed = (): Recomputed => ({
  recomputed: 0,
  stillFlagged: 0,
  dueDates: 0,
  legalDueDates: 0,
  supplyDeadlines: 0,
  verificationDates: 0,
  complaintDueDates: 0,
  corrections: 0,
});

/** Adds one item's recomputed dates to the counts. */
export function countChanges(answer: Recomputed, before: ProjectStep, after: ProjectStep): void {
  answer.recomputed += 1;
  if (before.dueDate !== after.dueDate || before.dueFlagged !== after.dueFlagged) answer.dueDates += 1;
  if (before.legalDueDate !== after.legalDueDate || before.legalDueFlagged !== after.legalDueFlagged) {
    answer.legalDueDates += 1;
  }
  if (
    before.deferred?.supplyBy !== after.deferred?.supplyBy ||
    before.deferred?.supplyByFlagged !== after.deferred?.supplyByFlagged
  ) {
    answer.supplyDeadlines += 1;
  }
  if (
    before.commitment?.verifyBy !== after.commitment?.verifyBy ||
    before.commitment?.verifyByFlagged !== after.commitment?.verifyByFlagged
  ) {
    answer.verificationDates += 1;
  }
}

/** Whether a notice was already corrected to the same due date (a correction is made once). */
export const alreadyCorrected = (events: readonly ProjectEvent[], record: EventDraft): boolean =>
  events.some(
    (e) =>
      e.type === 'deemed_notice_corrected' &&
      e.stepId === record.stepId &&
      e.partId === record.partId &&
      e.data?.notice === record.data?.notice &&
      e.after?.dueDate === record.after?.dueDate,
  );

const targetOf = (item: ProjectStep) => ({
  stepId: item.stepId,
  ...(item.partId ? { partId: item.partId } : {}),
  ...(item.departmentId ? { departmentId: item.departmentId } : {}),
});

/** The word a correcting record sends: to the step's department, the agent and the leaders. */
export function correctionNotice(project: Project, item: ProjectStep, record: EventDraft) {
  return {
    kind: 'calendar' as const,
    title: `超时默认通知单更正：${String(record.data?.notice ?? '')}`,
    message: `项目 ${project.code}「${project.name}」第 ${item.stepId} 项：${String(record.data?.reason ?? '')}`,
    ...targetOf(item),
    audiences: [
      ...(item.departmentId ? [{ departmentId: item.departmentId }] : []),
      { userId: project.agentId },
      { role: 'leader' as const },
    ],
  };
}

/** The correcting record as a document of its own, listed and printable beside the notice it corrects. */
export function correctionDocument(
  state: Pick<ProjectState, 'project' | 'chain'>,
  item: ProjectStep,
  record: EventDraft,
  docId: string,
  now: Date,
): ProjectDocument {
  const { project } = state;
  return {
    projectId: project.projectId,
    docId,
    kind: 'notice_correction',
    number: `${String(record.data?.notice ?? '')}更正`,
    title: DOCUMENT_TITLES.notice_correction,
    issuedAt: now.toISOString(),
    ...targetOf(item),
    fields: {
      projectCode: project.code,
      projectName: project.name,
      enterpriseName: project.enterpriseName,
      stepName: findStep(state.chain, item.stepId)?.step.name ?? item.stepId,
      correctedNotice: record.data?.notice ?? null,
      correctedNoticeDate: record.data?.noticeDate ?? null,
      dueDate: record.after?.dueDate ?? null,
      deemableFrom: record.data?.deemableFrom ?? null,
      noticeDate: chinaDate(now),
      consequence: String(record.data?.reason ?? ''),
    },
  };
}
