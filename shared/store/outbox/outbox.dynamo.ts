import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { outboxItem, parseOutbox } from '../dynamo-codec.js';
import { conditionFailed, type DynamoTable, eq } from '../dynamo-table.js';
import { keys } from '../keys.js';
import type { Page, PageRequest } from '../page.js';
import type { OutboxEntry, OutboxStore, WorkItem } from './outbox.port.js';

/** DynamoDB adapter of {@link OutboxStore}: entries in their project's partition, due work in the Work index. */
export class OutboxDynamo implements OutboxStore {
  constructor(private readonly table: DynamoTable) {}

  async getOutbox(projectId: string, outboxId: string): Promise<OutboxEntry | undefined> {
    const item = await this.table.get(keys.outbox(projectId, outboxId));
    return item ? parseOutbox(item) : undefined;
  }

  async deleteOutbox(projectId: string, outboxId: string): Promise<void> {
    await this.table.send(
      new DeleteCommand({ TableName: this.table.name, Key: keys.outbox(projectId, outboxId) }),
    );
  }

  async deleteOutboxes(entries: readonly { projectId: string; outboxId: string }[]): Promise<void> {
    await this.table.batchDelete(entries.map((e) => keys.outbox(e.projectId, e.outboxId)));
  }

  async rescheduleOutbox(entry: OutboxEntry): Promise<void> {
    try {
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          Item: outboxItem(entry),
          ConditionExpression: 'attribute_exists(PK)',
        }),
      );
    } catch (error) {
      // Sent and deleted meanwhile (by the scheduled job, or the relay of a retried request): nothing is left to do.
      if (!conditionFailed(error)) throw error;
    }
  }

  async listDueWork(shard: number, until: string, limit: number): Promise<WorkItem[]> {
    const result = await this.table.send(
      new QueryCommand({
        TableName: this.table.name,
        IndexName: 'Work',
        KeyConditionExpression: 'WorkPK = :pk AND WorkSK <= :until',
        ExpressionAttributeValues: { ':pk': `WORK#${shard}`, ':until': `${until}#~` },
        Limit: limit,
      }),
    );
    return (result.Items ?? []).flatMap((item) => parseWork(String(item.WorkSK)));
  }

  async listWatchedWork(shard: number, page: PageRequest): Promise<Page<WorkItem>> {
    const found = await this.table.queryPage(
      { IndexName: 'Work', ...eq('WorkPK', `WORK#${shard}`) },
      page,
      (item) => parseWork(String(item.WorkSK)),
    );
    return { items: found.items.flat(), ...(found.cursor ? { cursor: found.cursor } : {}) };
  }
}

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
