import type { Denial } from '../domain/audit.js';
import type { Batch } from '../domain/batch.js';
import type { Chain } from '../domain/chain.js';
import type { Complaint } from '../domain/complaint.js';
import type { Department } from '../domain/department.js';
import type { ImportJob } from '../domain/import-job.js';
import type { Meeting } from '../domain/meeting.js';
import type { Notification } from '../domain/notifications.js';
import type { User } from '../domain/project.js';
import type { StatDimension } from '../domain/stats.js';
import type { SweepRun } from '../domain/sweep-run.js';
import { BatchDynamo } from './batch/batch.dynamo.js';
import { ComplaintDynamo } from './complaint/complaint.dynamo.js';
import { CursorCodec, cursorKeyFrom } from './dynamo-codec.js';
import { commitOps } from './dynamo-commit.js';
import type { TransactItem } from './dynamo-encoding.js';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from './dynamo-retry.js';
import { type DocumentSender, DynamoTable } from './dynamo-table.js';
import { ImportJobDynamo } from './import-job/import-job.dynamo.js';
import { type LayoutUpgrade, upgradeLayout } from './layout-upgrade.js';
import { MeetingDynamo } from './meeting/meeting.dynamo.js';
import { OutboxDynamo } from './outbox/outbox.dynamo.js';
import type { OutboxEntry } from './outbox/outbox.port.js';
import type { Page, PageRequest } from './page.js';
import { ProjectDynamo } from './project/project.dynamo.js';
import type { ProjectFilter } from './project/project.port.js';
import { ReferenceDynamo } from './reference/reference.dynamo.js';
import { ReportDynamo } from './report/report.dynamo.js';
import type { DaibanStore, StoreOp } from './store.port.js';
import { SweepRunDynamo } from './sweep-run/sweep-run.dynamo.js';
import { UserDynamo } from './user/user.dynamo.js';

export type { DocumentSender } from './dynamo-table.js';

/**
 * DynamoDB single-table adapter of `DaibanStore` (@aws-sdk/lib-dynamodb): the adapters of the aggregates, one
 * beside each port, composed over one table, and the transaction across them (`dynamo-commit.ts`). Records are
 * validated with the domain's zod schemas on the way out; every call goes through {@link withRetry}, so a
 * transaction conflict, throttling or an unreachable database becomes a 409 or a 503, never a 500.
 *
 * @example new DynamoDaibanStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'daiban-dev-table')
 * (`DynamoDBDocumentClient` satisfies {@link DocumentSender}.)
 */
export class DynamoDaibanStore implements DaibanStore {
  /** the table is known to hold the current data layout (layout-upgrade.ts): no need to look again */
  #layoutCurrent = false;
  private readonly table: DynamoTable;
  private readonly project: ProjectDynamo;
  private readonly reference: ReferenceDynamo;
  private readonly users: UserDynamo;
  private readonly meetings: MeetingDynamo;
  private readonly batches: BatchDynamo;
  private readonly complaints: ComplaintDynamo;
  private readonly reports: ReportDynamo;
  private readonly outbox: OutboxDynamo;
  private readonly sweepRuns: SweepRunDynamo;
  private readonly importJobs: ImportJobDynamo;

  /**
   * `cursorKey`: the key page cursors are signed with (32+ bytes; the runtime derives it from a secret it keeps,
   * {@link cursorKeyFrom}). Without one, a key derived from the table name: cursors still name their list and are
   * held to its keys' shape, but anyone who knows the name could sign one.
   */
  constructor(
    private readonly doc: DocumentSender,
    private readonly tableName: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    cursorKey: Uint8Array = cursorKeyFrom(`daiban table ${tableName}`),
  ) {
    this.table = new DynamoTable(doc, tableName, retry, new CursorCodec(cursorKey));
    this.project = new ProjectDynamo(this.table);
    this.reference = new ReferenceDynamo(this.table);
    this.users = new UserDynamo(this.table);
    this.meetings = new MeetingDynamo(this.table);
    this.batches = new BatchDynamo(this.table);
    this.complaints = new ComplaintDynamo(this.table);
    this.reports = new ReportDynamo(this.table);
    this.outbox = new OutboxDynamo(this.table);
    this.sweepRuns = new SweepRunDynamo(this.table);
    this.importJobs = new ImportJobDynamo(this.table);
  }

