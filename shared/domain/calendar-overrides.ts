import { z } from 'zod';
import { ChinaDateSchema } from './time.js';

/**
 * What an admin adds to the published calendar (DOMAIN.md: the calendar is data an admin can extend): a year's
 * schedule once the State Council publishes it (or a correction of one), and local closures (a typhoon day, a
 * local holiday). A year given here replaces the package's schedule of that year entirely.
 */
export const YearScheduleSchema = z.strictObject({
  /** weekdays off (法定节假日) */
  holidays: z.array(ChinaDateSchema).max(60),
  /** weekend days worked (调休补班) */
  workdays: z.array(ChinaDateSchema).max(20),
  /** where it comes from, e.g. 国务院办公厅关于2027年部分节假日安排的通知 */
  source: z.string().trim().min(1).max(200).optional(),
});
export type YearSchedule = z.infer<typeof YearScheduleSchema>;

export const CalendarOverridesSchema = z.object({
  years: z.record(z.string().regex(/^\d{4}$/), YearScheduleSchema),
  /** local closures: a working day off, with its reason */
  closures: z.record(ChinaDateSchema, z.string().min(1).max(200)),
});
export type CalendarOverrides = z.infer<typeof CalendarOverridesSchema>;

export const NO_OVERRIDES: CalendarOverrides = { years: {}, closures: {} };

/** Problems with a year's schedule: dates of another year, a day both off and worked, weekdays "worked". */
export function yearScheduleProblems(year: number, schedule: YearSchedule): string[] {
  const problems: string[] = [];
  const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
  for (const date of [...schedule.holidays, ...schedule.workdays]) {
    if (!date.startsWith(`${year}-`)) problems.push(`${date} is not in ${year}`);
    if (Number.isNaN(Date.parse(`${date}T00:00:00Z`))) problems.push(`${date} is not a calendar date`);
  }
  const both = schedule.holidays.filter((d) => schedule.workdays.includes(d));
  for (const date of both) problems.push(`${date} cannot be both a holiday and a make-up working day`);
  for (const date of schedule.workdays) {
    const day = weekday(date);
    if (day !== 0 && day !== 6)
      problems.push(`${date} is a weekday: a make-up working day (调休) is on a weekend`);
  }
  return problems.slice(0, 10);
}
