import { assertAllowed } from '../domain/access-policy.js';
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import {
  type IsoWeek,
  isoWeekNamed,
  previousWeek,
  type ReportProject,
  type WeeklyReport,
  weeklyReport,
} from '../domain/weekly-report.js';
import { chinaDate } from '../domain/working-days.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';

/**
 * Weekly reports (周报): generated once per ISO week by the scheduled job (the week that has just ended), or on
 * demand by an admin; stored under a name made of the week (`weekly-report#2026-W47`), so generating the same week
 * twice writes one report; listed newest first.
 */
const reportName = (week: string) => `weekly-report#${week}`;
const INDEX = 'weekly-reports';
const MAX_LISTED = 520;

function weekOrThrow(id: string): IsoWeek {
  const week = isoWeekNamed(id);
  if (!week)
    throw new InvalidInputError(
      'REPORT.WEEK',
      `'${id.slice(0, 20)}' is not a week: write it YYYY-Www, e.g. 2026-W47`,
    );
  return week;
}

/** Reads what the week's report is made of: every project that changed since the week began. */
async function projectsFor(ctx: AppContext, week: IsoWeek): Promise<ReportProject[]> {
  const projects: ReportProject[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.store.listProjects({}, { limit: 100, ...(cursor ? { cursor } : {}) });
    cursor = page.cursor;
    for (const project of page.items) {
      // a project untouched since before the week began has nothing in it (every change moves updatedAt)
      if (chinaDate(new Date(project.updatedAt)) < week.from) continue;
      const state = await loadState(ctx, project.projectId);
      projects.push({ project: state.project, chain: state.chain, items: [...state.items.values()] });
    }
  } while (cursor);
  return projects;
}

async function build(ctx: AppContext, week: IsoWeek): Promise<WeeklyReport> {
  const [projects, departments] = await Promise.all([projectsFor(ctx, week), ctx.store.listDepartments()]);
  return weeklyReport({
    week,
    projects,
    departments,
    calendar: ctx.calendar,
    generatedAt: ctx.clock.now().toISOString(),
  });
}

async function remember(ctx: AppContext, week: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const index = await ctx.store.getSetting(INDEX);
    const weeks = Array.isArray(index?.value.weeks) ? (index.value.weeks as string[]) : [];
    if (weeks.includes(week)) return;
    const next = [...weeks, week].sort().reverse().slice(0, MAX_LISTED);
    if (await ctx.store.putSetting(INDEX, { weeks: next }, { expectedRevision: index?.revision ?? null }))
      return;
  }
}

/**
 * An admin generates (or generates again) the report of a week, by default the week that has just ended.
 *
 * @example await generateWeeklyReport(ctx, admin, '2026-W47')
 */
export async function generateWeeklyReport(ctx: AppContext, principal: Principal, weekId?: string) {
  assertAllowed(principal, 'admin.operate');
  const week = weekId ? weekOrThrow(weekId) : previousWeek(ctx.clock.now());
  if (week.from > chinaDate(ctx.clock.now())) {
    throw new InvalidInputError('REPORT.FUTURE_WEEK', `week ${week.id} has not begun yet`);
  }
  const report = await build(ctx, week);
  await ctx.store.putSetting(reportName(week.id), report as unknown as Record<string, unknown>);
  await remember(ctx, week.id);
  return report;
}

/**
 * The scheduled job's part: the report of the week that has just ended, once (a report already stored is left as
 * it is). Returns whether it wrote one.
 */
export async function ensureWeeklyReport(ctx: AppContext, now: Date): Promise<boolean> {
  const week = previousWeek(now);
  if (await ctx.store.getSetting(reportName(week.id))) return false;
  const report = await build(ctx, week);
  const written = await ctx.store.putSetting(
    reportName(week.id),
    report as unknown as Record<string, unknown>,
    {
      expectedRevision: null,
    },
  );
  await remember(ctx, week.id);
  return written;
}

/** The stored reports, newest first, with their headline figures (for the list and the trend). */
export async function listWeeklyReports(ctx: AppContext, principal: Principal, limit = 26) {
  assertAllowed(principal, 'reports.read_weekly');
  const index = await ctx.store.getSetting(INDEX);
  const weeks = (Array.isArray(index?.value.weeks) ? (index.value.weeks as string[]) : []).slice(0, limit);
  const reports = await Promise.all(weeks.map((week) => ctx.store.getSetting(reportName(week))));
  return reports.flatMap((stored) => {
    if (!stored) return [];
    const report = stored.value as unknown as WeeklyReport;
    return [
      {
        week: report.week,
        from: report.from,
        to: report.to,
        generatedAt: report.generatedAt,
        projects: report.projects,
        steps: report.steps,
        deemedApprovals: report.deemedApprovalsByDepartment.reduce((n, d) => n + d.count, 0),
      },
    ];
  });
}

/** The stored reports whole, newest first: the weekly figures as a feed (`GET /reports/weekly/feed.json`). */
export async function weeklyReportFeed(
  ctx: AppContext,
  principal: Principal,
  limit = 26,
): Promise<WeeklyReport[]> {
  assertAllowed(principal, 'reports.read_weekly');
  const index = await ctx.store.getSetting(INDEX);
  const weeks = (Array.isArray(index?.value.weeks) ? (index.value.weeks as string[]) : []).slice(0, limit);
  const reports = await Promise.all(weeks.map((week) => ctx.store.getSetting(reportName(week))));
  return reports.flatMap((stored) => (stored ? [stored.value as unknown as WeeklyReport] : []));
}

export async function getWeeklyReport(
  ctx: AppContext,
  principal: Principal,
  weekId: string,
): Promise<WeeklyReport> {
  assertAllowed(principal, 'reports.read_weekly');
  const week = weekOrThrow(weekId);
  const stored = await ctx.store.getSetting(reportName(week.id));
  if (!stored) {
    throw new NotFoundError(
      'REPORT.NOT_FOUND',
      `no report for ${week.id} (${week.from} – ${week.to}) yet; an admin can generate it (POST /admin/reports/weekly)`,
    );
  }
  return stored.value as unknown as WeeklyReport;
}
