import { InvalidInputError } from './errors.js';
import type { Principal } from './principal.js';
import { addCounters, emptyCounters, type StatCounters, summarise } from './stats.js';

/**
 * Reports over a period (DOMAIN.md "Weekly report and accountability", "Promised vs legal limit"): the months a
 * period covers, the month's counters summed, who sees which rows, and the enterprises' credit marks. The use case
 * loads the months' counters and the departments, users or enterprises, and calls these.
 */

export type Period = { from: string; to: string };

const MONTH = /^(\d{4})-(\d{2})$/;
const MAX_MONTHS = 36;

/** The months of a period, `YYYY-MM`, both ends included. */
export function monthsOf(period: Period): string[] {
  const from = MONTH.exec(period.from);
  const to = MONTH.exec(period.to);
  if (!from || !to) throw new InvalidInputError('REPORT.PERIOD', 'a period is from=YYYY-MM&to=YYYY-MM');
  const months: string[] = [];
  let year = Number(from[1]);
  let month = Number(from[2]);
  while (year * 12 + month <= Number(to[1]) * 12 + Number(to[2])) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    if (months.length > MAX_MONTHS) {
      throw new InvalidInputError(
        'REPORT.PERIOD',
        `a report covers at most ${MAX_MONTHS} months; ask for a shorter period`,
      );
    }
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  if (months.length === 0)
    throw new InvalidInputError(
      'REPORT.PERIOD',
      `the period ends (${period.to}) before it begins (${period.from})`,
    );
  return months;
}

/** The months' counters summed per id (department, agent or enterprise). */
export function sumMonths(
  months: readonly (readonly { id: string; counters: StatCounters }[])[],
): Map<string, StatCounters> {
  const byId = new Map<string, StatCounters>();
  for (const { id, counters } of months.flat())
    byId.set(id, addCounters(byId.get(id) ?? emptyCounters(), counters));
  return byId;
}

/** The departments a person sees in the department report: an officer their own, an agent none, others all. */
export const reportDepartments = <D extends { id: string }>(
  principal: Principal,
  departments: readonly D[],
): D[] =>
  departments
    .filter((d) => principal.role !== 'officer' || d.id === principal.departmentId)
    .filter(() => principal.role !== 'agent');

/**
 * Agents over a period, most steps decided first: their projects' steps decided and how fast, what they submitted,
 * supplied and re-applied. Leaders, administrators and the efficiency office see every agent; anyone else their own.
 */
export function agentRows(
  principal: Principal,
  agents: readonly { userId: string; name: string }[],
  byId: ReadonlyMap<string, StatCounters>,
) {
  return agents
    .filter(
      (u) =>
        principal.role === 'leader' ||
        principal.role === 'admin' ||
        principal.role === 'efficiency' ||
        u.userId === principal.userId,
    )
    .map((agent) => ({
      agentId: agent.userId,
      name: agent.name,
      ...summarise(byId.get(agent.userId) ?? emptyCounters()),
    }))
    .sort((a, b) => b.decided - a.decided || a.agentId.localeCompare(b.agentId));
}

/**
 * An enterprise's credit record (信用记录) from its counters: approvals on commitment (告知承诺制), verifications
 * passed and failed (a failure revoked the approval), deadlines missed for materials accepted as missing (容缺), and
 * its marks (失信记录: commitments found untrue and 容缺 deadlines missed).
 */
export const enterpriseCredit = (enterpriseId: string, name: string, counters: StatCounters) => ({
  enterpriseId,
  name,
  commitmentApprovals: counters.commitmentApprovals,
  commitmentsVerified: counters.commitmentsVerified,
  commitmentsFailed: counters.commitmentsFailed,
  deferralsMissed: counters.deferralsMissed,
  /** 失信记录: commitments found untrue and 容缺 deadlines missed */
  marks: counters.commitmentsFailed + counters.deferralsMissed,
});

/** Enterprises with marks against them first, then by credit code. */
export const byMarks = <R extends { marks: number; enterpriseId: string }>(rows: R[]): R[] =>
  rows.sort((a, b) => b.marks - a.marks || a.enterpriseId.localeCompare(b.enterpriseId));
