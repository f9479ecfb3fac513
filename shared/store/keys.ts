import { itemKey, type Project, type ProjectStep } from '../domain/project.js';
import { isOpen } from '../domain/step-status.js';
import { STATUS_SHARDS, WORK_SHARDS } from './table.js';

/** Key builders for the single table (see table.ts for the map). */
export const keys = {
  project: (projectId: string) => ({ PK: `PROJECT#${projectId}`, SK: 'PROJECT' }),
  item: (projectId: string, key: string) => ({ PK: `PROJECT#${projectId}`, SK: `STEP#${key}` }),
  tokens: (projectId: string, key: string) => ({ PK: `PROJECT#${projectId}`, SK: `TOKEN#${key}` }),
  event: (projectId: string, eventId: string) => ({ PK: `PROJECT#${projectId}`, SK: `EVENT#${eventId}` }),
  assignment: (projectId: string, assignmentId: string) => ({
    PK: `PROJECT#${projectId}`,
    // under the project's own key, so its working set (`SK >= PROJECT`) holds its handovers too
    SK: `PROJECT#ASSIGNMENT#${assignmentId}`,
  }),
  outbox: (projectId: string, outboxId: string) => ({ PK: `PROJECT#${projectId}`, SK: `OUTBOX#${outboxId}` }),
  code: (code: string) => ({ PK: `CODE#${code}`, SK: 'CODE' }),
  department: (id: string) => ({ PK: `DEPT#${id}`, SK: 'DEPT' }),
  chain: (id: string, version: number) => ({
    PK: `CHAIN#${id}`,
    SK: `VERSION#${String(version).padStart(6, '0')}`,
  }),
  /** which version of a chain is the latest: a small item, so a registration need not read the chain to know */
  chainHead: (id: string) => ({ PK: `CHAIN#${id}`, SK: 'HEAD' }),
  user: (userId: string) => ({ PK: `USER#${userId}`, SK: 'USER' }),
  /** a local user's password hash: its own item, in no index */
  credential: (userId: string) => ({ PK: `USER#${userId}`, SK: 'CREDENTIAL' }),
  counter: (name: string) => ({ PK: `COUNTER#${name}`, SK: 'COUNTER' }),
  setting: (name: string) => ({ PK: `SETTING#${name}`, SK: 'SETTING' }),
  meeting: (meetingId: string) => ({ PK: `MEETING#${meetingId}`, SK: 'MEETING' }),
  complaint: (complaintId: string) => ({ PK: `COMPLAINT#${complaintId}`, SK: 'COMPLAINT' }),
  batch: (batchId: string) => ({ PK: `BATCH#${batchId}`, SK: 'BATCH' }),
  /** import jobs share one partition, in the order of their time-ordered ids (imports are rare) */
  importJob: (jobId: string) => ({ PK: 'IMPORTJOBS', SK: `JOB#${jobId}` }),
  importChunk: (jobId: string, index: number) => ({
    PK: `IMPORTJOB#${jobId}`,
    SK: `CHUNK#${String(index).padStart(6, '0')}`,
  }),
  document: (projectId: string, docId: string) => ({ PK: `PROJECT#${projectId}`, SK: `DOC#${docId}` }),
  notification: (userId: string, notificationId: string) => ({
    PK: `USER#${userId}`,
    SK: `NOTIF#${notificationId}`,
  }),
  stats: (dimension: string, month: string, id: string) => ({ PK: `STATS#${dimension}#${month}`, SK: id }),
  /** a refused attempt, in its China date's partition */
  denial: (date: string, at: string, denialId: string) => ({ PK: `AUDIT#${date}`, SK: `${at}#${denialId}` }),
  /** a run of the scheduled job, in the one partition of runs (its id, a ULID, sorts them by start) */
  sweepRun: (runId: string) => ({ PK: SWEEP_RUNS, SK: `RUN#${runId}` }),
};

/** The partition of the scheduled job's runs (a few a minute at most, kept 30 days). */
export const SWEEP_RUNS = 'SWEEP_RUNS';

/** A small stable hash, so the same thing always lands on the same shard. */
export function shardOf(text: string, shards: number): number {
  let hash = 0;
  for (const ch of text) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % shards;
}

/** One shard of the "projects by status" index. */
export const statusPartition = (status: string, shard: number): string => `PROJECTS#${status}#${shard}`;

/** The status index partition of a project. */
export const statusKey = (status: string, projectId: string): string =>
  statusPartition(status, shardOf(projectId, STATUS_SHARDS));

