import chineseDaysLibrary from 'chinese-days';
import { describe, expect, it } from 'vitest';
import {
  chineseDaysCalendar,
  chineseDaysCalendarData,
} from '../../../shared/calendar/chinese-days-calendar.js';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import { chinaDate, endOfChinaDay, WorkingDayCalendar } from '../../../shared/domain/working-days.js';

const calendar = chineseDaysCalendar();

describe('WorkingDayCalendar (pure)', () => {
  const tiny = new WorkingDayCalendar({
    years: [2030],
    holidays: ['2030-01-01'],
    workdays: ['2030-01-05'],
  });

  it('takes weekends off, holidays off and make-up weekend days on', () => {
    // Assess: 2030-01-01 Tue holiday, 2030-01-05 Sat make-up, 2030-01-06 Sun
    expect(tiny.isWorkingDay('2030-01-01')).toBe(false);
    expect(tiny.isWorkingDay('2030-01-02')).toBe(true);
    expect(tiny.isWorkingDay('2030-01-05')).toBe(true);
    expect(tiny.isWorkingDay('2030-01-06')).toBe(false);
  });

  it('starts counting on the day after the start date', () => {
    expect(tiny.addWorkingDays('2029-12-31', 1)).toEqual({ date: '2030-01-02', flagged: false });
  });

  it('returns the start date itself for zero days', () => {
    expect(tiny.addWorkingDays('2030-01-06', 0)).toEqual({ date: '2030-01-06', flagged: false });
  });

  it('counts between two dates after the first, up to and including the second, negative backwards', () => {
    // Assess: after 12-31: 01-02, 01-03, 01-04, 01-05 (make-up), not 01-06
    expect(tiny.workingDaysBetween('2029-12-31', '2030-01-06')).toEqual({ days: 4, flagged: false });
    expect(tiny.workingDaysBetween('2030-01-06', '2030-01-01')).toEqual({ days: -4, flagged: false });
    expect(tiny.workingDaysBetween('2030-01-02', '2030-01-02')).toEqual({ days: 0, flagged: false });
  });

  it('flags a count that touches a year whose schedule is unknown', () => {
    // Assess: 2029-12-31 is counted, and 2029 is not a known year
    expect(tiny.workingDaysBetween('2029-12-30', '2030-01-02')).toEqual({ days: 2, flagged: true });
    expect(tiny.addWorkingDays('2029-12-28', 2)).toEqual({ date: '2030-01-02', flagged: true });
  });

  it('refuses dates that do not exist and negative day counts', () => {
    // Assess
    expect(() => tiny.isWorkingDay('2030-02-30')).toThrow(InvalidInputError);
    expect(() => tiny.isWorkingDay('2030/01/02')).toThrow("'2030/01/02' is not a calendar date (YYYY-MM-DD)");
    expect(() => tiny.addWorkingDays('2030-01-02', -1)).toThrow(InvalidInputError);
    expect(() => tiny.addWorkingDays('2030-01-02', 1.5)).toThrow(InvalidInputError);
  });

  it('refuses a day that is both a holiday and a make-up day', () => {
    expect(
      () => new WorkingDayCalendar({ years: [2030], holidays: ['2030-01-05'], workdays: ['2030-01-05'] }),
    ).toThrow(/both a holiday and a make-up working day: 2030-01-05/);
  });
});

