import { type Batch, BatchSchema } from '../../domain/batch.js';
import { stripKeys } from '../dynamo-codec.js';
import type { DynamoTable } from '../dynamo-table.js';
import { keys } from '../keys.js';
import type { Page, PageRequest } from '../page.js';
import type { BatchStore } from './batch.port.js';

/** DynamoDB adapter of {@link BatchStore}. */
export class BatchDynamo implements BatchStore {
  constructor(private readonly table: DynamoTable) {}

  async getBatch(batchId: string): Promise<Batch | undefined> {
    const item = await this.table.get(keys.batch(batchId));
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
    return this.table.queryPageOfItems(
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
}
