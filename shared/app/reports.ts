import { assertAllowed } from '../domain/access-policy.js';
import type { Principal } from '../domain/principal.js';
import { departmentAccountability } from '../domain/repeat-offenders.js';
import {
  agentRows,
  byMarks,
  enterpriseCredit,
  monthsOf,
  type Period,
  reportDepartments,
  sumMonths,
} from '../domain/reports.js';
import type { StatCounters, StatDimension } from '../domain/stats.js';
import type { AppContext } from './context.js';

async function sums(
  ctx: AppContext,
  dimension: StatDimension,
  period: Period,
): Promise<Map<string, StatCounters>> {
  return sumMonths(await Promise.all(monthsOf(period).map((month) => ctx.store.listStats(dimension, month))));
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
  const visible = reportDepartments(principal, departments);
  return { period, ...departmentAccountability(visible, byId, ctx.settings.sla.repeatOffender) };
}

/** Agents over a period: their projects' steps decided and how fast, what they submitted, supplied and re-applied. */
export async function agentReport(ctx: AppContext, principal: Principal, period: Period) {
  assertAllowed(principal, 'reports.read');
  const [byId, users] = await Promise.all([
    sums(ctx, 'agent', period),
    ctx.store.listUsersOf({ role: 'agent' }),
  ]);
  return { period, agents: agentRows(principal, users, byId) };
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
      return enterpriseCredit(enterpriseId, project?.enterpriseName ?? enterpriseId, counters);
    }),
  );
  return { period, enterprises: byMarks(rows) };
}
