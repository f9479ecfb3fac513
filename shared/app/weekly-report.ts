import { assertAllowed } from '../domain/access-policy.js';
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { type IsoWeek, isoWeekNamed, previousWeek, type WeeklyReport } from '../domain/weekly-report.js';
import { chinaDate } from '../domain/working-days.js';
import type { AppContext } from './context.js';
import {
  advanceGeneration,
  beginGeneration,
  type GenerationLimits,
  type GenerationProgress,
  generationGoingOn,
  reportName,
  reportWeeks,
} from './weekly-report-generation.js';

/**
 * Weekly reports (周报): generated once per ISO week by the scheduled job (the week that has just ended), or on
 * demand by an admin; stored under a name made of the week (`weekly-report#2026-W47`), so generating the same week
 * twice writes one report; listed newest first. A report too long to make in one go is made over several runs
 * (`weekly-report-generation.ts`).
 */

/** How long an admin's request generates before it answers that the rest goes on in the background. */
export const GENERATE_IN_REQUEST_MS = 20_000;

function weekOrThrow(id: string): IsoWeek {
  const week = isoWeekNamed(id);
  if (!week)
    throw new InvalidInputError(
      'REPORT.WEEK',
      `'${id.slice(0, 20)}' is not a week: write it YYYY-Www, e.g. 2026-W47`,
    );
  return week;
}

/**
 * An admin generates (or generates again) the report of a week, by default the week that has just ended: the report
 * when it is done within `budgetMs` (a page at least), else how far it has got (the scheduled job finishes it within minutes).
 *
 * @example await generateWeeklyReport(ctx, admin, '2026-W47') // { report } or { generating: { week, read } }
 */
export async function generateWeeklyReport(
  ctx: AppContext,
  principal: Principal,
  weekId?: string,
  { budgetMs = GENERATE_IN_REQUEST_MS, pageSize }: { budgetMs?: number; pageSize?: number } = {},
): Promise<{ report: WeeklyReport } | { generating: GenerationProgress }> {
  assertAllowed(principal, 'admin.operate');
  const week = weekId ? weekOrThrow(weekId) : previousWeek(ctx.clock.now());
  if (week.from > chinaDate(ctx.clock.now())) {
    throw new InvalidInputError('REPORT.FUTURE_WEEK', `week ${week.id} has not begun yet`);
  }
  await beginGeneration(ctx, week, true);
  const report = await advanceGeneration(ctx, {
    stopBy: Date.now() + budgetMs,
    ...(pageSize ? { pageSize } : {}),
  });
  if (report?.week === week.id) return { report };
  const going = await generationGoingOn(ctx);
  if (going) return { generating: going };
  // done meanwhile by another run
  return { report: await getWeeklyReport(ctx, principal, week.id) };
}

/**
 * The scheduled job's part: takes on a generation going on; else starts the report of the week that has just ended,
 * once (a report already stored is left as it is). Stops at `limits.stopBy`. Returns whether it wrote one.
 */
export async function ensureWeeklyReport(
  ctx: AppContext,
  now: Date,
  limits: GenerationLimits,
): Promise<boolean> {
  if (!(await generationGoingOn(ctx))) {
    const week = previousWeek(now);
    if (await ctx.store.getSetting(reportName(week.id))) return false;
    await beginGeneration(ctx, week, false);
  }
  return (await advanceGeneration(ctx, limits)) !== undefined;
}

/** The stored reports, newest first, with their headline figures (for the list and the trend). */
export async function listWeeklyReports(ctx: AppContext, principal: Principal, limit = 26) {
  assertAllowed(principal, 'reports.read_weekly');
  const weeks = await reportWeeks(ctx, limit);
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
  const weeks = await reportWeeks(ctx, limit);
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
