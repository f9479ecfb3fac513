import { InvalidInputError } from './errors.js';
import { endOfLocalDay, localDate, startOfLocalDay } from './local-time.js';

/**
 * The data a working-day calendar is built from. Each year's schedule is published by the State Council, so
 * this is data an admin extends, not code.
 */
export interface WorkingDayCalendarData {
  /** Years whose official schedule is known. Outside them only weekends are off, and results are flagged. */
  years: readonly number[];
  /** 'YYYY-MM-DD' days off that would otherwise be weekdays (statutory holidays). */
  holidays: readonly string[];
  /** 'YYYY-MM-DD' weekend days that are working days (调休 make-up days). */
  workdays: readonly string[];
}

export interface WorkingDayResult {
  date: string;
  /** A day counted falls in a year whose schedule is unknown: weekends-only was assumed there. */
  flagged: boolean;
}

export interface WorkingDayCount {
  days: number;
  /** A day counted falls in a year whose schedule is unknown: weekends-only was assumed there. */
  flagged: boolean;
}

const DAY_MS = 86_400_000;
const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** No deadline or interval in this domain spans more than a few years; this stops runaway loops. */
const MAX_SPAN_DAYS = 366 * 30;

/** Day number (days since 1970-01-01) of a 'YYYY-MM-DD' date; throws on anything that is not a real date. */
function dayNumber(date: string): number {
  const match = DATE_SHAPE.exec(date);
  if (match !== null) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const ms = Date.UTC(year, month - 1, day);
    const back = new Date(ms);
    if (back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day) {
      return ms / DAY_MS;
    }
  }
  throw new InvalidInputError('CALENDAR.DATE', `'${date}' is not a calendar date (YYYY-MM-DD)`);
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/**
 * A Chinese working-day calendar: weekends off, statutory holidays off, 调休 make-up weekend days on.
 * Pure: built from data, reads no clock and no files.
 */
export class WorkingDayCalendar {
  private years: ReadonlySet<number> = new Set();
  private holidays: ReadonlySet<number> = new Set();
  private workdays: ReadonlySet<number> = new Set();

  constructor(data: WorkingDayCalendarData) {
    this.replace(data);
  }

  /**
   * Takes new data in place (an admin added a year or a closure): every holder of this calendar sees it at once.
   * Throws, changing nothing, when the data contradicts itself.
   */
  replace(data: WorkingDayCalendarData): void {
    const holidays = new Set(data.holidays.map(dayNumber));
    const workdays = new Set(data.workdays.map(dayNumber));
    const both = [...holidays].filter((d) => workdays.has(d)).map(dateOf);
    if (both.length > 0) {
      throw new InvalidInputError(
        'CALENDAR.CONFLICT',
        `a day cannot be both a holiday and a make-up working day: ${both.slice(0, 5).join(', ')}`,
        { dates: both.slice(0, 20) },
      );
    }
    this.years = new Set(data.years);
    this.holidays = holidays;
    this.workdays = workdays;
  }

  /** The years whose official schedule this calendar knows, ascending. */
  get knownYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  /** Whether the calendar knows the official schedule of this date's year. */
  isKnownYear(date: string): boolean {
    return this.years.has(yearOf(dayNumber(date)));
  }

  isWorkingDay(date: string): boolean {
    return this.isWorkingDayNumber(dayNumber(date));
  }

  /**
   * The date `days` working days after `startDate`. Counting starts the working day after `startDate`
   * (时限 practice: the day of acceptance is not counted); 0 days gives `startDate` itself.
   */
  addWorkingDays(startDate: string, days: number): WorkingDayResult {
    if (!Number.isInteger(days) || days < 0) {
      throw new InvalidInputError('CALENDAR.DAYS', `working days must be a whole number ≥ 0, got ${days}`);
    }
    let day = dayNumber(startDate);
    let flagged = false;
    let remaining = days;
    let steps = 0;
    while (remaining > 0) {
      day += 1;
      steps += 1;
      if (steps > MAX_SPAN_DAYS) {
        throw new InvalidInputError(
          'CALENDAR.SPAN',
          `${days} working days after ${startDate} is out of range`,
        );
      }
      if (!this.years.has(yearOf(day))) flagged = true;
      if (this.isWorkingDayNumber(day)) remaining -= 1;
    }
    return { date: dateOf(day), flagged };
  }

  /** `date` itself when it is a working day, otherwise the next working day (时限 counts from a working day). */
  workingDayOnOrAfter(date: string): WorkingDayResult {
    let day = dayNumber(date);
    let flagged = !this.years.has(yearOf(day));
    for (let steps = 0; !this.isWorkingDayNumber(day); steps += 1) {
      if (steps > MAX_SPAN_DAYS) throw new InvalidInputError('CALENDAR.SPAN', `no working day after ${date}`);
      day += 1;
      if (!this.years.has(yearOf(day))) flagged = true;
    }
    return { date: dateOf(day), flagged };
  }

  /**
   * Working days after `from` up to and including `to`; negative (the same count, negated) when `to` is
   * before `from`.
   */
  workingDaysBetween(from: string, to: string): WorkingDayCount {
    const start = dayNumber(from);
    const end = dayNumber(to);
    const low = Math.min(start, end);
    const high = Math.max(start, end);
    const sign = end >= start ? 1 : -1;
    if (high - low > MAX_SPAN_DAYS) {
      throw new InvalidInputError('CALENDAR.SPAN', `${from} to ${to} is too long an interval to count`);
    }
    let days = 0;
    let flagged = false;
    for (let day = low + 1; day <= high; day += 1) {
      if (!this.years.has(yearOf(day))) flagged = true;
      if (this.isWorkingDayNumber(day)) days += 1;
    }
    return { days: sign * days, flagged };
  }

  private isWorkingDayNumber(day: number): boolean {
    if (this.workdays.has(day)) return true;
    if (this.holidays.has(day)) return false;
    // 1970-01-01 was a Thursday: day 0 → weekday 4 (Sunday = 0).
    const weekday = (((day + 4) % 7) + 7) % 7;
    return weekday !== 0 && weekday !== 6;
  }
}

/** The calendar date `days` calendar days after `date` (negative: before). */
export function addCalendarDays(date: string, days: number): string {
  return dateOf(dayNumber(date) + days);
}

/**
 * The service centre's local date at this instant, 'YYYY-MM-DD' (its time zone, Asia/Shanghai by default): the
 * clock rules' "today". Kept under its old name for the rules that call it; the conversion lives in local-time.ts.
 */
export function chinaDate(instant: Date): string {
  return localDate(instant);
}

/** The first millisecond of this local calendar day (00:00:00.000 local) as a UTC ISO instant. */
export function startOfChinaDay(date: string): string {
  return startOfLocalDay(date);
}

/** The last millisecond of this local calendar day (23:59:59.999 local) as a UTC ISO instant. */
export function endOfChinaDay(date: string): string {
  return endOfLocalDay(date);
}
