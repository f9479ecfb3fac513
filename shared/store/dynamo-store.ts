import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DENIAL_RETENTION_DAYS, type Denial, DenialSchema } from '../domain/audit.js';
import { type Batch, BatchSchema } from '../domain/batch.js';
import { type Chain, ChainSchema } from '../domain/chain.js';
import { type Complaint, ComplaintSchema } from '../domain/complaint.js';
import { type Department, DepartmentSchema } from '../domain/department.js';
import type { ProjectDocument } from '../domain/documents.js';
import {
  type FlaggedItem,
  FlaggedItemSchema,
  type InboxItem,
  InboxItemSchema,
  type LeadProjectRow,
  LeadProjectRowSchema,
  type ProjectRow,
  ProjectRowSchema,
} from '../domain/list-rows.js';
import { type Meeting, MeetingSchema } from '../domain/meeting.js';
import type { Notification } from '../domain/notifications.js';
import type { AgentAssignment, ItemTokens, Project, ProjectStep, User } from '../domain/project.js';
import { emptyCounters, STAT_COUNTERS, type StatCounters, type StatDimension } from '../domain/stats.js';
import { ProjectStatusSchema } from '../domain/step-status.js';
import type { Credential } from '../domain/user-accounts.js';
import { chinaDate } from '../domain/working-days.js';
import {
  CursorCodec,
  cursorKeyFrom,
  outboxItem,
  parseAssignment,
  parseCredential,
  parseDocument,
  parseEvent,
  parseNotification,
  parseOutbox,
  parseProject,
  parseStep,
  parseTokens,
  parseUser,
  stripKeys,
  tokenKeyOf,
  userItem,
} from './dynamo-codec.js';
import { toTransactItems } from './dynamo-ops.js';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from './dynamo-retry.js';
import { keys, statusPartition } from './keys.js';
import { type LayoutUpgrade, upgradeLayout } from './layout-upgrade.js';
import {
  CommitConflictError,
  type DaibanStore,
  type OutboxEntry,
  type Page,
  type PageRequest,
  type ProjectFilter,
  type ProjectRecord,
  type StoreOp,
  type WorkItem,
} from './store.port.js';
import { STATUS_SHARDS } from './table.js';

/** A project's agent handovers sort inside its working set (see layout-upgrade.ts). */
const ASSIGNMENT_PREFIX = keys.assignment('', '').SK;

/** The part of the document client the store uses: tests hand in a fault-injecting wrapper of a real one. */
export interface DocumentSender {
  send(command: object): Promise<unknown>;
}

/**
 * DynamoDB single-table adapter of `DaibanStore` (@aws-sdk/lib-dynamodb). Records are validated with the domain's
 * zod schemas on the way out; every call goes through {@link withRetry}, so a transaction conflict, throttling or an
 * unreachable database becomes a 409 or a 503, never a 500.
 *
 * @example new DynamoDaibanStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'daiban-dev-table')
 * (`DynamoDBDocumentClient` satisfies {@link DocumentSender}.)
 */
export class DynamoDaibanStore implements DaibanStore {
  /** the table is known to hold the current data layout (layout-upgrade.ts): no need to look again */
  #layoutCurrent = false;

