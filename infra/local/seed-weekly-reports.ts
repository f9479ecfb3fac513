import type { AppContext } from '../../shared/app/context.js';
import { generateWeeklyReport } from '../../shared/app/weekly-report.js';
import { isoWeekOf, previousWeek } from '../../shared/domain/weekly-report.js';
import { addCalendarDays } from '../../shared/domain/working-days.js';

const admin = { userId: 'admin', role: 'admin' as const, name: '系统管理员' };

/** The demo's weekly reports of the last `weeks` weeks, so the report list and its trend have something to show. */
export async function seedWeeklyReports(ctx: AppContext, weeks = 8): Promise<void> {
  const last = previousWeek(ctx.clock.now());
  for (let back = weeks - 1; back >= 0; back -= 1) {
    const week = isoWeekOf(addCalendarDays(last.from, -7 * back)).id;
    await generateWeeklyReport(ctx, admin, week, { budgetMs: Number.POSITIVE_INFINITY });
  }
}
