import { type Batch, BatchSchema } from '../../domain/batch.js';
import { stripKeys } from '../dynamo-codec.js';
import type { DynamoTable } from '../dynamo-table.js';
import { type ExpressionParts, equalsClause } from '../expression-parts.js';
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
    const { names, values }: ExpressionParts = { names: {}, values: {} };
    const conditions: string[] = [];
    if (filter.agentId) conditions.push(equalsClause({ names, values }, 'agentId', filter.agentId));
    if (filter.departmentId)
      conditions.push(equalsClause({ names, values }, 'departmentId', filter.departmentId));
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
