import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import {
  DEFAULT_TIME_ZONE,
  endOfLocalDay,
  forPeople,
  isInstant,
  localDate,
  localDateTime,
  localInstant,
  localTimeLabel,
  localYear,
  serviceTimeZone,
  startOfLocalDay,
  useServiceTimeZone,
} from '../../../shared/domain/local-time.js';
import { chinaDate, endOfChinaDay, startOfChinaDay } from '../../../shared/domain/working-days.js';

afterEach(() => useServiceTimeZone(DEFAULT_TIME_ZONE));

describe('local time for people (Asia/Shanghai by default)', () => {
  it('reads 23:24Z on 12-21 as 07:24 Beijing time on 12-22', () => {
    expect(serviceTimeZone()).toBe('Asia/Shanghai');
    expect(localDate('2026-12-21T23:24:00.000Z')).toBe('2026-12-22');
    expect(localDate(new Date('2026-12-21T23:24:00.000Z'))).toBe('2026-12-22');
    expect(localDateTime('2026-12-21T23:24:00.000Z')).toBe('2026-12-22 07:24');
    expect(localTimeLabel()).toBe('北京时间');
  });

  it('gives the local year of an instant on New Year’s Eve in UTC', () => {
    expect(localYear('2026-12-31T16:30:00.000Z')).toBe(2027);
    expect(localYear('2026-12-31T15:59:59.999Z')).toBe(2026);
  });

  it('starts and ends a local day at local midnight, as UTC instants', () => {
    expect(startOfLocalDay('2026-12-22')).toBe('2026-12-21T16:00:00.000Z');
    expect(endOfLocalDay('2026-12-22')).toBe('2026-12-22T15:59:59.999Z');
    expect(localDate(endOfLocalDay('2026-12-31'))).toBe('2026-12-31');
    expect(localDate(new Date(Date.parse(endOfLocalDay('2026-12-31')) + 1))).toBe('2027-01-01');
  });

  it('is the one conversion the working-day rules use', () => {
    const instant = new Date('2026-12-08T23:24:23.874Z');
    expect(chinaDate(instant)).toBe(localDate(instant));
    expect(startOfChinaDay('2026-12-09')).toBe(startOfLocalDay('2026-12-09'));
    expect(endOfChinaDay('2026-12-09')).toBe(endOfLocalDay('2026-12-09'));
  });

  it('turns instants into local date-times for people and leaves dates and text alone', () => {
    expect(forPeople('2026-12-08T23:24:23.874Z')).toBe('2026-12-09 07:24');
    expect(forPeople('2026-12-09T09:30:00+08:00')).toBe('2026-12-09 09:30');
    expect(forPeople('2026-12-09')).toBe('2026-12-09');
    expect(forPeople('第三会议室')).toBe('第三会议室');
    expect(forPeople(5)).toBe(5);
    expect(isInstant('2026-12-09')).toBe(false);
  });

  it('refuses a day that is not a calendar date', () => {
    expect(() => startOfLocalDay('2026-02-30')).toThrow(InvalidInputError);
  });
});

describe('another service centre time zone', () => {
  it('uses the zone installed at start, daylight saving included', () => {
    useServiceTimeZone('America/New_York');
    expect(localTimeLabel()).toBe('America/New_York');
    // 2026-07-01 is EDT (UTC-4), 2026-12-01 EST (UTC-5)
    expect(localDate('2026-07-01T03:30:00.000Z')).toBe('2026-06-30');
    expect(localDateTime('2026-12-01T04:59:00.000Z')).toBe('2026-11-30 23:59');
    expect(startOfLocalDay('2026-07-01')).toBe('2026-07-01T04:00:00.000Z');
    expect(endOfLocalDay('2026-12-01')).toBe('2026-12-02T04:59:59.999Z');
    // the day clocks go forward (2026-03-08) has 23 hours
    expect(Date.parse(endOfLocalDay('2026-03-08')) + 1 - Date.parse(startOfLocalDay('2026-03-08'))).toBe(
      23 * 3_600_000,
    );
  });

  it('refuses an unknown zone clearly and keeps the one it had', () => {
    expect(() => useServiceTimeZone('Beijing/Nowhere')).toThrow(/not a time zone.*Asia\/Shanghai/);
    expect(serviceTimeZone()).toBe('Asia/Shanghai');
  });
});

describe('a local wall-clock time typed into a form', () => {
  it('is the instant of that time in the service centre’s zone', () => {
    expect(localInstant('2026-12-09T07:30')).toBe('2026-12-08T23:30:00.000Z');
    expect(localInstant('2026-12-09 07:30')).toBe('2026-12-08T23:30:00.000Z');
    useServiceTimeZone('America/New_York');
    expect(localInstant('2026-07-01T09:30')).toBe('2026-07-01T13:30:00.000Z');
  });

  it('is nothing when the text is not a date and time', () => {
    expect([localInstant(''), localInstant('2026-02-30T09:00'), localInstant('2026-12-09T24:00')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
