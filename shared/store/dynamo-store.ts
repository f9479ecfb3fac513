import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Chain, ChainSchema } from '../domain/chain.js';
import { type Department, DepartmentSchema } from '../domain/department.js';
import { ConflictError } from '../domain/errors.js';
import {
  type AgentAssignment,
  AgentAssignmentSchema,
  type Project,
  type ProjectEvent,
  ProjectEventSchema,
  ProjectSchema,
  type ProjectStep,
  ProjectStepSchema,
  type User,
  UserSchema,
} from '../domain/project.js';
import type { ProjectStatus } from '../domain/step-status.js';
import { keys, projectIndexKeys, stepIndexKeys } from './keys.js';
import type { DaibanStore, ProjectChange, StepTransition } from './store.port.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Fields of the step item the engine owns; transitions never touch them. */
const TOKEN_FIELD = { step: 'taskToken', gate: 'gateToken' } as const;
const STEP_KEY_FIELDS = new Set(['projectId', 'stepId']);
/** Optional step fields a transition may clear, plus the index keys derived from status. */
const STEP_OPTIONAL_FIELDS = [
  ...Object.entries(ProjectStepSchema.shape)
    .filter(([, schema]) => schema.safeParse(undefined).success)
    .map(([name]) => name),
  'GSI1PK',
  'GSI1SK',
  'DuePK',
  'DueSK',
];

/**
 * DynamoDB single-table adapter of `DaibanStore` (@aws-sdk/lib-dynamodb).
 * Records are validated with the domain's zod schemas on the way out.
 *
 * @example new DynamoDaibanStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'daiban-dev-table')
 */
