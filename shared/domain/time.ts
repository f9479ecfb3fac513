import { z } from 'zod';

/** An instant, ISO 8601 with an offset (we write UTC: `2026-03-02T01:30:00.000Z`). */
export const InstantSchema = z.string().datetime({ offset: true });

const IsoInstant = z.string().datetime({ offset: true });

/**
 * An instant a request gives (a meeting's time, when originals were carried): ISO 8601 with an offset, on a day
 * the calendar has. The message says which: `2026-02-30T09:30:00+08:00` is refused for its day.
 */
export const InstantInputSchema = z.string().superRefine((text, check) => {
  if (IsoInstant.safeParse(text).success) return;
  const day = /^\d{4}-\d{2}-\d{2}T/.test(text) ? calendarDateProblem(text.slice(0, 10)) : undefined;
  check.addIssue({
    code: 'custom',
    message:
      day ??
      `'${text.slice(0, 40)}' is not an instant: write it ISO 8601 with its offset, e.g. 2026-03-02T09:30:00+08:00`,
  });
});

/** Days in a month of the Gregorian calendar (month 1..12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Why this text is not a calendar date `YYYY-MM-DD`, or undefined when it is one: the shape, then a month 01..12,
 * then a day the month has (2026-02-30 is refused: February 2026 has 28 days).
 */
export function calendarDateProblem(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return `'${text}' is not a date: a date is YYYY-MM-DD, e.g. 2026-03-02`;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1) return `'${text}' is not a calendar date: there is no year 0000`;
  if (month < 1 || month > 12) return `'${text}' is not a calendar date: the month is 01..12`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) {
    return `'${text}' is not a calendar date: ${year}-${match[2]} has ${days} days (01..${days})`;
  }
  return undefined;
}

/** Why this text is not a month `YYYY-MM` (month 01..12), or undefined when it is one. */
export function calendarMonthProblem(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  if (!match) return `'${text}' is not a month: a month is YYYY-MM, e.g. 2026-03`;
  const month = Number(match[2]);
  if (Number(match[1]) < 1 || month < 1 || month > 12) {
    return `'${text}' is not a calendar month: the month is 01..12`;
  }
  return undefined;
}

/** A calendar date in China (Asia/Shanghai), `YYYY-MM-DD`, one the calendar has (not 2026-02-30). */
export const ChinaDateSchema = z.string().superRefine((text, check) => {
  const problem = calendarDateProblem(text);
  if (problem) check.addIssue({ code: 'custom', message: problem });
});

/** A calendar month, `YYYY-MM` (01..12). */
export const MonthSchema = z.string().superRefine((text, check) => {
  const problem = calendarMonthProblem(text);
  if (problem) check.addIssue({ code: 'custom', message: problem });
});
