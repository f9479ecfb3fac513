import { describe, expect, it } from 'vitest';
import { accountabilityOf, departmentAccountability } from '../../../shared/domain/repeat-offenders.js';
import { DEFAULT_SLA_POLICY } from '../../../shared/domain/sla-policy.js';
import { emptyCounters, type StatCounters } from '../../../shared/domain/stats.js';

const policy = DEFAULT_SLA_POLICY.repeatOffender;

const counters = (add: Partial<StatCounters>): StatCounters => ({ ...emptyCounters(), ...add });

const departments = [
  { id: 'NRP', name: '自然资源和规划局', level: 'district' as const },
  { id: 'HUD', name: '住房和城乡建设局', level: 'district' as const },
  { id: 'EPB', name: '生态环境局', level: 'city' as const },
];

describe('repeat offenders (约谈, 蜗牛奖)', () => {
  it('calls a department to a formal talk from its first deemed approval, and lists it from the second', () => {
    expect(accountabilityOf(0, policy)).toBeNull();
    expect(accountabilityOf(1, policy)).toBe('formal_talk');
    expect(accountabilityOf(2, policy)).toBe('snail_list');
    expect(accountabilityOf(7, policy)).toBe('snail_list');
  });

  it("follows the policy's thresholds when the administration sets others", () => {
    const stricter = { talkAfter: 2, snailListFrom: 4 };

    expect(accountabilityOf(1, stricter)).toBeNull();
    expect(accountabilityOf(3, stricter)).toBe('formal_talk');
    expect(accountabilityOf(4, stricter)).toBe('snail_list');
  });

  it('ranks departments worst first: breaches and deemed approvals, then the lowest on-time rate', () => {
    // Prepare
    const sums = new Map([
      ['NRP', counters({ decided: 4, onTime: 4, workingDaysUsed: 8, legalDays: 80 })],
      ['HUD', counters({ decided: 4, onTime: 1, late: 3, workingDaysUsed: 30, legalDays: 80 })],
      ['EPB', counters({ decided: 2, late: 2, deemedApprovals: 2, breaches: 1, workingDaysUsed: 20 })],
    ]);

    // Act
    const report = departmentAccountability(departments, sums, policy);

    // Assess
    expect(report.departments.map((d) => [d.rank, d.departmentId, d.accountability])).toEqual([
      [1, 'EPB', 'snail_list'],
      [2, 'HUD', null],
      [3, 'NRP', null],
    ]);
    expect(report.departments[1]).toMatchObject({
      name: '住房和城乡建设局',
      level: 'district',
      onTimeRate: 25,
    });
  });

  it('heads the period with the decisions, the on-time rate and the speed-up against the legal limits', () => {
    // Prepare
    const sums = new Map([
      ['NRP', counters({ decided: 3, onTime: 3, workingDaysUsed: 9, legalDays: 60 })],
      ['HUD', counters({ decided: 1, late: 1, workingDaysUsed: 11, legalDays: 20 })],
    ]);

    // Act
    const report = departmentAccountability(departments, sums, policy);

    // Assess
    expect(report.total).toMatchObject({ decided: 4, onTime: 3, workingDaysUsed: 20, legalDays: 80 });
    expect(report.headline).toBe('本期办结 4 项，按时率 75%，比法定时限提速 75%');
  });

  it('adds the efficiency complaints and their on-time closure rate to the headline when there were any', () => {
    // Prepare
    const sums = new Map([
      ['NRP', counters({ complaints: 2, complaintsClosed: 2, complaintsClosedOnTime: 1 })],
    ]);

    // Act
    const report = departmentAccountability(departments, sums, policy);

    // Assess
    expect(report.headline).toBe('本期无办结事项；受理效能投诉 2 件，办结 2 件，按时办结率 50%');
  });

  it('shows a department with nothing counted as clean, ranked after those with marks', () => {
    const report = departmentAccountability(
      departments,
      new Map([['HUD', counters({ breaches: 1 })]]),
      policy,
    );

    expect(report.departments.map((d) => d.departmentId)).toEqual(['HUD', 'EPB', 'NRP']);
    expect(report.departments[2]).toMatchObject({ decided: 0, onTimeRate: null, accountability: null });
  });
});
