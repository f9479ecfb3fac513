import type { Department } from './department.js';
import {
  emptyTally,
  type IsoWeek,
  type ReportProject,
  tallyProjects,
  type WeekTally,
} from './weekly-report-tally.js';
import { addCalendarDays, chinaDate, type WorkingDayCalendar } from './working-days.js';

export type { IsoWeek, ReportProject } from './weekly-report-tally.js';

const DAY_MS = 86_400_000;

/** The ISO week a China date falls in. */
export function isoWeekOf(date: string): IsoWeek {
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = (day.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = addCalendarDays(date, -weekday);
  const thursday = new Date(day.getTime() + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  // the week of a date is the week of its Thursday; week 1 holds the year's first Thursday
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7);
  return { id: `${year}-W${String(week).padStart(2, '0')}`, from: monday, to: addCalendarDays(monday, 6) };
}

/** The week named `YYYY-Www`, or undefined if there is no such week. */
export function isoWeekNamed(id: string): IsoWeek | undefined {
  const match = /^(\d{4})-W(\d{2})$/.exec(id);
  if (!match) return undefined;
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (week < 1 || week > 53) return undefined;
  const jan4 = `${year}-01-04`;
  const first = isoWeekOf(jan4);
  const candidate = isoWeekOf(addCalendarDays(first.from, (week - 1) * 7));
  return candidate.id === id ? candidate : undefined;
}

/** The last whole week before `now` (the one a Monday's report covers). */
export const previousWeek = (now: Date): IsoWeek =>
  isoWeekOf(addCalendarDays(isoWeekOf(chinaDate(now)).from, -7));

const round1 = (n: number) => Math.round(n * 10) / 10;
const average = (sum: number, count: number) => (count ? round1(sum / count) : null);

/**
 * The weekly report (周报, DOMAIN.md "Weekly report and accountability") of one ISO week, from the projects as they
 * stand: projects started, advanced and completed; decisions on time and late; deemed approvals by department;
 * average working days per stage against the promised and legal limits; the slowest steps; the departments
 * ranked (most breaches and deemed approvals first); the five kinds of case. Pure: the caller reads the projects.
 */
export function weeklyReport(input: {
  week: IsoWeek;
  projects: ReportProject[];
  departments: Department[];
  calendar: WorkingDayCalendar;
  generatedAt: string;
}) {
  return reportOfTally({ ...input, tally: tallyProjects(emptyTally(), input) });
}

/** The report from the week's tally, once every project has been added to it (`tallyProjects`). */
export function reportOfTally(input: {
  week: IsoWeek;
  tally: WeekTally;
  departments: Department[];
  generatedAt: string;
}) {
  const { week, tally } = input;
  const names = new Map(input.departments.map((d) => [d.id, d]));
  const decided = Object.values(tally.departments).reduce((n, d) => n + d.decided, 0);
  const onTime = Object.values(tally.departments).reduce((n, d) => n + d.onTime, 0);
  const departments = Object.entries(tally.departments)
    .map(([departmentId, sums]) => ({
      departmentId,
      name: names.get(departmentId)?.name ?? departmentId,
      nameEn: names.get(departmentId)?.nameEn ?? departmentId,
      decided: sums.decided,
      onTime: sums.onTime,
      late: sums.decided - sums.onTime,
      deemedApprovals: sums.deemed,
      averageWorkingDays: average(sums.working, sums.decided),
      averagePromisedDays: average(sums.promised, sums.decided),
    }))
    .sort(
      (a, b) =>
        b.late + b.deemedApprovals - (a.late + a.deemedApprovals) ||
        a.onTime / a.decided - b.onTime / b.decided ||
        a.departmentId.localeCompare(b.departmentId),
    )
    .map((row, index) => ({ rank: index + 1, ...row }));
  return {
    week: week.id,
    from: week.from,
    to: week.to,
    generatedAt: input.generatedAt,
    projects: { ...tally.projects },
    steps: {
      decided,
      onTime,
      late: decided - onTime,
      onTimeRate: decided ? round1((onTime / decided) * 100) : null,
    },
    deemedApprovalsByDepartment: departments
      .filter((d) => d.deemedApprovals > 0)
      .map((d) => ({ departmentId: d.departmentId, name: d.name, count: d.deemedApprovals })),
    stages: Object.entries(tally.stages)
      .map(([index, sums]) => ({ stageIndex: Number(index), sums }))
      .sort((a, b) => a.stageIndex - b.stageIndex)
      .map(({ stageIndex, sums }) => ({
        stageIndex,
        name: sums.name,
        decided: sums.decided,
        averageWorkingDays: average(sums.working, sums.decided),
        averagePromisedDays: average(sums.promised, sums.decided),
        averageLegalDays: average(sums.legal, sums.decided),
      })),
    slowest: tally.slowest.map((row) => ({ ...row })),
    departments,
    caseKinds: { ...tally.caseKinds },
  };
}

export type WeeklyReport = ReturnType<typeof weeklyReport>;
