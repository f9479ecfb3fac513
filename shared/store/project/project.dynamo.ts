import type { ProjectDocument } from '../../domain/documents.js';
import {
  type AgentProjectRow,
  AgentProjectRowSchema,
  type InboxItem,
  InboxItemSchema,
  type LeadProjectRow,
  LeadProjectRowSchema,
  type ProjectRow,
  ProjectRowSchema,
} from '../../domain/list-rows.js';
import type {
  AgentAssignment,
  ItemTokens,
  Project,
  ProjectEvent,
  ProjectStep,
} from '../../domain/project.js';
import { ProjectStatusSchema } from '../../domain/step-status.js';
import {
  eventsOf,
  parseAssignment,
  parseDocument,
  parseOutbox,
  parseProject,
  parseStep,
  parseTokens,
  tokenKeyOf,
} from '../dynamo-codec.js';
import { type DynamoTable, eq } from '../dynamo-table.js';
import { keys, statusPartition } from '../keys.js';
import type { OutboxEntry } from '../outbox/outbox.port.js';
import type { Page, PageRequest } from '../page.js';
import { STATUS_SHARDS } from '../table.js';
import type { ProjectFilter, ProjectRecord, ProjectStore } from './project.port.js';

/** A project's agent handovers sort inside its working set (see layout-upgrade.ts). */
const ASSIGNMENT_PREFIX = keys.assignment('', '').SK;

/** DynamoDB adapter of {@link ProjectStore}: a project's items share its partition (`PROJECT#<id>`). */
export class ProjectDynamo implements ProjectStore {
  constructor(private readonly table: DynamoTable) {}

  async loadProject(projectId: string): Promise<ProjectRecord | undefined> {
    const rows = await this.table.queryAll({
      KeyConditionExpression: 'PK = :pk AND SK >= :from',
      // OUTBOX# sorts just before PROJECT (events and documents before it): the outbox entries still owed come with
      // the project's working set
      ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':from': 'OUTBOX#' },
      ConsistentRead: true,
    });
    return projectRecordOf(rows);
  }

  async getProject(projectId: string): Promise<Project | undefined> {
    const item = await this.table.get(keys.project(projectId));
    return item ? parseProject(item) : undefined;
  }

  async getItems(wanted: ReadonlyArray<{ projectId: string; itemKey: string }>): Promise<ProjectStep[]> {
    const rows = await this.table.batchGet(wanted.map((w) => keys.item(w.projectId, w.itemKey)));
    return rows.map(parseStep);
  }

  async getProjects(projectIds: readonly string[]): Promise<Project[]> {
    const rows = await this.table.batchGet([...new Set(projectIds)].map((id) => keys.project(id)));
    return rows.map(parseProject);
  }

  async findProjectIdByCode(code: string): Promise<string | undefined> {
    const item = await this.table.get(keys.code(code));
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
      this.table.queryPage(
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
    return this.table.mergePartitions('GSI1', partitions, page, parseProjectRow);
  }

  async listAgentProjects(agentId: string, page: PageRequest): Promise<Page<AgentProjectRow>> {
    return this.table.queryPage(
      {
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': `AGENT#${agentId}` },
        ScanIndexForward: false,
      },
      page,
      (row) => AgentProjectRowSchema.parse(row),
    );
  }

  async listProjectsLedBy(departmentId: string, page: PageRequest): Promise<Page<LeadProjectRow>> {
    return this.table.queryPage(
      { IndexName: 'GSI4', ...eq('GSI4PK', `LEAD#${departmentId}`), ScanIndexForward: false },
      page,
      (row) => LeadProjectRowSchema.parse(row),
    );
  }

  async listEvents(projectId: string, page: PageRequest): Promise<Page<ProjectEvent>> {
    // an item may hold the events of one transaction (see `eventsItem`): a page is still `limit` events
    return this.table.queryUnfolded(`PROJECT#${projectId}`, 'EVENT#', page, eventsOf);
  }

  async listAssignments(projectId: string): Promise<AgentAssignment[]> {
    const items = await this.table.queryAll({
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
    return this.table.queryPage(
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

  async listDocuments(projectId: string): Promise<ProjectDocument[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':prefix': 'DOC#' },
      ConsistentRead: true,
    });
    return items.map(parseDocument);
  }

  async getDocument(projectId: string, docId: string): Promise<ProjectDocument | undefined> {
    const item = await this.table.get(keys.document(projectId, docId));
    return item ? parseDocument(item) : undefined;
  }
}

const parseProjectRow = (row: Record<string, unknown>): ProjectRow => ProjectRowSchema.parse(row);

/** A project's working set from the rows of its partition from `OUTBOX#` on, in key order (undefined: no project). */
export function projectRecordOf(rows: ReadonlyArray<Record<string, unknown>>): ProjectRecord | undefined {
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
