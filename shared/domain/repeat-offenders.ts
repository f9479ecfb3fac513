import type { Department } from './department.js';
import type { SlaPolicy } from './sla-policy.js';
import { addCounters, emptyCounters, type StatCounters, summarise } from './stats.js';

/**
 * Repeat offenders (DOMAIN.md "Escalation ladder" and "Weekly report and accountability"): a department deemed to
 * approve (超时默认) is called to a formal talk (约谈) from the first time, and put on the public list (蜗牛奖) from
 * the second; departments are ranked worst first, and the period's headline is the speed-up against the legal
 * limits (比法定时限提速) and the closure rate of the efficiency complaints.
 */

export type Accountability = 'formal_talk' | 'snail_list';

/** What a department's deemed approvals in a period call for, under the policy's thresholds (none: null). */
export function accountabilityOf(
  deemedApprovals: number,
  policy: SlaPolicy['repeatOffender'],
): Accountability | null {
  if (deemedApprovals >= policy.snailListFrom) return 'snail_list';
  if (deemedApprovals >= policy.talkAfter) return 'formal_talk';
  return null;
}

type Summary = ReturnType<typeof summarise>;

/** Worst first: breaches and deemed approvals, then the lowest on-time rate (none decided: last), then the id. */
export function worstFirst(
  a: Pick<Summary, 'breaches' | 'deemedApprovals' | 'onTimeRate'> & { departmentId: string },
  b: Pick<Summary, 'breaches' | 'deemedApprovals' | 'onTimeRate'> & { departmentId: string },
): number {
  return (
    b.breaches + b.deemedApprovals - (a.breaches + a.deemedApprovals) ||
    (a.onTimeRate ?? 101) - (b.onTimeRate ?? 101) ||
    a.departmentId.localeCompare(b.departmentId)
  );
}

/** The headline of a period's totals: decisions and the speed-up against the law, then the complaints. */
export function accountabilityHeadline(total: Summary): string {
  const decisions =
    total.speedUpVersusLegal === null
      ? '本期无办结事项'
      : `本期办结 ${total.decided} 项，按时率 ${total.onTimeRate}%，比法定时限提速 ${total.speedUpVersusLegal}%`;
  const complaints =
    total.complaints + total.complaintsClosed === 0
      ? ''
      : `；受理效能投诉 ${total.complaints} 件，办结 ${total.complaintsClosed} 件` +
        (total.complaintOnTimeClosureRate === null
          ? ''
          : `，按时办结率 ${total.complaintOnTimeClosureRate}%`);
  return `${decisions}${complaints}`;
}

/**
 * The departments' accountability over a period, from the counters summed per department: each department's
 * figures and what its deemed approvals call for, ranked worst first, with the totals and the headline.
 */
export function departmentAccountability(
  departments: readonly Pick<Department, 'id' | 'name' | 'level'>[],
  counters: ReadonlyMap<string, StatCounters>,
  policy: SlaPolicy['repeatOffender'],
) {
  const rows = departments
    .map((department) => {
      const summary = summarise(counters.get(department.id) ?? emptyCounters());
      return {
        departmentId: department.id,
        name: department.name,
        level: department.level,
        ...summary,
        accountability: accountabilityOf(summary.deemedApprovals, policy),
      };
    })
    .sort(worstFirst);
  const total = summarise(rows.reduce((acc, row) => addCounters(acc, row), emptyCounters()));
  return {
    headline: accountabilityHeadline(total),
    total,
    departments: rows.map((row, index) => ({ rank: index + 1, ...row })),
  };
}