/** The Work index keys of a piece of work due at `at`. */
export function workKeys(
  at: string | undefined,
  kind: 'outbox' | 'renew' | 'sla' | 'complaint',
  projectId: string,
  rest = '',
): { WorkPK?: string; WorkSK?: string } {
  if (at === undefined) return { WorkPK: undefined, WorkSK: undefined };
  return {
    WorkPK: `WORK#${shardOf(`${projectId}#${rest}`, WORK_SHARDS)}`,
    WorkSK: `${at}#${kind}#${projectId}${rest ? `#${rest}` : ''}`,
  };
}

/**
 * Index keys of an efficiency complaint: all complaints (GSI1), the complainant's (GSI2), the department's (GSI3),
 * and the Work index while its time limit still has something to say (`<at>#complaint#<complaintId>`).
 */
export function complaintIndexKeys(c: {
  complaintId: string;
  filedAt: string;
  departmentId: string;
  complainant: { userId: string };
  slaCheckAt?: string;
}): Record<string, string | undefined> {
  const sk = `${c.filedAt}#${c.complaintId}`;
  return {
    GSI1PK: 'COMPLAINTS',
    GSI1SK: sk,
    GSI2PK: `COMPLAINANT#${c.complainant.userId}`,
    GSI2SK: sk,
    GSI3PK: `COMPLAINED#${c.departmentId}`,
    GSI3SK: sk,
    ...workKeys(c.slaCheckAt, 'complaint', c.complaintId),
  };
}

/** Index keys of a project item (the Work key only while an execution waits for it). */
export function projectIndexKeys(p: Project): Record<string, string | undefined> {
  const inFlight = p.status === 'active' || p.status === 'returned';
  return {
    GSI1PK: statusKey(p.status, p.projectId),
    GSI1SK: `${p.createdAt}#${p.projectId}`,
    GSI2PK: `AGENT#${p.agentId}`,
    GSI2SK: `${p.createdAt}#${p.projectId}`,
    GSI3PK: `ENTERPRISE#${p.enterpriseId}`,
    GSI3SK: `${p.createdAt}#${p.projectId}`,
    GSI4PK: inFlight && p.leadDepartmentId ? `LEAD#${p.leadDepartmentId}` : undefined,
    GSI4SK: inFlight && p.leadDepartmentId ? `${p.createdAt}#${p.projectId}` : undefined,
    ...workKeys(inFlight && p.execution ? p.renewAt : undefined, 'renew', p.projectId),
  };
}

/**
 * Whether the SLA sweep watches an item: in review (its clock, a 容缺 supply deadline), or approved on a commitment
 * whose verification is still to come (告知承诺制).
 */
const watched = (item: ProjectStep): boolean =>
  item.status === 'in_review' ||
  ((item.status === 'approved' || item.status === 'deemed_approved') &&
    item.commitment?.verifyBy !== undefined);

/** Whether an item holds a date still to come that is a guess (a year without a schedule). */
const guessed = (item: ProjectStep): boolean =>
  ((item.dueFlagged === true || item.legalDueFlagged === true) && item.decidedAt === undefined) ||
  (item.deferred?.supplyByFlagged === true && !item.deferred.missed && item.deferred.materials.length > 0) ||
  (item.commitment?.verifyByFlagged === true && !item.commitment.verification && !item.commitment.overdue);

/**
 * Index keys a step or part carries in its current status: open items sit in their department's queue (GSI1),
 * items in review with an SLA checkpoint also in the Work index, and so are approvals on commitment until verified.
 */
export function itemIndexKeys(item: ProjectStep): Record<string, string | undefined> {
  const queued = isOpen(item.status) && item.departmentId !== null && item.kind !== 'joint';
  const key = itemKey(item);
  // In review: by the instant the promised limit ends, so an inbox reads in order of time left.
  const since = item.status === 'in_review' ? (item.dueAt ?? item.updatedAt) : item.updatedAt;
  // A date counted on weekends only (a year without a schedule) waits for the admin to add that year.
  const flagged = guessed(item);
  // A 超时默认 approval, by the date of its notice: a calendar change that moves the due date back looks it up.
  const deemed = !flagged && item.approvalDocument?.source === 'deemed_notice';
  return {
    GSI1PK: queued ? `DEPT#${item.departmentId}` : undefined,
    GSI1SK: queued ? `${item.status}#${since}#${item.projectId}#${key}` : undefined,
    GSI2PK: flagged ? 'FLAGGED' : deemed ? 'DEEMED' : undefined,
    GSI2SK: flagged
      ? `${item.projectId}#${key}`
      : deemed
        ? `${item.approvalDocument?.date}#${item.projectId}#${key}`
        : undefined,
    ...workKeys(watched(item) ? item.slaCheckAt : undefined, 'sla', item.projectId, key),
  };
}
