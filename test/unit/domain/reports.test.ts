import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import type { Principal } from '../../../shared/domain/principal.js';
import {
  agentRows,
  byMarks,
  enterpriseCredit,
  monthsOf,
  reportDepartments,
  sumMonths,
} from '../../../shared/domain/reports.js';
import { emptyCounters, type StatCounters } from '../../../shared/domain/stats.js';

const counters = (values: Partial<StatCounters>): StatCounters => ({ ...emptyCounters(), ...values });
const person = (role: Principal['role'], extra: Partial<Principal> = {}): Principal => ({
  userId: `${role}-1`,
  role,
  name: role,
  ...extra,
});

describe('reports over a period', () => {
  it('covers every month of the period across a year, and refuses a period backwards, malformed or over 36 months', () => {
    // Assess
    expect(monthsOf({ from: '2025-11', to: '2026-02' })).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(() => monthsOf({ from: '2026-03', to: '2026-02' })).toThrow(InvalidInputError);
    expect(() => monthsOf({ from: '2026-3', to: '2026-04' })).toThrow(InvalidInputError);
    expect(() => monthsOf({ from: '2020-01', to: '2026-01' })).toThrow(/at most 36 months/);
  });

  it("sums each id's counters over the months", () => {
    // Act
    const byId = sumMonths([
      [{ id: 'DRC', counters: counters({ decided: 2 }) }],
      [
        { id: 'DRC', counters: counters({ decided: 3, breaches: 1 }) },
        { id: 'NRB', counters: counters({ decided: 1 }) },
      ],
    ]);

    // Assess
    expect(byId.get('DRC')).toEqual(counters({ decided: 5, breaches: 1 }));
    expect(byId.get('NRB')).toEqual(counters({ decided: 1 }));
  });

  it('shows an officer only their department, an agent none, a leader all', () => {
    // Prepare
    const departments = [{ id: 'DRC' }, { id: 'NRB' }];

    // Assess
    expect(reportDepartments(person('officer', { departmentId: 'NRB' }), departments)).toEqual([
      { id: 'NRB' },
    ]);
    expect(reportDepartments(person('agent'), departments)).toEqual([]);
    expect(reportDepartments(person('leader'), departments)).toEqual(departments);
  });

  it('shows an agent only their own row, a leader every agent by steps decided', () => {
    // Prepare
    const agents = [
      { userId: 'agent-1', name: '王' },
      { userId: 'agent-2', name: '李' },
    ];
    const byId = new Map([['agent-2', counters({ decided: 4 })]]);

    // Act
    const own = agentRows(person('agent'), agents, byId);
    const all = agentRows(person('leader'), agents, byId);

    // Assess
    expect(own.map((r) => r.agentId)).toEqual(['agent-1']);
    expect(all.map((r) => [r.agentId, r.decided])).toEqual([
      ['agent-2', 4],
      ['agent-1', 0],
    ]);
  });

  it('marks an enterprise for each commitment found untrue and each 容缺 deadline missed, marked first', () => {
    // Act
    const rows = byMarks([
      enterpriseCredit('A', '甲', counters({ commitmentApprovals: 3, commitmentsVerified: 3 })),
      enterpriseCredit('B', '乙', counters({ commitmentsFailed: 1, deferralsMissed: 1 })),
    ]);

    // Assess
    expect(rows.map((r) => [r.enterpriseId, r.marks])).toEqual([
      ['B', 2],
      ['A', 0],
    ]);
  });
});
