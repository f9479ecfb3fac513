/**
 * Counters kept per department and per agent per month, added to in the same transaction as the decision, the
 * sweep's action or the submission they count, so reports read a handful of items instead of scanning.
 */
export const STAT_COUNTERS = [
  /** decisions taken (parts of joint reviews count for their department) */
  'decided',
  'onTime',
  'late',
  /** working days the decided steps took, and their promised and legal limits, summed */
  'workingDaysUsed',
  'promisedDays',
  'legalDays',
  'supplements',
  /** a second supplement request on the same step (一次性告知 violated) */
  'oneTimeNoticeViolations',
  'breaches',
  'deemedApprovals',
  'escalations',
  'submitted',
  'resubmitted',
  'reapplied',
  'rejected',
  /** 行政效能投诉 about the department: filed, closed, closed on time (按时办结), upheld, gone past their limit */
  'complaints',
  'complaintsClosed',
  'complaintsClosedOnTime',
  'complaintsUpheld',
  'complaintsOverdue',
  /** 容缺受理: submissions accepted with deferrable materials missing, and supply deadlines the applicant missed */
  'deferredAcceptances',
  'deferralsMissed',
  /** 告知承诺制: approvals on commitment, verifications passed and failed (the approval revoked), overdue */
  'commitmentApprovals',
  'commitmentsVerified',
  'commitmentsFailed',
  'verificationsOverdue',
] as const;
export type StatCounter = (typeof STAT_COUNTERS)[number];
export type StatCounters = Record<StatCounter, number>;
/** a department, an agent, or an enterprise (its credit record: 告知承诺 kept or broken, 容缺 deadlines missed) */
export type StatDimension = 'department' | 'agent' | 'enterprise';

export const emptyCounters = (): StatCounters =>
  Object.fromEntries(STAT_COUNTERS.map((c) => [c, 0])) as StatCounters;

export function addCounters(a: StatCounters, b: Partial<StatCounters>): StatCounters {
  const sum = { ...a };
  for (const counter of STAT_COUNTERS) sum[counter] += b[counter] ?? 0;
  return sum;
}

const percent = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;

/** What a report shows of a set of counters: rates and averages next to the sums. */
export function summarise(counters: StatCounters) {
  const { decided, onTime, workingDaysUsed, promisedDays, legalDays } = counters;
  const rate = (n: number) => (decided > 0 ? Math.round((n / decided) * 1000) / 10 : null);
  const average = (n: number) => (decided > 0 ? Math.round((n / decided) * 10) / 10 : null);
  return {
    ...counters,
    onTimeRate: rate(onTime),
    averageWorkingDays: average(workingDaysUsed),
    averagePromisedDays: average(promisedDays),
    averageLegalDays: average(legalDays),
    /** 比法定时限提速: how much faster than the law allows, in percent */
    speedUpVersusLegal: legalDays > 0 ? Math.round((1 - workingDaysUsed / legalDays) * 1000) / 10 : null,
    /** of the complaints closed: the share upheld (投诉属实率), and the share closed on time (按时办结率) */
    complaintUpheldRate: percent(counters.complaintsUpheld, counters.complaintsClosed),
    complaintOnTimeClosureRate: percent(counters.complaintsClosedOnTime, counters.complaintsClosed),
  };
}
