import { type CaseFacts, type CaseKind, caseFactsOf, countCaseKinds } from './case-kinds.js';
import type { Chain } from './chain.js';
import type { Department } from './department.js';
import type { Project, ProjectStep } from './project.js';
import { readClock } from './step-clock.js';
import { addCalendarDays, chinaDate, type WorkingDayCalendar } from './working-days.js';

/** An ISO week (Monday to Sunday, China dates): `2026-W47`. */
export type IsoWeek = { id: string; from: string; to: string };

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

export type ReportProject = { project: Project; chain: Chain; items: ProjectStep[] };

const round1 = (n: number) => Math.round(n * 10) / 10;
const average = (values: number[]) =>
  values.length ? round1(values.reduce((a, b) => a + b, 0) / values.length) : null;

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
  const { week, calendar } = input;
  const inWeek = (instant: string | undefined) => {
    if (!instant) return false;
    const date = chinaDate(new Date(instant));
    return date >= week.from && date <= week.to;
  };
  const names = new Map(input.departments.map((d) => [d.id, d]));
  type Decided = {
    project: Project;
    item: ProjectStep;
    stageIndex: number;
    stageName: string;
    stepName: string;
    workingDays: number;
    promisedDays: number;
    legalDays: number;
    late: boolean;
    deemed: boolean;
  };
  const decided: Decided[] = [];
  const cases: CaseFacts[] = [];
  let started = 0;
  let advanced = 0;
  let completed = 0;
  for (const { project, chain, items } of input.projects) {
    if (inWeek(project.createdAt)) started += 1;
    if (inWeek(project.completedAt)) completed += 1;
    let moved = false;
    for (const item of items) {
      if (!inWeek(item.decidedAt)) continue;
      moved = true;
      const stage = chain.stages[item.stageIndex];
      const step = stage?.steps.find((s) => s.id === item.stepId);
      if (!step) continue;
      if (!item.partId) {
        cases.push(caseFactsOf(step, item));
      }
      // a joint review's decisions are its parts'; the step itself only concludes them
      if (step.parts && !item.partId) continue;
      if (!item.clock || !item.departmentId) continue;
      if (item.status !== 'approved' && item.status !== 'deemed_approved' && item.status !== 'rejected')
        continue;
      const part = item.partId ? step.parts?.find((p) => p.id === item.partId) : undefined;
      const reading = readClock(calendar, item.clock, new Date(item.decidedAt as string));
      const deemed = item.status === 'deemed_approved';
      decided.push({
        project,
        item,
        stageIndex: item.stageIndex,
        stageName: stage?.name ?? '',
        stepName: part ? `${step.name}（${part.name}）` : step.name,
        workingDays: reading.elapsed,
        promisedDays: item.clock.promisedDays,
        legalDays: item.clock.legalDays,
        late: deemed || (item.lateByDays ?? 0) > 0 || reading.promisedLeft < 0,
        deemed,
      });
    }
    if (moved || items.some((i) => inWeek(i.submittedAt))) advanced += 1;
  }
  const onTime = decided.filter((d) => !d.late).length;
  const byDepartment = new Map<string, Decided[]>();
  for (const d of decided) {
    const id = d.item.departmentId as string;
    byDepartment.set(id, [...(byDepartment.get(id) ?? []), d]);
  }
  const departments = [...byDepartment.entries()]
    .map(([departmentId, rows]) => ({
      departmentId,
      name: names.get(departmentId)?.name ?? departmentId,
      nameEn: names.get(departmentId)?.nameEn ?? departmentId,
      decided: rows.length,
      onTime: rows.filter((r) => !r.late).length,
      late: rows.filter((r) => r.late).length,
      deemedApprovals: rows.filter((r) => r.deemed).length,
      averageWorkingDays: average(rows.map((r) => r.workingDays)),
      averagePromisedDays: average(rows.map((r) => r.promisedDays)),
    }))
    .sort(
      (a, b) =>
        b.late + b.deemedApprovals - (a.late + a.deemedApprovals) ||
        a.onTime / a.decided - b.onTime / b.decided ||
        a.departmentId.localeCompare(b.departmentId),
    )
    .map((row, index) => ({ rank: index + 1, ...row }));
  const stageIndexes = [...new Set(decided.map((d) => d.stageIndex))].sort((a, b) => a - b);
  const caseKinds: Record<CaseKind, number> = countCaseKinds(cases);
  return {
    week: week.id,
    from: week.from,
    to: week.to,
    generatedAt: input.generatedAt,
    projects: { started, advanced, completed },
    steps: {
      decided: decided.length,
      onTime,
      late: decided.length - onTime,
      onTimeRate: decided.length ? round1((onTime / decided.length) * 100) : null,
    },
    deemedApprovalsByDepartment: departments
      .filter((d) => d.deemedApprovals > 0)
      .map((d) => ({ departmentId: d.departmentId, name: d.name, count: d.deemedApprovals })),
    stages: stageIndexes.map((stageIndex) => {
      const rows = decided.filter((d) => d.stageIndex === stageIndex);
      return {
        stageIndex,
        name: rows[0]?.stageName ?? '',
        decided: rows.length,
        averageWorkingDays: average(rows.map((r) => r.workingDays)),
        averagePromisedDays: average(rows.map((r) => r.promisedDays)),
        averageLegalDays: average(rows.map((r) => r.legalDays)),
      };
    }),
    slowest: [...decided]
      .sort(
        (a, b) =>
          b.workingDays - b.promisedDays - (a.workingDays - a.promisedDays) || b.workingDays - a.workingDays,
      )
      .slice(0, 5)
      .map((d) => ({
        projectCode: d.project.code,
        projectName: d.project.name,
        stepId: d.item.stepId,
        ...(d.item.partId ? { partId: d.item.partId } : {}),
        stepName: d.stepName,
        departmentId: d.item.departmentId,
        departmentName: names.get(d.item.departmentId as string)?.name ?? d.item.departmentId,
        workingDays: d.workingDays,
        promisedDays: d.promisedDays,
        legalDays: d.legalDays,
        outcome: d.item.status,
      })),
    departments,
    caseKinds,
  };
}

export type WeeklyReport = ReturnType<typeof weeklyReport>;