  /** signs and checks page cursors (dynamo-codec.ts) */
  readonly #cursors: CursorCodec;

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
    this.#cursors = new CursorCodec(cursorKey);
  }

  // ---- reference data -----------------------------------------------------------------------------------

  async putDepartment(department: Department): Promise<void> {
    await this.put({
      ...keys.department(department.id),
      GSI1PK: 'DEPARTMENTS',
      GSI1SK: department.id,
      ...DepartmentSchema.parse(department),
    });
  }

  async listDepartments(): Promise<Department[]> {
    const items = await this.queryAll({ IndexName: 'GSI1', ...eq('GSI1PK', 'DEPARTMENTS') });
    return items.map((item) => DepartmentSchema.parse(stripKeys(item)));
  }

  async getDepartment(id: string): Promise<Department | undefined> {
    const item = await this.get(keys.department(id));
    return item ? DepartmentSchema.parse(stripKeys(item)) : undefined;
  }

  async putChain(chain: Chain): Promise<void> {
    const item = {
      ...keys.chain(chain.id, chain.version),
      GSI1PK: 'CHAINS',
      GSI1SK: `${chain.id}#${String(chain.version).padStart(6, '0')}`,
      chain,
    };
    try {
      await this.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: item } },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.chainHead(chain.id),
                UpdateExpression: 'SET #version = :version',
                ConditionExpression: 'attribute_not_exists(#version) OR #version < :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': chain.version },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException || isCancelled(error))) throw error;
      // a version older than the latest (seeded late): stored, and the head stays on the later one
      await this.put(item);
    }
  }

  async getLatestChainVersion(id: string): Promise<number | undefined> {
    const head = await this.get(keys.chainHead(id));
    return typeof head?.version === 'number' ? head.version : undefined;
  }

  async getChain(id: string, version?: number): Promise<Chain | undefined> {
    if (version !== undefined) {
      const item = await this.get(keys.chain(id, version));
      return item ? ChainSchema.parse(item.chain) : undefined;
    }
    const result = await this.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :version)',
        ExpressionAttributeValues: { ':pk': `CHAIN#${id}`, ':version': 'VERSION#' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = result.Items?.[0];
    return item ? ChainSchema.parse(item.chain) : undefined;
  }

  async listChainVersions(): Promise<Chain[]> {
    const items = await this.queryAll({ IndexName: 'GSI1', ...eq('GSI1PK', 'CHAINS') });
    return items.map((item) => ChainSchema.parse(item.chain));
  }

  async listChains(): Promise<Chain[]> {
    const latest = new Map<string, Chain>();
    for (const chain of await this.listChainVersions()) {
      const seen = latest.get(chain.id);
      if (!seen || seen.version < chain.version) latest.set(chain.id, chain);
    }
    return [...latest.values()];
  }

  async putUser(user: User): Promise<void> {
    await this.put(userItem(user));
  }

  async listUsersOf(audience: { departmentId: string } | { role: User['role'] }): Promise<User[]> {
    const pk =
      'departmentId' in audience ? `USERS#DEPT#${audience.departmentId}` : `USERS#ROLE#${audience.role}`;
    const items = await this.queryAll({ IndexName: 'GSI2', ...eq('GSI2PK', pk) });
    return items.map(parseUser);
  }

  async getUser(userId: string): Promise<User | undefined> {
    const item = await this.get(keys.user(userId));
    return item ? parseUser(item) : undefined;
  }

  async listUsers(): Promise<User[]> {
    const items = await this.queryAll({ IndexName: 'GSI1', ...eq('GSI1PK', 'USERS') });
    return items.map(parseUser);
  }

  async listUserPage(page: PageRequest): Promise<Page<User>> {
    return this.queryPage({ IndexName: 'GSI1', ...eq('GSI1PK', 'USERS') }, page, parseUser);
  }

  async getCredential(userId: string): Promise<Credential | undefined> {
    const item = await this.get(keys.credential(userId));
    return item ? parseCredential(item) : undefined;
  }

  async readSerial(sequence: string): Promise<number | undefined> {
    const item = await this.get(keys.counter(sequence));
    return item?.value === undefined ? undefined : Number(item.value);
  }

  async drawSerial(sequence: string, count = 1): Promise<number> {
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`drawSerial draws 1 or more numbers, not ${count}`);
    const result = await this.send<{ Attributes?: Record<string, unknown> }>(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.counter(sequence),
        UpdateExpression: 'ADD #value :count',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':count': count },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    // the counter holds the last number drawn
    return Number(result.Attributes?.value) - count + 1;
  }

  // ---- writes -------------------------------------------------------------------------------------------

  async commit(ops: StoreOp[]): Promise<void> {
    if (ops.length === 0) return;
    const { items, opsOf } = toTransactItems(this.tableName, ops);
    try {
      await this.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException || isCancelled(error)) {
        const reasons =
          (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
        const failed = reasons.flatMap((reason, i) =>
          reason.Code === 'ConditionalCheckFailed' ? (opsOf[i] ?? []) : [],
        );
        if (failed.length > 0) throw new CommitConflictError(failed);
      }
      throw error;
    }
  }

  // ---- projects -----------------------------------------------------------------------------------------

  async loadProject(projectId: string): Promise<ProjectRecord | undefined> {
    const rows = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND SK >= :from',
      // OUTBOX# sorts just before PROJECT (events and documents before it): the outbox entries still owed come with
      // the project's working set
      ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':from': 'OUTBOX#' },
      ConsistentRead: true,
    });
    let project: Project | undefined;
    const items: ProjectStep[] = [];
    const tokens = new Map<string, ItemTokens>();
    const assignments: AgentAssignment[] = [];
    const outbox: OutboxEntry[] = [];
    for (const row of rows) {
      const sk = String(row.SK);
      if (sk === 'PROJECT') project = parseProject(row);
      else if (sk.startsWith(ASSIGNMENT_PREFIX)) assignments.push(parseAssignment(row));
      else if (sk.startsWith('STEP#')) items.push(parseStep(row));
      else if (sk.startsWith('TOKEN#')) tokens.set(tokenKeyOf(sk), parseTokens(row));
      else if (sk.startsWith('OUTBOX#')) outbox.push(parseOutbox(row));
    }
    return project ? { project, items, tokens, assignments, outbox } : undefined;
  }

  async getProject(projectId: string): Promise<Project | undefined> {
    const item = await this.get(keys.project(projectId));
    return item ? parseProject(item) : undefined;
  }

  async getItems(wanted: ReadonlyArray<{ projectId: string; itemKey: string }>): Promise<ProjectStep[]> {
    const rows = await this.batchGet(wanted.map((w) => keys.item(w.projectId, w.itemKey)));
    return rows.map(parseStep);
  }

  async getProjects(projectIds: readonly string[]): Promise<Project[]> {
    const rows = await this.batchGet([...new Set(projectIds)].map((id) => keys.project(id)));
    return rows.map(parseProject);
  }

  /** Batch reads of up to 100 keys each, unprocessed keys tried again with backoff. */
  private async batchGet(allKeys: Record<string, string>[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let i = 0; i < allKeys.length; i += 100) {
      let keysLeft: Record<string, unknown>[] = allKeys.slice(i, i + 100);
      for (let attempt = 0; keysLeft.length > 0; attempt += 1) {
        if (attempt > 8) throw new Error('DynamoDB kept some keys of a batch read unprocessed');
        const result = await this.send<{
          Responses?: Record<string, Record<string, unknown>[]>;
          UnprocessedKeys?: Record<string, { Keys?: Record<string, unknown>[] }>;
        }>(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: keysLeft, ConsistentRead: true } },
          }),
        );
        found.push(...(result.Responses?.[this.tableName] ?? []));
        keysLeft = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (keysLeft.length > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      }
    }
    return found;
  }

  async findProjectIdByCode(code: string): Promise<string | undefined> {
    const item = await this.get(keys.code(code));
    return typeof item?.projectId === 'string' ? item.projectId : undefined;
  }

  async listProjects(filter: ProjectFilter, page: PageRequest): Promise<Page<ProjectRow>> {
    const statusFilter = filter.status
      ? {
          FilterExpression: '#status = :status',
          names: { '#status': 'status' },
          values: { ':status': filter.status },
        }
      : undefined;
    const byIndex = (index: 'GSI2' | 'GSI3', pk: string) =>
      this.queryPage(
        {
          IndexName: index,
          KeyConditionExpression: `${index}PK = :pk`,
          ExpressionAttributeValues: { ':pk': pk, ...statusFilter?.values },
          ...(statusFilter
            ? {
                FilterExpression: statusFilter.FilterExpression,
                ExpressionAttributeNames: statusFilter.names,
              }
            : {}),
          ScanIndexForward: false,
        },
        page,
        parseProjectRow,
      );
    if (filter.agentId) {
      const result = await byIndex('GSI2', `AGENT#${filter.agentId}`);
      return {
        ...result,
        items: result.items.filter((p) => !filter.enterpriseId || p.enterpriseId === filter.enterpriseId),
      };
    }
    if (filter.enterpriseId) return byIndex('GSI3', `ENTERPRISE#${filter.enterpriseId}`);
    const statuses = filter.status ? [filter.status] : ProjectStatusSchema.options;
    const partitions = statuses.flatMap((status) =>
      Array.from({ length: STATUS_SHARDS }, (_, shard) => statusPartition(status, shard)),
    );
    return this.mergePartitions('GSI1', partitions, page, parseProjectRow);
  }

  async listProjectsLedBy(departmentId: string, page: PageRequest): Promise<Page<LeadProjectRow>> {
    return this.queryPage(
      { IndexName: 'GSI4', ...eq('GSI4PK', `LEAD#${departmentId}`), ScanIndexForward: false },
      page,
      (row) => LeadProjectRowSchema.parse(row),
    );
  }

  async listEvents(projectId: string, page: PageRequest) {
    return this.queryPage(
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':prefix': 'EVENT#' },
        ConsistentRead: true,
      },
      page,
      parseEvent,
    );
  }

  async listAssignments(projectId: string) {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':prefix': ASSIGNMENT_PREFIX },
      ConsistentRead: true,
    });
    return items.map(parseAssignment);
  }

  async listOpenItemsOfDepartment(
    departmentId: string,
    filter: { status?: 'ready' | 'in_review' | 'supplement_requested' },
    page: PageRequest,
  ): Promise<Page<InboxItem>> {
    return this.queryPage(
      filter.status
        ? {
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :status)',
            ExpressionAttributeValues: { ':pk': `DEPT#${departmentId}`, ':status': `${filter.status}#` },
          }
        : { IndexName: 'GSI1', ...eq('GSI1PK', `DEPT#${departmentId}`) },
      page,
      (row) => InboxItemSchema.parse(row),
    );
  }

  // ---- meetings ---------------------------------------------------------------------------------------

  async getMeeting(meetingId: string): Promise<Meeting | undefined> {
    const item = await this.get(keys.meeting(meetingId));
    return item ? MeetingSchema.parse(stripKeys(item)) : undefined;
  }

  async listMeetings(page: PageRequest): Promise<Page<Meeting>> {
    return this.queryPageOfItems(
      { IndexName: 'GSI1', ...eq('GSI1PK', 'MEETINGS'), ScanIndexForward: false },
      page,
      (item) => MeetingSchema.parse(stripKeys(item)),
    );
  }

  // ---- batches carried up (上下协同) ----------------------------------------------------------------------

  async getBatch(batchId: string): Promise<Batch | undefined> {
    const item = await this.get(keys.batch(batchId));
    return item ? BatchSchema.parse(stripKeys(item)) : undefined;
  }

  async listBatches(
    filter: { agentId?: string; departmentId?: string },
    page: PageRequest,
  ): Promise<Page<Batch>> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const conditions: string[] = [];
    if (filter.agentId) {
      names['#agentId'] = 'agentId';
      values[':agentId'] = filter.agentId;
      conditions.push('#agentId = :agentId');
    }
    if (filter.departmentId) {
      names['#departmentId'] = 'departmentId';
      values[':departmentId'] = filter.departmentId;
      conditions.push('#departmentId = :departmentId');
    }
    // a filter over one partition: batches are few (a handful a week), so a page is read whole and filtered
    return this.queryPageOfItems(
      {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': 'BATCHES', ...values },
        ...(conditions.length
          ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names }
          : {}),
        ScanIndexForward: false,
      },
      page,
      (item) => BatchSchema.parse(stripKeys(item)),
    );
  }

  // ---- efficiency complaints ----------------------------------------------------------------------------

  async getComplaint(complaintId: string): Promise<Complaint | undefined> {
    const item = await this.get(keys.complaint(complaintId));
    return item ? ComplaintSchema.parse(stripKeys(item)) : undefined;
  }

  async listComplaints(
    filter: { complainantId?: string; departmentId?: string },
    page: PageRequest,
  ): Promise<Page<Complaint>> {
    const [index, pk] = filter.complainantId
      ? (['GSI2', `COMPLAINANT#${filter.complainantId}`] as const)
      : filter.departmentId
        ? (['GSI3', `COMPLAINED#${filter.departmentId}`] as const)
        : (['GSI1', 'COMPLAINTS'] as const);
    return this.queryPageOfItems(
      { IndexName: index, ...eq(`${index}PK`, pk), ScanIndexForward: false },
      page,
      (item) => ComplaintSchema.parse(stripKeys(item)),
    );
  }

  // ---- documents, notifications, flagged due dates, statistics ------------------------------------------

  async listDocuments(projectId: string): Promise<ProjectDocument[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':prefix': 'DOC#' },
      ConsistentRead: true,
    });
    return items.map(parseDocument);
  }

  async getDocument(projectId: string, docId: string): Promise<ProjectDocument | undefined> {
    const item = await this.get(keys.document(projectId, docId));
    return item ? parseDocument(item) : undefined;
  }

  async listNotifications(userId: string, page: PageRequest): Promise<Page<Notification>> {
    return this.queryPage(
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': `USER#${userId}`, ':prefix': 'NOTIF#' },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      page,
      parseNotification,
    );
  }

  async recordDenial(denial: Denial): Promise<void> {
    const expiresAt = Math.floor(Date.parse(denial.at) / 1000) + DENIAL_RETENTION_DAYS * 86_400;
    await this.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.denial(chinaDate(new Date(denial.at)), denial.at, denial.denialId),
          ...DenialSchema.parse(denial),
          expiresAt,
        },
      }),
    );
  }

  async listDenials(date: string, page: PageRequest): Promise<Page<Denial>> {
    return this.queryPage(
      {
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `AUDIT#${date}` },
        ScanIndexForward: false,
      },
      page,
      (item) => {
        const { expiresAt: _e, ...rest } = stripKeys(item);
        return DenialSchema.parse(rest);
      },
    );
  }

  async markNotificationRead(userId: string, notificationId: string): Promise<boolean> {
    try {
      await this.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.notification(userId, notificationId),
          UpdateExpression: 'SET #read = :true',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#read': 'read' },
          ExpressionAttributeValues: { ':true': true },
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async listFlaggedItems(page: PageRequest): Promise<Page<FlaggedItem>> {
    return this.queryPage({ IndexName: 'GSI2', ...eq('GSI2PK', 'FLAGGED') }, page, (row) =>
      FlaggedItemSchema.parse(row),
    );
  }

  async listDeemedSince(
    date: string,
    page: PageRequest,
  ): Promise<Page<FlaggedItem & { noticeDate: string }>> {
    return this.queryPage(
      {
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK >= :from',
        ExpressionAttributeValues: { ':pk': 'DEEMED', ':from': date },
      },
      page,
      (row) => ({ ...FlaggedItemSchema.parse(row), noticeDate: String(row.GSI2SK).slice(0, 10) }),
    );
  }

  async listStats(
    dimension: StatDimension,
    month: string,
  ): Promise<Array<{ id: string; counters: StatCounters }>> {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': `STATS#${dimension}#${month}` },
      ConsistentRead: true,
    });
    return items.map((item) => {
      const counters = emptyCounters();
      for (const name of STAT_COUNTERS) counters[name] = Number(item[name] ?? 0);
      return { id: String(item.SK), counters };
    });
  }

  // ---- outbox and work ----------------------------------------------------------------------------------

  async getOutbox(projectId: string, outboxId: string): Promise<OutboxEntry | undefined> {
    const item = await this.get(keys.outbox(projectId, outboxId));
    return item ? parseOutbox(item) : undefined;
  }

  async deleteOutbox(projectId: string, outboxId: string): Promise<void> {
    await this.send(new DeleteCommand({ TableName: this.tableName, Key: keys.outbox(projectId, outboxId) }));
  }

  async rescheduleOutbox(entry: OutboxEntry): Promise<void> {
    try {
      await this.send(
        new PutCommand({
          TableName: this.tableName,
          Item: outboxItem(entry),
          ConditionExpression: 'attribute_exists(PK)',
        }),
      );
    } catch (error) {
      // Sent and deleted meanwhile (by the scheduled job, or the relay of a retried request): nothing is left to do.
      if (errorName(error) !== 'ConditionalCheckFailedException') throw error;
    }
  }

  async listDueWork(shard: number, until: string, limit: number): Promise<WorkItem[]> {
    const result = await this.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'Work',
        KeyConditionExpression: 'WorkPK = :pk AND WorkSK <= :until',
        ExpressionAttributeValues: { ':pk': `WORK#${shard}`, ':until': `${until}#~` },
        Limit: limit,
      }),
    );
    return (result.Items ?? []).flatMap((item) => parseWork(String(item.WorkSK)));
  }

  async listWatchedWork(shard: number, page: PageRequest): Promise<Page<WorkItem>> {
    const found = await this.queryPage(
      { IndexName: 'Work', ...eq('WorkPK', `WORK#${shard}`) },
      page,
      (item) => parseWork(String(item.WorkSK)),
    );
    return { items: found.items.flat(), ...(found.cursor ? { cursor: found.cursor } : {}) };
  }

  async getSetting(name: string): Promise<{ value: Record<string, unknown>; revision: number } | undefined> {
    const item = await this.get(keys.setting(name));
    if (!item) return undefined;
    return { value: (item.value ?? {}) as Record<string, unknown>, revision: Number(item.revision ?? 0) };
  }

  async deleteSetting(name: string): Promise<void> {
    await this.send(new DeleteCommand({ TableName: this.tableName, Key: keys.setting(name) }));
  }

  async putSetting(
    name: string,
    value: Record<string, unknown>,
    options: { expectedRevision?: number | null; ttlSeconds?: number } = {},
  ): Promise<boolean> {
    const { expectedRevision, ttlSeconds } = options;
    const expiresAt = ttlSeconds ? Math.floor(Date.now() / 1000) + ttlSeconds : undefined;
    try {
      await this.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.setting(name),
            value,
            revision: (expectedRevision ?? 0) + 1,
            ...(expiresAt ? { expiresAt } : {}),
          },
          ...(expectedRevision === undefined
            ? {}
            : expectedRevision === null
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : {
                  ConditionExpression: '#revision = :revision',
                  ExpressionAttributeNames: { '#revision': 'revision' },
                  ExpressionAttributeValues: { ':revision': expectedRevision },
                }),
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async upgradeLayout(): Promise<LayoutUpgrade> {
    if (this.#layoutCurrent) return { moved: 0, done: true };
    const result = await withRetry(() => upgradeLayout(this.doc, this.tableName), this.retry);
    this.#layoutCurrent = result.done;
    return result;
  }

  async ping(): Promise<void> {
    await this.get({ PK: 'HEALTH', SK: 'HEALTH' });
  }

  // ---- low-level helpers --------------------------------------------------------------------------------

  private send<T = QueryResult>(command: object): Promise<T> {
    return withRetry(() => this.doc.send(command) as Promise<T>, this.retry);
  }

  private async get(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    const result = await this.send<{ Item?: Record<string, unknown> }>(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return result.Item;
  }

  private async put(item: Record<string, unknown>): Promise<void> {
    await this.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send<{
        Items?: Record<string, unknown>[];
        LastEvaluatedKey?: Record<string, unknown>;
      }>(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** One page of one partition; the cursor is DynamoDB's LastEvaluatedKey, opaque to the client. */
  private async queryPage<T>(
    input: Omit<QueryCommandInput, 'TableName'>,
    page: PageRequest,
    parse: (item: Record<string, unknown>) => T,
  ): Promise<Page<T>> {
    // a cursor belongs to one list: its index, key condition and the values it is queried and filtered with
    const scope = JSON.stringify([
      input.IndexName ?? 'table',
      input.KeyConditionExpression,
      Object.entries(input.ExpressionAttributeValues ?? {}).sort(([a], [b]) => a.localeCompare(b)),
    ]);
    const startKey = this.#cursors.decode(page.cursor, scope, lastKeyFields(input.IndexName));
    const result = await this.send<{
      Items?: Record<string, unknown>[];
      LastEvaluatedKey?: Record<string, unknown>;
    }>(
      new QueryCommand({
        ...input,
        TableName: this.tableName,
        Limit: page.limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const cursor = this.#cursors.encode(result.LastEvaluatedKey, scope);
    return { items: (result.Items ?? []).map(parse), ...(cursor ? { cursor } : {}) };
  }

  /**
   * One page of an index that holds only the keys of its items (meetings, batches, complaints: read whole by their
   * lists, so no index copies their agendas, items or records), then the items themselves in one batch read, in the
   * index's order. An item gone meanwhile is left out.
   */
  private async queryPageOfItems<T>(
    input: Omit<QueryCommandInput, 'TableName'>,
    page: PageRequest,
    parse: (item: Record<string, unknown>) => T,
  ): Promise<Page<T>> {
    const found = await this.queryPage(input, page, (row) => ({ PK: String(row.PK), SK: String(row.SK) }));
    const items = new Map(
      (await this.batchGet(found.items)).map((item) => [`${String(item.PK)}\n${String(item.SK)}`, item]),
    );
    return {
      items: found.items.flatMap((key) => {
        const item = items.get(`${key.PK}\n${key.SK}`);
        return item ? [parse(item)] : [];
      }),
      ...(found.cursor ? { cursor: found.cursor } : {}),
    };
  }

  /**
   * One page across write-sharded partitions, newest first: each partition gives up to a page below the cursor,
   * the pages are merged and cut. The cursor is the sort key of the last item returned.
   */
  private async mergePartitions<T>(
    index: 'GSI1',
    partitions: string[],
    page: PageRequest,
    parse: (item: Record<string, unknown>) => T,
  ): Promise<Page<T>> {
    const scope = JSON.stringify([index, ...partitions]);
    const after = this.#cursors.decode<{ sk: string }>(page.cursor, scope, ['sk'])?.sk;
    const results = await Promise.all(
      partitions.map((pk) =>
        this.send<{ Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> }>(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index,
            KeyConditionExpression: after ? `${index}PK = :pk AND ${index}SK < :after` : `${index}PK = :pk`,
            ExpressionAttributeValues: { ':pk': pk, ...(after ? { ':after': after } : {}) },
            ScanIndexForward: false,
            Limit: page.limit,
          }),
        ),
      ),
    );
    const rows = results
      .flatMap((r) => r.Items ?? [])
      .sort((a, b) => String(b[`${index}SK`]).localeCompare(String(a[`${index}SK`])));
    const taken = rows.slice(0, page.limit);
    const more = rows.length > page.limit || results.some((r) => r.LastEvaluatedKey !== undefined);
    const last = taken.at(-1);
    const cursor = more && last ? this.#cursors.encode({ sk: String(last[`${index}SK`]) }, scope) : undefined;
    return { items: taken.map(parse), ...(cursor ? { cursor } : {}) };
  }
}

const parseProjectRow = (row: Record<string, unknown>): ProjectRow => ProjectRowSchema.parse(row);

type QueryResult = { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> };

/** The attributes of a LastEvaluatedKey: the table's keys, and an index's too when the query is on one. */
const lastKeyFields = (index: string | undefined): string[] =>
  index ? ['PK', 'SK', `${index}PK`, `${index}SK`] : ['PK', 'SK'];

function eq(
  attribute: string,
  value: string,
): Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'> {
  return { KeyConditionExpression: `${attribute} = :value`, ExpressionAttributeValues: { ':value': value } };
}

const errorName = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : undefined;

const isCancelled = (error: unknown): boolean => errorName(error) === 'TransactionCanceledException';

/** `<at>#<kind>#<projectId>[#<rest>]` → a work item. */
function parseWork(sk: string): WorkItem[] {
  const [at, kind, projectId, ...rest] = sk.split('#');
  if (!at || !projectId) return [];
  const tail = rest.join('#');
  if (kind === 'outbox') return [{ kind, at, projectId, outboxId: tail }];
  if (kind === 'renew') return [{ kind, at, projectId }];
  if (kind === 'sla') return [{ kind, at, projectId, itemKey: tail }];
  // (a complaint's id sits where a project's would)
  if (kind === 'complaint') return [{ kind, at, complaintId: projectId }];
  return [];
}
