import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { type CalendarOverrides, NO_OVERRIDES } from '../domain/calendar-overrides.js';
import { WorkingDayCalendar, type WorkingDayCalendarData } from '../domain/working-days.js';

/** The years `chinese-days` 1.5.x carries the State Council schedule for. */
export const CHINESE_DAYS_FIRST_YEAR = 2004;
export const CHINESE_DAYS_LAST_YEAR = 2026;

interface ChineseDaysData {
  /** every day off for a holiday (weekends inside the holiday included), 'YYYY-MM-DD' → description */
  holidays: Record<string, string>;
  /** make-up working days (调休 补班) */
  workdays: Record<string, string>;
}

const data: ChineseDaysData = chineseDays;

const isWeekend = (date: string): boolean => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
};

/** The official schedule from `chinese-days` for its years: weekday holidays and weekend make-up days. */
export function chineseDaysCalendarData(): WorkingDayCalendarData {
  const years: number[] = [];
  for (let year = CHINESE_DAYS_FIRST_YEAR; year <= CHINESE_DAYS_LAST_YEAR; year += 1) years.push(year);
  const inRange = (date: string): boolean => {
    const year = Number(date.slice(0, 4));
    return year >= CHINESE_DAYS_FIRST_YEAR && year <= CHINESE_DAYS_LAST_YEAR;
  };
  return {
    years,
    holidays: Object.keys(data.holidays)
      .filter((d) => inRange(d) && !isWeekend(d))
      .sort(),
    workdays: Object.keys(data.workdays)
      .filter((d) => inRange(d) && isWeekend(d))
      .sort(),
  };
}

/**
 * The working-day calendar data of `chinese-days` (2004–2026) with an admin's overrides applied: a year the admin
 * gives replaces the package's schedule of that year; local closures are days off.
 */
export function calendarDataWith(overrides: CalendarOverrides = NO_OVERRIDES): WorkingDayCalendarData {
  const base = chineseDaysCalendarData();
  const overridden = new Set(Object.keys(overrides.years).map(Number));
  const kept = (date: string) => !overridden.has(Number(date.slice(0, 4)));
  const schedules = Object.values(overrides.years);
  return {
    years: [...new Set([...base.years, ...overridden])].sort((a, b) => a - b),
    holidays: [
      ...new Set([
        ...base.holidays.filter(kept),
        ...schedules.flatMap((y) => y.holidays),
        ...Object.keys(overrides.closures),
      ]),
    ].sort(),
    workdays: [...new Set([...base.workdays.filter(kept), ...schedules.flatMap((y) => y.workdays)])]
      .filter((d) => !Object.hasOwn(overrides.closures, d))
      .sort(),
  };
}

/** The working-day calendar of `chinese-days` (2004–2026), with an admin's overrides applied. */
export function chineseDaysCalendar(overrides?: CalendarOverrides): WorkingDayCalendar {
  return new WorkingDayCalendar(calendarDataWith(overrides));
}
