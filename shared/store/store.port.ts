import type { Denial } from '../domain/audit.js';
import type { Batch } from '../domain/batch.js';
import type { Chain } from '../domain/chain.js';
import type { Complaint } from '../domain/complaint.js';
import type { Department } from '../domain/department.js';
import type { ProjectDocument } from '../domain/documents.js';
import { ConflictError } from '../domain/errors.js';
import type { FlaggedItem, InboxItem, LeadProjectRow, ProjectRow } from '../domain/list-rows.js';
import type { Meeting } from '../domain/meeting.js';
import type { Notification } from '../domain/notifications.js';
import type {
  AgentAssignment,
  ItemTokens,
  Project,
  ProjectEvent,
  ProjectStep,
  TokenRef,
  User,
} from '../domain/project.js';
import type { StatCounters, StatDimension } from '../domain/stats.js';
import type { ProjectStatus, StepStatus } from '../domain/step-status.js';
import type { ProjectChange } from '../domain/transition.js';
import type { Credential } from '../domain/user-accounts.js';
import type { ChannelEvent } from '../notify/channels.port.js';

/** A page of a list and the cursor of the next page (absent on the last page). */
export type Page<T> = { items: T[]; cursor?: string };
export type PageRequest = { limit: number; cursor?: string };

/** What the engine is sent once a change is committed (see `shared/app/relay.ts`). */
export type OutboxSend =
  | { type: 'task_success'; token: string; output: Record<string, unknown>; what: string }
  | { type: 'start_execution'; projectId: string; name: string; chainKey: string; stageIndex: number }
  | { type: 'stop_execution'; name: string; chainKey: string }
  | { type: 'publish_event'; event: ChannelEvent }
  | { type: 'post_webhook'; url: string; text: string; what: string }
  | { type: 'alert'; event: ChannelEvent };

/**
 * Signals a committed change owes (DESIGN.md decision 7): written in the change's own transaction, sent by the
 * relay right after it and deleted; anything left is found by the scheduled job once `retryAt` has passed.
 */
export type OutboxEntry = {
  projectId: string;
  outboxId: string;
  createdAt: string;
  retryAt: string;
  attempts: number;
  sends: OutboxSend[];
};

/** Work the scheduled job finds in the sparse, write-sharded work index once its instant has come. */
export type WorkItem =
  | { kind: 'outbox'; at: string; projectId: string; outboxId: string }
  | { kind: 'renew'; at: string; projectId: string }
  | { kind: 'sla'; at: string; projectId: string; itemKey: string }
  /** an efficiency complaint whose time limit moves on (a light, the breach, an escalation) */
  | { kind: 'complaint'; at: string; complaintId: string };

/** One write of a transaction. Each names the condition it is written under. */
export type StoreOp =
  /** a new project (fails if the id is taken) */
  | { op: 'create_project'; project: Project }
  /** counters and fields of the project, under `change.expect` */
  | { op: 'update_project'; projectId: string; at: string; change: ProjectChange }
  /** a new step or part item (registration, or the first change to one derived from the chain until then) */
  | { op: 'put_item'; item: ProjectStep }
  /** a step or part, conditional on its version and status; its version moves on by one */
  | { op: 'update_item'; before: ProjectStep; after: ProjectStep }
  /** nothing written: the item must still have this version (`unwritten`: must still not be written at all) */
  | { op: 'check_item'; item: ProjectStep; unwritten?: true }
  /** stores a callback token on the item's token record */
  | { op: 'put_token'; projectId: string; itemKey: string; kind: 'task' | 'gate'; ref: TokenRef }
  /** nothing written: the item's token of this kind must still be this one (or still absent) */
  | {
      op: 'check_token';
      projectId: string;
      itemKey: string;
      kind: 'task' | 'gate';
      token: string | undefined;
    }
  | { op: 'put_event'; event: ProjectEvent }
  | { op: 'put_assignment'; assignment: AgentAssignment }
  /** the project code is unique: a second project with it fails */
  | { op: 'claim_code'; code: string; projectId: string }
  /** takes the next number of a sequence, conditional on having read `expected` (undefined: never used) */
  | { op: 'take_serial'; sequence: string; expected: number | undefined; next: number }
  | { op: 'put_outbox'; entry: OutboxEntry }
  /** an outbox entry no longer owed (deleted whether or not it is still there) */
  | { op: 'delete_outbox'; projectId: string; outboxId: string }
  | { op: 'put_document'; document: ProjectDocument }
  /** a meeting as it now is, conditional on the version read (null: a new meeting) */
  | { op: 'put_meeting'; meeting: Meeting; expectedVersion: number | null }
  /** a batch of originals carried up as it now is, conditional on the version read (null: a new batch) */
  | { op: 'put_batch'; batch: Batch; expectedVersion: number | null }
  | { op: 'put_notification'; notification: Notification }
  /** an efficiency complaint as it now is, conditional on the version before it (1: a new complaint) */
  | { op: 'put_complaint'; complaint: Complaint }
  /** adds to a month's counters of a department or agent (created on first use) */
  | { op: 'update_stats'; dimension: StatDimension; id: string; month: string; add: Partial<StatCounters> }
  /** a new user (fails if the id is taken) */
  | { op: 'create_user'; user: User }
  /** changes of an existing user's name or disabled flag (fails if there is no such user) */
  | {
      op: 'update_user';
      userId: string;
      set: { name?: string; disabled?: boolean; tokensValidFrom?: number };
    }
  /** nothing written: the user must exist */
  | { op: 'check_user'; userId: string }
  /**
   * a user's password hash, written only if no hash is stored yet (`absent`), whatever is stored (`any`), or the
   * hash read before is still the one stored (a re-hash at sign-in must not undo a reset made meanwhile)
   */
  | { op: 'put_credential'; credential: Credential; expect: 'absent' | 'any' | { passwordHash: string } };

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

