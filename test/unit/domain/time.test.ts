import { describe, expect, it } from 'vitest';
import { CalendarOverridesSchema } from '../../../shared/domain/calendar-overrides.js';
import { ApprovalDocumentSchema } from '../../../shared/domain/decision.js';
import {
  ChinaDateSchema,
  calendarDateProblem,
  InstantInputSchema,
  MonthSchema,
} from '../../../shared/domain/time.js';

describe('calendar dates', () => {
  it.each(['2026-02-28', '2028-02-29', '2000-02-29', '2026-12-31', '2026-04-30'])('accepts %s', (date) => {
    expect(calendarDateProblem(date)).toBeUndefined();
    expect(ChinaDateSchema.safeParse(date).success).toBe(true);
  });

  it.each([
    ['2026-02-30', /'2026-02-30' is not a calendar date: 2026-02 has 28 days/],
    ['2026-02-29', /2026-02 has 28 days/],
    ['2100-02-29', /2100-02 has 28 days/],
    ['2026-04-31', /2026-04 has 30 days/],
    ['2026-13-01', /the month is 01\.\.12/],
    ['2026-00-10', /the month is 01\.\.12/],
    ['2026-01-00', /2026-01 has 31 days/],
    ['2026-1-5', /a date is YYYY-MM-DD/],
  ])('refuses %s, saying why', (date, why) => {
    expect(calendarDateProblem(date)).toMatch(why);
    const parsed = ChinaDateSchema.safeParse(date);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(why);
  });

  it("refuses an approval document's impossible date", () => {
    const parsed = ApprovalDocumentSchema.safeParse({ number: '宁环审〔2026〕201号', date: '2026-02-30' });
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['date'] });
  });

  it('refuses an impossible local closure and holiday in the calendar', () => {
    const parsed = CalendarOverridesSchema.safeParse({
      years: { '2027': { holidays: ['2027-02-29'], workdays: [] } },
      closures: { '2026-09-31': '台风' },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message).join('\n')).toMatch(/2027-02 has 28 days/);
  });

  it('refuses a month 13 in a report period', () => {
    expect(MonthSchema.safeParse('2026-13').success).toBe(false);
    expect(MonthSchema.safeParse('2026-12').success).toBe(true);
  });
});

describe('instants a request gives', () => {
  it('accepts an ISO 8601 instant with its offset', () => {
    expect(InstantInputSchema.safeParse('2026-03-02T09:30:00+08:00').success).toBe(true);
  });

  it.each([
    ['2026-02-30T09:30:00+08:00', /'2026-02-30' is not a calendar date: 2026-02 has 28 days/],
    ['2026-03-02 09:30', /is not an instant: write it ISO 8601 with its offset/],
    ['2026-03-02T09:30:00', /is not an instant/],
  ])('refuses %s, saying why', (text, why) => {
    expect(InstantInputSchema.safeParse(text).error?.issues[0]?.message).toMatch(why);
  });
});