describe('calendar from chinese-days', () => {
  it('knows 2004 to 2026 and not 2027', () => {
    // Assess
    expect(calendar.knownYears).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(calendar.isKnownYear('2027-01-04')).toBe(false);
  });

  it('agrees with the chinese-days library on every day from 2004 to 2026', () => {
    // Prepare
    const disagreements: string[] = [];

    // Act
    for (let day = Date.UTC(2004, 0, 1); day <= Date.UTC(2026, 11, 31); day += 86_400_000) {
      const date = new Date(day).toISOString().slice(0, 10);
      if (calendar.isWorkingDay(date) !== chineseDaysLibrary.isWorkday(date)) disagreements.push(date);
    }

    // Assess
    expect(disagreements).toEqual([]);
  });

  it('keeps only weekday holidays and weekend make-up days in its data', () => {
    // Prepare
    const data = chineseDaysCalendarData();
    const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();

    // Assess
    expect(data.holidays.every((d) => weekday(d) !== 0 && weekday(d) !== 6)).toBe(true);
    expect(data.workdays.every((d) => weekday(d) === 0 || weekday(d) === 6)).toBe(true);
  });

  it('takes National Day 2026 off from 1 to 7 October, with make-up Sunday 20 September and Saturday 10 October', () => {
    // Assess: per the State Council notice (and chinese-days) 8 October 2026 is an ordinary Thursday
    for (const date of ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']) {
      expect(calendar.isWorkingDay(date), date).toBe(false);
    }
    expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
    expect(calendar.isWorkingDay('2026-09-25')).toBe(false); // 中秋
  });

  it('counts a deadline across National Day 2026', () => {
    // Act: accepted on 30 September; 1–7 October off; 10 October is a make-up Saturday
    const one = calendar.addWorkingDays('2026-09-30', 1);
    const three = calendar.addWorkingDays('2026-09-30', 3);
    const four = calendar.addWorkingDays('2026-09-30', 4);

    // Assess
    expect(one).toEqual({ date: '2026-10-08', flagged: false });
    expect(three).toEqual({ date: '2026-10-10', flagged: false });
    expect(four).toEqual({ date: '2026-10-12', flagged: false });
    expect(calendar.workingDaysBetween('2026-09-30', '2026-10-12')).toEqual({ days: 4, flagged: false });
  });

  it('counts a deadline across the Spring Festival 2026', () => {
    // Assess: 15–23 February off; Saturdays 14 and 28 February are make-up days
    expect(calendar.addWorkingDays('2026-02-13', 1)).toEqual({ date: '2026-02-14', flagged: false });
    expect(calendar.addWorkingDays('2026-02-14', 1)).toEqual({ date: '2026-02-24', flagged: false });
    expect(calendar.workingDaysBetween('2026-02-13', '2026-02-28')).toEqual({ days: 6, flagged: false });
    expect(calendar.workingDaysBetween('2026-02-28', '2026-02-13')).toEqual({ days: -6, flagged: false });
  });

  it('flags a deadline that runs into 2027, whose schedule is not published yet', () => {
    // Act: 31 Dec 2026 (Thu), then 2027 counted on weekends only
    const result = calendar.addWorkingDays('2026-12-30', 3);

    // Assess
    expect(result).toEqual({ date: '2027-01-04', flagged: true });
    expect(calendar.workingDaysBetween('2026-12-30', '2027-01-04').flagged).toBe(true);
  });

  it('stops flagging 2027 once an admin adds its schedule', () => {
    // Prepare
    const extended = chineseDaysCalendar({
      years: { '2027': { holidays: ['2027-01-01'], workdays: [] } },
      closures: {},
    });

    // Act
    const result = extended.addWorkingDays('2026-12-30', 3);

    // Assess
    expect(result).toEqual({ date: '2027-01-05', flagged: false });
  });

  it('lets an admin close a make-up Saturday and a Monday locally', () => {
    // Prepare: a local closure on a 2026 make-up Saturday and on a Monday
    const overridden = chineseDaysCalendar({
      years: {},
      closures: { '2026-10-10': '台风停工', '2026-10-12': '区级活动' },
    });

    // Assess
    expect(overridden.isWorkingDay('2026-10-10')).toBe(false);
    expect(overridden.isWorkingDay('2026-10-12')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
  });

  it("replaces a year's package schedule with the one an admin gives", () => {
    // Prepare: a corrected 2026 with no holidays and no make-up days at all
    const corrected = chineseDaysCalendar({
      years: { '2026': { holidays: [], workdays: [] } },
      closures: {},
    });

    // Assess: National Day is a working day, its make-up Saturday is off
    expect(corrected.isWorkingDay('2026-10-05')).toBe(true);
    expect(corrected.isWorkingDay('2026-10-10')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-05')).toBe(false);
  });
});

describe('China time', () => {
  it('gives the Shanghai calendar date, eight hours ahead of UTC', () => {
    // Assess
    expect(chinaDate(new Date('2026-09-30T15:59:59.999Z'))).toBe('2026-09-30');
    expect(chinaDate(new Date('2026-09-30T16:00:00.000Z'))).toBe('2026-10-01');
  });

  it('gives the last millisecond of a China day as a UTC instant', () => {
    // Assess
    expect(endOfChinaDay('2026-10-08')).toBe('2026-10-08T15:59:59.999Z');
    expect(chinaDate(new Date(endOfChinaDay('2026-12-31')))).toBe('2026-12-31');
  });
});