/**
 * A project's working set, one read: the project, its steps and parts, their task tokens, its agent handovers, and
 * its outbox entries not cleared yet.
 */
export type ProjectRecord = {
  project: Project;
  items: ProjectStep[];
  tokens: Map<string, ItemTokens>;
  assignments: AgentAssignment[];
  /** the project's outbox entries not cleared yet (usually none; see `relay` and `handleCallbackTasks`) */
  outbox: OutboxEntry[];
};

export type ProjectFilter = {
  status?: ProjectStatus;
  agentId?: string;
  enterpriseId?: string;
};

/**
 * What the application needs from storage. DynamoDB is the source of truth (DESIGN.md decision 3).
 * Adapter: `DynamoDaibanStore`.
 */
export interface DaibanStore {
  putDepartment(department: Department): Promise<void>;
  listDepartments(): Promise<Department[]>;
  getDepartment(id: string): Promise<Department | undefined>;

  /** Stores a version, and makes it the chain's latest unless a later one is stored already. */
  putChain(chain: Chain): Promise<void>;
  getChain(id: string, version?: number): Promise<Chain | undefined>;
  /**
   * The number of a chain's latest version, read from a small item (undefined: unknown chain, or one stored before
   * the latest version was kept apart; `getChain(id)` then finds it).
   */
  getLatestChainVersion(id: string): Promise<number | undefined>;
  /** the latest version of each chain */
  listChains(): Promise<Chain[]>;
  /** every version of every chain (projects stay on the version they were registered on) */
  listChainVersions(): Promise<Chain[]>;

  /** Writes a user's attributes as they are (reference data; a local user is created with `create_user`). */
  putUser(user: User): Promise<void>;
  getUser(userId: string): Promise<User | undefined>;
  /** Every user (small lists: the demo, the driver); `listUserPage` pages through them. */
  listUsers(): Promise<User[]>;
  /** By role, then id. */
  listUserPage(page: PageRequest): Promise<Page<User>>;
  /** A local user's password hash (never returned by any other read). */
  getCredential(userId: string): Promise<Credential | undefined>;

  /** The current value of a sequence (undefined: never used). */
  readSerial(sequence: string): Promise<number | undefined>;
  /**
   * Draws the next `count` numbers of a sequence at once (default 1), outside any transaction (one atomic counter
   * update: concurrent callers never collide, each gets its own numbers), and returns the first of them. A number
   * drawn by a change that then fails (or never used) is not given out again: the sequence is unique, not gapless.
   * For sequences that must be gapless use `take_serial` in the change's own transaction.
   */
  drawSerial(sequence: string, count?: number): Promise<number>;

  /** Writes every operation in one transaction, or none (throws `CommitConflictError` when a condition fails). */
  commit(ops: StoreOp[]): Promise<void>;

  /** The project with its steps, parts, tokens, handovers and outbox entries (one consistent read), or undefined. */
  loadProject(projectId: string): Promise<ProjectRecord | undefined>;
  getProject(projectId: string): Promise<Project | undefined>;
  /** Steps and parts of several projects in batch reads (a lead department's stage view); missing ones left out. */
  getItems(keys: ReadonlyArray<{ projectId: string; itemKey: string }>): Promise<ProjectStep[]>;
  /** Several projects in one batch read (a page of an inbox names them); missing ones are left out. */
  getProjects(projectIds: readonly string[]): Promise<Project[]>;
  /** The project holding a project code (项目代码). */
  findProjectIdByCode(code: string): Promise<string | undefined>;
  /** Newest first, as list rows (what the index holds: `ProjectRow`); `getProject(s)` reads a whole project. */
  listProjects(filter: ProjectFilter, page: PageRequest): Promise<Page<ProjectRow>>;
  /** In-flight projects whose current stage this department leads (牵头部门), newest first. */
  listProjectsLedBy(departmentId: string, page: PageRequest): Promise<Page<LeadProjectRow>>;
  /** Oldest first. */
  listEvents(projectId: string, page: PageRequest): Promise<Page<ProjectEvent>>;
  listAssignments(projectId: string): Promise<AgentAssignment[]>;
  /**
   * Steps and parts open at a department (ready, in review or waiting for a supplement), oldest change first, as
   * inbox rows (`getItems` reads whole steps).
   */
  listOpenItemsOfDepartment(
    departmentId: string,
    filter: { status?: Extract<StepStatus, 'ready' | 'in_review' | 'supplement_requested'> },
    page: PageRequest,
  ): Promise<Page<InboxItem>>;