  // ---- across the aggregates ------------------------------------------------------------------------------

  async commit(ops: StoreOp[]): Promise<void> {
    await this.commitItems(ops);
  }

  /** `commit`, giving the transaction's items as written (for a subclass that keeps what it wrote). */
  protected commitItems(ops: StoreOp[]): Promise<readonly TransactItem[]> {
    return commitOps(this.table, ops);
  }

  async upgradeLayout(): Promise<LayoutUpgrade> {
    if (this.#layoutCurrent) return { moved: 0, done: true };
    const result = await withRetry(() => upgradeLayout(this.doc, this.tableName), this.retry);
    this.#layoutCurrent = result.done;
    return result;
  }

  async ping(): Promise<void> {
    await this.table.get({ PK: 'HEALTH', SK: 'HEALTH' });
  }

  // ---- import jobs -----------------------------------------------------------------------------------------

  putImportJob(job: ImportJob, expectedRevision: number | null) {
    return this.importJobs.putImportJob(job, expectedRevision);
  }
  getImportJob(jobId: string) {
    return this.importJobs.getImportJob(jobId);
  }
  listImportJobs(page: PageRequest) {
    return this.importJobs.listImportJobs(page);
  }
  putImportChunk(jobId: string, index: number, rows: unknown[]) {
    return this.importJobs.putImportChunk(jobId, index, rows);
  }
  getImportChunk(jobId: string, index: number) {
    return this.importJobs.getImportChunk(jobId, index);
  }

  // ---- reference data -------------------------------------------------------------------------------------

  putDepartment(department: Department) {
    return this.reference.putDepartment(department);
  }
  listDepartments() {
    return this.reference.listDepartments();
  }
  getDepartment(id: string) {
    return this.reference.getDepartment(id);
  }
  putChain(chain: Chain) {
    return this.reference.putChain(chain);
  }
  getChain(id: string, version?: number) {
    return this.reference.getChain(id, version);
  }
  getLatestChainVersion(id: string) {
    return this.reference.getLatestChainVersion(id);
  }
  listChains() {
    return this.reference.listChains();
  }
  listChainVersions() {
    return this.reference.listChainVersions();
  }
  readSerial(sequence: string) {
    return this.reference.readSerial(sequence);
  }
  drawSerial(sequence: string, count?: number) {
    return this.reference.drawSerial(sequence, count);
  }
  getSetting(name: string) {
    return this.reference.getSetting(name);
  }
  getSettings(names: readonly string[]) {
    return this.reference.getSettings(names);
  }
  putSetting(
    name: string,
    value: Record<string, unknown>,
    options?: { expectedRevision?: number | null; ttlSeconds?: number },
  ) {
    return this.reference.putSetting(name, value, options);
  }
  deleteSetting(name: string) {
    return this.reference.deleteSetting(name);
  }

  // ---- users and their notifications ----------------------------------------------------------------------

  putUser(user: User) {
    return this.users.putUser(user);
  }
  getUser(userId: string) {
    return this.users.getUser(userId);
  }
  listUsers() {
    return this.users.listUsers();
  }
  listUserPage(page: PageRequest) {
    return this.users.listUserPage(page);
  }
  getCredential(userId: string) {
    return this.users.getCredential(userId);
  }
  listUsersOf(audience: { departmentId: string } | { role: User['role'] }) {
    return this.users.listUsersOf(audience);
  }
  listNotifications(userId: string, page: PageRequest): Promise<Page<Notification>> {
    return this.users.listNotifications(userId, page);
  }
  putNotifications(notifications: readonly Notification[]) {
    return this.users.putNotifications(notifications);
  }
  markNotificationRead(userId: string, notificationId: string) {
    return this.users.markNotificationRead(userId, notificationId);
  }

  // ---- projects -------------------------------------------------------------------------------------------

  loadProject(projectId: string) {
    return this.project.loadProject(projectId);
  }
  getProject(projectId: string) {
    return this.project.getProject(projectId);
  }
  getItems(wanted: ReadonlyArray<{ projectId: string; itemKey: string }>) {
    return this.project.getItems(wanted);
  }
  getProjects(projectIds: readonly string[]) {
    return this.project.getProjects(projectIds);
  }
  findProjectIdByCode(code: string) {
    return this.project.findProjectIdByCode(code);
  }
  listProjects(filter: ProjectFilter, page: PageRequest) {
    return this.project.listProjects(filter, page);
  }
  listAgentProjects(agentId: string, page: PageRequest) {
    return this.project.listAgentProjects(agentId, page);
  }

  listProjectsLedBy(departmentId: string, page: PageRequest) {
    return this.project.listProjectsLedBy(departmentId, page);
  }
  listEvents(projectId: string, page: PageRequest) {
    return this.project.listEvents(projectId, page);
  }
  listAssignments(projectId: string) {
    return this.project.listAssignments(projectId);
  }
  listOpenItemsOfDepartment(
    departmentId: string,
    filter: { status?: 'ready' | 'in_review' | 'supplement_requested' },
    page: PageRequest,
  ) {
    return this.project.listOpenItemsOfDepartment(departmentId, filter, page);
  }
  listDocuments(projectId: string) {
    return this.project.listDocuments(projectId);
  }
  getDocument(projectId: string, docId: string) {
    return this.project.getDocument(projectId, docId);
  }

  // ---- meetings, batches carried up (上下协同), efficiency complaints -------------------------------------

  getMeeting(meetingId: string): Promise<Meeting | undefined> {
    return this.meetings.getMeeting(meetingId);
  }
  listMeetings(page: PageRequest) {
    return this.meetings.listMeetings(page);
  }
  getBatch(batchId: string): Promise<Batch | undefined> {
    return this.batches.getBatch(batchId);
  }
  listBatches(filter: { agentId?: string; departmentId?: string }, page: PageRequest) {
    return this.batches.listBatches(filter, page);
  }
  getComplaint(complaintId: string): Promise<Complaint | undefined> {
    return this.complaints.getComplaint(complaintId);
  }
  listComplaints(filter: { complainantId?: string; departmentId?: string }, page: PageRequest) {
    return this.complaints.listComplaints(filter, page);
  }

  // ---- reports: statistics, flagged due dates, deemed approvals, refused attempts -------------------------

  listStats(dimension: StatDimension, month: string) {
    return this.reports.listStats(dimension, month);
  }
  listFlaggedItems(page: PageRequest) {
    return this.reports.listFlaggedItems(page);
  }
  listDeemedSince(date: string, page: PageRequest) {
    return this.reports.listDeemedSince(date, page);
  }
  recordDenial(denial: Denial) {
    return this.reports.recordDenial(denial);
  }
  listDenials(date: string, page: PageRequest) {
    return this.reports.listDenials(date, page);
  }

  // ---- outbox and work ------------------------------------------------------------------------------------

  getOutbox(projectId: string, outboxId: string) {
    return this.outbox.getOutbox(projectId, outboxId);
  }
  deleteOutbox(projectId: string, outboxId: string) {
    return this.outbox.deleteOutbox(projectId, outboxId);
  }
  deleteOutboxes(entries: readonly { projectId: string; outboxId: string }[]) {
    return this.outbox.deleteOutboxes(entries);
  }
  rescheduleOutbox(entry: OutboxEntry) {
    return this.outbox.rescheduleOutbox(entry);
  }
  listDueWork(shard: number, until: string, limit: number) {
    return this.outbox.listDueWork(shard, until, limit);
  }
  listWatchedWork(shard: number, page: PageRequest) {
    return this.outbox.listWatchedWork(shard, page);
  }

  // ---- the scheduled job's runs ---------------------------------------------------------------------------

  putSweepRun(run: SweepRun) {
    return this.sweepRuns.putSweepRun(run);
  }
  createSweepRun(run: SweepRun) {
    return this.sweepRuns.createSweepRun(run);
  }
  claimSweepRun(run: SweepRun) {
    return this.sweepRuns.claimSweepRun(run);
  }
  getSweepRun(runId: string) {
    return this.sweepRuns.getSweepRun(runId);
  }
  listSweepRuns(page: PageRequest) {
    return this.sweepRuns.listSweepRuns(page);
  }
}
