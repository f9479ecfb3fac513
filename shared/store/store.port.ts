import { ConflictError } from '../domain/errors.js';
import type { BatchOp, BatchStore } from './batch/batch.port.js';
import type { ComplaintOp, ComplaintStore } from './complaint/complaint.port.js';
import type { ImportJobStore } from './import-job/import-job.port.js';
import type { MeetingOp, MeetingStore } from './meeting/meeting.port.js';
import type { OutboxOp, OutboxStore } from './outbox/outbox.port.js';
import type { ProjectOp, ProjectStore } from './project/project.port.js';
import type { ReferenceOp, ReferenceStore } from './reference/reference.port.js';
import type { ReportOp, ReportStore } from './report/report.port.js';
import type { SweepRunStore } from './sweep-run/sweep-run.port.js';
import type { UserOp, UserStore } from './user/user.port.js';

export type { BatchStore } from './batch/batch.port.js';
export type { ComplaintStore } from './complaint/complaint.port.js';
export type { ImportJobStore } from './import-job/import-job.port.js';
export type { MeetingStore } from './meeting/meeting.port.js';
export type { OutboxEntry, OutboxSend, OutboxStore, WorkItem } from './outbox/outbox.port.js';
export type { Page, PageRequest } from './page.js';
export type { ProjectFilter, ProjectRecord, ProjectStore } from './project/project.port.js';
export type { ReferenceStore } from './reference/reference.port.js';
export type { ReportStore } from './report/report.port.js';
export type { SweepRunStore } from './sweep-run/sweep-run.port.js';
export type { UserStore } from './user/user.port.js';

/**
 * One write of a transaction. Each names the condition it is written under; each kind is declared beside its
 * aggregate's port and encoded beside its adapter (`dynamo-commit.ts` maps a kind to its encoder).
 */
export type StoreOp =
  | ProjectOp
  | ReferenceOp
  | OutboxOp
  | MeetingOp
  | BatchOp
  | ComplaintOp
  | ReportOp
  | UserOp;

/**
 * A transaction whose conditions did not hold: `failed` lists the operations whose condition failed, so the caller
 * can tell "the step itself moved on" (answer 409) from "something it relied on moved on" (read again and retry).
 */
export class CommitConflictError extends ConflictError {
  constructor(readonly failed: StoreOp[]) {
    super(
      'STORE.CHANGED',
      'the project changed while this request was being saved; reload it and try again',
      undefined,
    );
    this.name = 'CommitConflictError';
  }
}

/** What spans the aggregates: one transaction over any of them, the table's layout and health. */
export interface TableStore {
  /** Writes every operation in one transaction, or none (throws `CommitConflictError` when a condition fails). */
  commit(ops: StoreOp[]): Promise<void>;
  /**
   * Brings a table written by an older version of Daiban to the current data layout, one bounded pass at a time
   * (the local runtime at start, the scheduled job on AWS); `done` once it is current, then it costs nothing.
   */
  upgradeLayout(): Promise<{ moved: number; done: boolean }>;
  /** Throws (UnavailableError) when the database does not answer. */
  ping(): Promise<void>;
}

/**
 * What the application needs from storage: one port per aggregate, and the transaction across them. DynamoDB is
 * the source of truth (DESIGN.md decision 3). Adapter: `DynamoDaibanStore` (one adapter per aggregate beside its
 * port, composed). A use case that needs one aggregate may ask for its port alone.
 */
export interface DaibanStore
  extends TableStore,
    ProjectStore,
    ReferenceStore,
    UserStore,
    MeetingStore,
    BatchStore,
    ComplaintStore,
    ReportStore,
    OutboxStore,
    SweepRunStore,
    ImportJobStore {}