  getMeeting(meetingId: string): Promise<Meeting | undefined>;
  /** Newest first. */
  listMeetings(page: PageRequest): Promise<Page<Meeting>>;

  getComplaint(complaintId: string): Promise<Complaint | undefined>;
  /** Newest first: all of them, a complainant's, or those about one department. */
  listComplaints(
    filter: { complainantId?: string; departmentId?: string },
    page: PageRequest,
  ): Promise<Page<Complaint>>;
  getBatch(batchId: string): Promise<Batch | undefined>;
  /** Newest first; with `agentId` or `departmentId`, that agent's batches or those going to that department. */
  listBatches(filter: { agentId?: string; departmentId?: string }, page: PageRequest): Promise<Page<Batch>>;

  listDocuments(projectId: string): Promise<ProjectDocument[]>;
  getDocument(projectId: string, docId: string): Promise<ProjectDocument | undefined>;

  /** Newest first. */
  listNotifications(userId: string, page: PageRequest): Promise<Page<Notification>>;
  /** Marks a notification read; false when the user has no such notification. */
  markNotificationRead(userId: string, notificationId: string): Promise<boolean>;
  /** The users of a department (officers) or of a role. */
  listUsersOf(audience: { departmentId: string } | { role: User['role'] }): Promise<User[]>;

  /** The steps and parts whose due date is flagged (a year without a schedule), a page at a time. */
  listFlaggedItems(page: PageRequest): Promise<Page<FlaggedItem>>;
  /** The steps and parts deemed approved (超时默认) by a notice dated on or after `date`, a page at a time. */
  listDeemedSince(date: string, page: PageRequest): Promise<Page<FlaggedItem & { noticeDate: string }>>;

  /** The counters of every department (or agent) in one month (`YYYY-MM`). */
  listStats(dimension: StatDimension, month: string): Promise<Array<{ id: string; counters: StatCounters }>>;

  getOutbox(projectId: string, outboxId: string): Promise<OutboxEntry | undefined>;
  /** Deletes a sent outbox entry (no error when it is gone already). */
  deleteOutbox(projectId: string, outboxId: string): Promise<void>;
  /** What is left of an entry after a failed send: the sends still owed, and when to try again. */
  rescheduleOutbox(entry: OutboxEntry): Promise<void>;
  /** Work due at or before `until` on one shard of the work index, oldest first. */
  listDueWork(shard: number, until: string, limit: number): Promise<WorkItem[]>;
  /** Everything the scheduled job watches on one shard of the work index, due or not, a page at a time. */
  listWatchedWork(shard: number, page: PageRequest): Promise<Page<WorkItem>>;

  /** A small named record of operational state (a job's cursor, a lease, a setting) and its revision. */
  getSetting(name: string): Promise<{ value: Record<string, unknown>; revision: number } | undefined>;
  /**
   * Writes a setting as the next revision. With `expectedRevision` the write succeeds only if the stored revision
   * is that one (null: only if there is none); returns false when it was not. `ttlSeconds`: DynamoDB deletes it
   * after that long.
   */
  putSetting(
    name: string,
    value: Record<string, unknown>,
    options?: { expectedRevision?: number | null; ttlSeconds?: number },
  ): Promise<boolean>;

  /** Forgets a setting (nothing happens when there is none). */
  deleteSetting(name: string): Promise<void>;

  /** Records a refused attempt in the audit trail (one write of its own, outside any transaction). */
  recordDenial(denial: Denial): Promise<void>;
  /** The refused attempts of one China date (`YYYY-MM-DD`), newest first. */
  listDenials(date: string, page: PageRequest): Promise<Page<Denial>>;

  /**
   * Brings a table written by an older version of Daiban to the current data layout, one bounded pass at a time
   * (the local runtime at start, the scheduled job on AWS); `done` once it is current, then it costs nothing.
   */
  upgradeLayout(): Promise<{ moved: number; done: boolean }>;

  /** Throws (UnavailableError) when the database does not answer. */
  ping(): Promise<void>;
}