export class DynamoDaibanStore implements DaibanStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putDepartment(department: Department): Promise<void> {
    await this.put({
      ...keys.department(department.id),
      GSI1PK: 'DEPARTMENTS',
      GSI1SK: department.id,
      ...DepartmentSchema.parse(department),
    });
  }

  async listDepartments(): Promise<Department[]> {
    const items = await this.queryAll({ IndexName: 'GSI1', ...this.eq('GSI1PK', 'DEPARTMENTS') });
    return items.map((item) => DepartmentSchema.parse(stripKeys(item)));
  }

  async getDepartment(id: string): Promise<Department | undefined> {
    const item = await this.get(keys.department(id));
    return item ? DepartmentSchema.parse(stripKeys(item)) : undefined;
  }

  async putChain(chain: Chain): Promise<void> {
    await this.put({
      ...keys.chain(chain.id, chain.version),
      GSI1PK: 'CHAINS',
      GSI1SK: `${chain.id}#${String(chain.version).padStart(6, '0')}`,
      chain,
    });
  }

  async getChain(id: string, version?: number): Promise<Chain | undefined> {
    if (version !== undefined) {
      const item = await this.get(keys.chain(id, version));
      return item ? ChainSchema.parse(item.chain) : undefined;
    }
    const result = await this.doc.send(
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
    const items = await this.queryAll({ IndexName: 'GSI1', ...this.eq('GSI1PK', 'CHAINS') });
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
    await this.put({
      ...keys.user(user.userId),
      GSI1PK: 'USERS',
      GSI1SK: `${user.role}#${user.userId}`,
      ...UserSchema.parse(user),
    });
  }

  async getUser(userId: string): Promise<User | undefined> {
    const item = await this.get(keys.user(userId));
    return item ? UserSchema.parse(stripKeys(item)) : undefined;
  }

  async listUsers(): Promise<User[]> {
    const items = await this.queryAll({ IndexName: 'GSI1', ...this.eq('GSI1PK', 'USERS') });
    return items.map((item) => UserSchema.parse(stripKeys(item)));
  }

  async nextSerial(sequence: string): Promise<number> {
    const result = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.counter(sequence),
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.value);
  }

  async createProject(input: {
    project: Project;
    steps: ProjectStep[];
    events: ProjectEvent[];
    assignment: AgentAssignment;
  }): Promise<void> {
    const { project, steps, events, assignment } = input;
    // Steps (and events beyond what a transaction holds) go first; the project item is the commit point:
    // until it exists, nothing reads them.
    const [firstEvent, ...moreEvents] = events;
    await this.batchPut([
      ...steps.map((step) => this.stepItem(step)),
      ...moreEvents.map((event) => this.eventItem(event)),
    ]);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: this.projectItem(project),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      { Put: { TableName: this.tableName, Item: this.assignmentItem(assignment) } },
    ];
    if (firstEvent) items.push({ Put: { TableName: this.tableName, Item: this.eventItem(firstEvent) } });
    await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
  }

  async getProject(projectId: string): Promise<Project | undefined> {
    const item = await this.get(keys.project(projectId));
    return item ? ProjectSchema.parse(stripKeys(item)) : undefined;
  }

  async listProjects(filter: {
    status?: ProjectStatus;
    agentId?: string;
    enterpriseId?: string;
  }): Promise<Project[]> {
    let items: Record<string, unknown>[];
    if (filter.agentId)
      items = await this.queryAll({ IndexName: 'GSI2', ...this.eq('GSI2PK', `AGENT#${filter.agentId}`) });
    else if (filter.enterpriseId)
      items = await this.queryAll({
        IndexName: 'GSI3',
        ...this.eq('GSI3PK', `ENTERPRISE#${filter.enterpriseId}`),
      });
    else {
      const statuses: ProjectStatus[] = filter.status ? [filter.status] : ['active', 'returned', 'completed'];
      const pages = await Promise.all(
        statuses.map((status) =>
          this.queryAll({ IndexName: 'GSI1', ...this.eq('GSI1PK', `PROJECTS#${status}`) }),
        ),
      );
      items = pages.flat();
    }
    return items
      .map((item) => ProjectSchema.parse(stripKeys(item)))
      .filter((p) => !filter.status || p.status === filter.status)
      .filter((p) => !filter.agentId || p.agentId === filter.agentId)
      .filter((p) => !filter.enterpriseId || p.enterpriseId === filter.enterpriseId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async getStep(projectId: string, stepId: string): Promise<ProjectStep | undefined> {
    const item = await this.get(keys.step(projectId, stepId));
    return item ? ProjectStepSchema.parse(stripKeys(item)) : undefined;
  }

  async listSteps(projectId: string): Promise<ProjectStep[]> {
    const items = await this.queryPrefix(`PROJECT#${projectId}`, 'STEP#');
    return items.map((item) => ProjectStepSchema.parse(stripKeys(item)));
  }

  async listEvents(projectId: string): Promise<ProjectEvent[]> {
    const items = await this.queryPrefix(`PROJECT#${projectId}`, 'EVENT#');
    return items.map((item) => ProjectEventSchema.parse(stripKeys(item)));
  }

  async listAssignments(projectId: string): Promise<AgentAssignment[]> {
    const items = await this.queryPrefix(`PROJECT#${projectId}`, 'ASSIGNMENT#');
    return items.map((item) => AgentAssignmentSchema.parse(stripKeys(item)));
  }

  async transitionStep(transition: StepTransition): Promise<ProjectStep> {
    const { before, after, event, project } = transition;
    const items: TransactItem[] = [
      { Update: this.stepUpdate(before, after) },
      {
        Put: {
          TableName: this.tableName,
          Item: this.eventItem(event),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ];
    if (project) items.push({ Update: this.projectUpdate(before.projectId, after.updatedAt, project) });
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      throw this.explainCancellation(error, before, project);
    }
    return { ...after, version: before.version + 1 };
  }

  async setTaskToken(projectId: string, stepId: string, kind: 'step' | 'gate', token: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.step(projectId, stepId),
        UpdateExpression: 'SET #token = :token',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#token': TOKEN_FIELD[kind] },
        ExpressionAttributeValues: { ':token': token },
      }),
    );
  }

  async getTaskToken(projectId: string, stepId: string, kind: 'step' | 'gate'): Promise<string | undefined> {
    const item = await this.get(keys.step(projectId, stepId));
    const token = item?.[TOKEN_FIELD[kind]];
    return typeof token === 'string' ? token : undefined;
  }

  async reassignAgent(input: {
    project: Project;
    assignment: AgentAssignment;
    event: ProjectEvent;
  }): Promise<void> {
    const { project, assignment, event } = input;
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.project(project.projectId),
                UpdateExpression: 'SET agentId = :agent, GSI2PK = :gsi2pk, updatedAt = :now',
                ConditionExpression: 'agentId = :previous',
                ExpressionAttributeValues: {
                  ':agent': assignment.agentId,
                  ':gsi2pk': `AGENT#${assignment.agentId}`,
                  ':now': assignment.at,
                  ':previous': project.agentId,
                },
              },
            },
            { Put: { TableName: this.tableName, Item: this.assignmentItem(assignment) } },
            { Put: { TableName: this.tableName, Item: this.eventItem(event) } },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        throw new ConflictError(
          'PROJECT.AGENT_CHANGED',
          `the agent of project ${project.code} changed meanwhile; reload the project and try again`,
        );
      }
      throw error;
    }
  }

  async appendEvent(event: ProjectEvent, project?: ProjectChange): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: this.eventItem(event),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ];
    if (project) items.push({ Update: this.projectUpdate(event.projectId, event.at, project) });
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException && project?.expectStatus) {
        throw new ConflictError('PROJECT.STATUS_CHANGED', `the project is no longer ${project.expectStatus}`);
      }
      throw error;
    }
  }

  async listOpenStepsOfDepartment(
    departmentId: string,
    status?: 'ready' | 'in_review' | 'supplement_requested',
  ): Promise<ProjectStep[]> {
    const input: Omit<QueryCommandInput, 'TableName'> = status
      ? {
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :status)',
          ExpressionAttributeValues: { ':pk': `DEPT#${departmentId}`, ':status': `${status}#` },
        }
      : { IndexName: 'GSI1', ...this.eq('GSI1PK', `DEPT#${departmentId}`) };
    const items = await this.queryAll(input);
    return items
      .map((item) => ProjectStepSchema.parse(stripKeys(item)))
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  }

  // ---- item builders -------------------------------------------------------------------------

  private projectItem(project: Project): Record<string, unknown> {
    return {
      ...keys.project(project.projectId),
      ...projectIndexKeys(project),
      ...ProjectSchema.parse(project),
    };
  }

  private stepItem(step: ProjectStep): Record<string, unknown> {
    return {
      ...keys.step(step.projectId, step.stepId),
      ...stepIndexKeys(step),
      ...ProjectStepSchema.parse(step),
    };
  }

  private eventItem(event: ProjectEvent): Record<string, unknown> {
    return { ...keys.event(event.projectId, event.eventId), ...ProjectEventSchema.parse(event) };
  }

  private assignmentItem(assignment: AgentAssignment): Record<string, unknown> {
    return {
      ...keys.assignment(assignment.projectId, assignment.assignmentId),
      ...AgentAssignmentSchema.parse(assignment),
    };
  }

  /** SET every field of the new step (tokens excepted), REMOVE optional fields it no longer has. */
  private stepUpdate(before: ProjectStep, after: ProjectStep) {
    const next = { ...ProjectStepSchema.parse(after), ...stepIndexKeys(after), version: before.version + 1 };
    const names: Record<string, string> = { '#expectedVersion': 'version', '#expectedStatus': 'status' };
    const values: Record<string, unknown> = {
      ':expectedVersion': before.version,
      ':expectedStatus': before.status,
    };
    const sets: string[] = [];
    const removes: string[] = [];
    for (const [field, value] of Object.entries(next)) {
      if (STEP_KEY_FIELDS.has(field)) continue;
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    for (const field of STEP_OPTIONAL_FIELDS) {
      if ((next as Record<string, unknown>)[field] !== undefined) continue;
      names[`#${field}`] = field;
      removes.push(`#${field}`);
    }
    return {
      TableName: this.tableName,
      Key: keys.step(before.projectId, before.stepId),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: '#expectedVersion = :expectedVersion AND #expectedStatus = :expectedStatus',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  private projectUpdate(projectId: string, now: string, change: ProjectChange) {
    const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':updatedAt': now };
    const sets = ['#updatedAt = :updatedAt'];
    const adds: string[] = [];
    for (const [field, value] of Object.entries(change.set ?? {})) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    if (change.set?.status) {
      names['#GSI1PK'] = 'GSI1PK';
      values[':GSI1PK'] = `PROJECTS#${change.set.status}`;
      sets.push('#GSI1PK = :GSI1PK');
    }
    for (const [field, value] of Object.entries(change.add ?? {})) {
      if (!value) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      adds.push(`#${field} :${field}`);
    }
    let condition = 'attribute_exists(PK)';
    if (change.expectStatus) {
      names['#status'] = 'status';
      values[':expectStatus'] = change.expectStatus;
      condition += ' AND #status = :expectStatus';
    }
    return {
      TableName: this.tableName,
      Key: keys.project(projectId),
      UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  private explainCancellation(error: unknown, before: ProjectStep, project?: ProjectChange): unknown {
    if (!(error instanceof TransactionCanceledException)) return error;
    const reasons = error.CancellationReasons ?? [];
    if (reasons[0]?.Code === 'ConditionalCheckFailed') {
      return new ConflictError(
        'STEP.CHANGED',
        `step ${before.stepId} is no longer ${before.status}: it was changed by another request; reload and try again`,
        { stepId: before.stepId, expectedStatus: before.status },
      );
    }
    if (reasons[2]?.Code === 'ConditionalCheckFailed' && project?.expectStatus) {
      return new ConflictError('PROJECT.STATUS_CHANGED', `the project is no longer ${project.expectStatus}`);
    }
    return error;
  }

  // ---- low-level helpers ---------------------------------------------------------------------

  private eq(
    attribute: string,
    value: string,
  ): Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'> {
    return {
      KeyConditionExpression: `${attribute} = :value`,
      ExpressionAttributeValues: { ':value': value },
    };
  }

  private async get(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return result.Item;
  }

  private async put(item: Record<string, unknown>): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  private async queryPrefix(pk: string, skPrefix: string): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      ConsistentRead: true,
    });
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  private async batchPut(items: Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < items.length; i += 25) {
      let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error('DynamoDB kept throttling the batch write; try again');
        const result = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        if (requests.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  }
}

const KEY_ATTRIBUTES = [
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'GSI3PK',
  'GSI3SK',
  'DuePK',
  'DueSK',
];
function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...item };
  for (const key of KEY_ATTRIBUTES) delete rest[key];
  return rest;
}
