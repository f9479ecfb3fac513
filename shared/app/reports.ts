import { assertAllowed } from '../domain/access-policy.js';
import { InvalidInputError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { departmentAccountability } from '../domain/repeat-offenders.js';
import {
  addCounters,
  emptyCounters,
  type StatCounters,
  type StatDimension,
  summarise,
} from '../domain/stats.js';
import type { AppContext } from './context.js';

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

async function sums(
  ctx: AppContext,
  dimension: StatDimension,
  period: Period,
): Promise<Map<string, StatCounters>> {
  const byId = new Map<string, StatCounters>();
  const months = await Promise.all(monthsOf(period).map((month) => ctx.store.listStats(dimension, month)));
  for (const { id, counters } of months.flat())
    byId.set(id, addCounters(byId.get(id) ?? emptyCounters(), counters));
  return byId;
}

/**
 * Departments over a period (DOMAIN.md "Weekly report and accountability"): steps decided, on-time rate, average
 * working days against the promised and legal limits, breaches, deemed approvals, one-time-notice violations,
 * supplements; ranked worst first; repeat offenders marked (约谈 after the first deemed approval, the 蜗牛奖 list at
 * two or more); efficiency complaints about each department, the share upheld and the share closed on time (按时办结率);
 * the headline is the speed-up against the legal limits (比法定时限提速), and the complaints' closure rate.
 */
export async function departmentReport(ctx: AppContext, principal: Principal, period: Period) {
  assertAllowed(principal, 'reports.read');
  const [byId, departments] = await Promise.all([
    sums(ctx, 'department', period),
    ctx.store.listDepartments(),
  ]);
  const visible = departments
    .filter((d) => principal.role !== 'officer' || d.id === principal.departmentId)
    .filter(() => principal.role !== 'agent');
  return { period, ...departmentAccountability(visible, byId, ctx.settings.sla.repeatOffender) };
}

/** Agents over a period: their projects' steps decided and how fast, what they submitted, supplied and re-applied. */
export async function agentReport(ctx: AppContext, principal: Principal, period: Period) {
  assertAllowed(principal, 'reports.read');
  const [byId, users] = await Promise.all([
    sums(ctx, 'agent', period),
    ctx.store.listUsersOf({ role: 'agent' }),
  ]);
  const rows = users
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
  return { period, agents: rows };
}

/**
 * Enterprises' credit records over a period (信用记录): approvals they obtained on commitment (告知承诺制), the
 * verifications passed and failed (a failure revoked the approval), and deadlines they missed for materials
 * accepted as missing (容缺). Marks against them first.
 */
export async function enterpriseCreditReport(ctx: AppContext, principal: Principal, period: Period) {
  assertAllowed(principal, 'reports.read_credit');
  const byId = await sums(ctx, 'enterprise', period);
  const rows = await Promise.all(
    [...byId].map(async ([enterpriseId, counters]) => {
      const project = (await ctx.store.listProjects({ enterpriseId }, { limit: 1 })).items[0];
      return {
        enterpriseId,
        name: project?.enterpriseName ?? enterpriseId,
        commitmentApprovals: counters.commitmentApprovals,
        commitmentsVerified: counters.commitmentsVerified,
        commitmentsFailed: counters.commitmentsFailed,
        deferralsMissed: counters.deferralsMissed,
        /** 失信记录: commitments found untrue and 容缺 deadlines missed */
        marks: counters.commitmentsFailed + counters.deferralsMissed,
      };
    }),
  );
  return {
    period,
    enterprises: rows.sort((a, b) => b.marks - a.marks || a.enterpriseId.localeCompare(b.enterpriseId)),
  };
}
