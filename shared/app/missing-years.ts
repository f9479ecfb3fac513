import type { AppContext } from './context.js';
import { notificationEffects } from './notify.js';

/**
 * Never act on a guess (DOMAIN.md): a deadline that came due on a date counted through a year without a published
 * schedule was held; the admins are told to add that year, once per missing year however many items wait on it (a
 * setting claimed once marks a year as told; the recompute after the admin adds the year re-arms every item).
 */
export async function alertMissingYears(ctx: AppContext, years: readonly number[], now: Date): Promise<void> {
  for (const year of [...new Set(years)].sort()) {
    if (ctx.calendar.knownYears.includes(year)) continue;
    const claimed = await ctx.store.putSetting(
      `calendar-missing-alert#${year}`,
      { year, at: now.toISOString() },
      { expectedRevision: null },
    );
    if (!claimed) continue;
    const effects = await notificationEffects(
      ctx,
      [
        {
          kind: 'calendar',
          title: `请添加 ${year} 年工作日安排（add the ${year} schedule）`,
          message:
            `有期限落在 ${year} 年，而日历尚无国务院公布的 ${year} 年节假日安排：这些日期只是推算（仅按周末计），` +
            `系统不据此视为同意、标记逾期或计入信用记录，相关事项暂缓处理。请在日历中添加 ${year} 年安排（PUT /calendar/years/${year}），` +
            '添加后所有日期自动重算并恢复监控。',
          audiences: [{ role: 'admin' }],
          alert: true,
        },
      ],
      now,
    );
    const notes = effects.ops.filter((op) => op.op === 'put_notification');
    if (notes.length > 0) await ctx.store.commit(notes);
  }
}
