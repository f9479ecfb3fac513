import type { StatCounters, StatDimension } from './stats.js';
import { readClock } from './step-clock.js';
import type { ProjectState, Transition } from './transition.js';
import type { WorkingDayCalendar } from './working-days.js';

/**
 * What counts against a department (DOMAIN.md "Weekly report and accountability"), and what counts for or against an
 * agent and an enterprise's credit record: the counters a change adds, read from the change itself.
 */

/** Counters added to one department, agent or enterprise for the month of the change. */
export type StatAddition = { dimension: StatDimension; id: string; add: Partial<StatCounters> };

const DECIDED = new Set(['approved', 'deemed_approved', 'rejected', 'not_applicable']);

/**
 * What a transition adds to the monthly counters of the departments that decided and of the project's agent:
 * decisions (on time or late, working days used against the promised and legal limits), supplements and one-time
 * notice violations, submissions, resubmissions and re-applications, acceptances with materials missing (容缺),
 * approvals on commitment and their verification (also on the enterprise's credit record). Written in the same
 * transaction.
 */
export function statsOf(
  state: ProjectState,
  transition: Transition,
  now: Date,
  calendar: WorkingDayCalendar,
): StatAddition[] {
  const additions: StatAddition[] = [];
  const agent = state.project.agentId;
  const both = (departmentId: string | null, add: Partial<StatCounters>) => {
    if (departmentId) additions.push({ dimension: 'department', id: departmentId, add });
    additions.push({ dimension: 'agent', id: agent, add });
  };
  const violations = new Set(
    transition.events
      .filter((e) => e.type === 'supplement_requested' && e.data?.oneTimeNoticeViolation)
      .map((e) => `${e.stepId}#${e.partId ?? ''}`),
  );
  const enterprise = (add: Partial<StatCounters>) =>
    additions.push({ dimension: 'enterprise', id: state.project.enterpriseId, add });
  for (const { before, after } of transition.changes) {
    if (after.partId === undefined) {
      // 容缺受理 and 告知承诺制: acceptances with materials missing, approvals on commitment and their verification
      if (!before.deferred && after.deferred) both(after.departmentId, { deferredAcceptances: 1 });
      if (!before.commitment?.approvedAt && after.commitment?.approvedAt) {
        both(after.departmentId, { commitmentApprovals: 1 });
        enterprise({ commitmentApprovals: 1 });
      }
      const verified = !before.commitment?.verification ? after.commitment?.verification : undefined;
      if (verified?.result === 'passed') {
        both(after.departmentId, { commitmentsVerified: 1 });
        enterprise({ commitmentsVerified: 1 });
      } else if (verified?.result === 'failed') {
        both(after.departmentId, { commitmentsFailed: 1 });
        enterprise({ commitmentsFailed: 1 });
      }
    }
    if (after.kind === 'joint') {
      if (before.status === 'ready' && after.status === 'in_review') both(null, { submitted: 1 });
      if (before.status === 'supplement_requested' && after.status === 'in_review')
        both(null, { resubmitted: 1 });
      if (before.status === 'rejected' && after.status === 'ready') both(null, { reapplied: 1 });
      continue;
    }
    if (after.partId === undefined) {
      if (before.status === 'ready' && after.status === 'in_review') both(null, { submitted: 1 });
      if (before.status === 'supplement_requested' && after.status === 'in_review')
        both(null, { resubmitted: 1 });
      if (before.status === 'rejected' && after.status === 'ready') both(null, { reapplied: 1 });
    }
    if (before.status !== 'in_review') continue;
    if (after.status === 'supplement_requested') {
      const violated = violations.has(`${after.stepId}#${after.partId ?? ''}`);
      both(after.departmentId, { supplements: 1, ...(violated ? { oneTimeNoticeViolations: 1 } : {}) });
    } else if (DECIDED.has(after.status) && after.decidedAt && before.clock) {
      const reading = readClock(calendar, before.clock, now);
      const late = reading.overdue;
      both(after.departmentId, {
        decided: 1,
        ...(late ? { late: 1 } : { onTime: 1 }),
        workingDaysUsed: reading.elapsed,
        promisedDays: before.clock.promisedDays,
        legalDays: before.clock.legalDays,
        ...(after.status === 'deemed_approved' ? { deemedApprovals: 1 } : {}),
        ...(after.status === 'rejected' ? { rejected: 1 } : {}),
      });
    }
  }
  return additions;
}
