import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DENIAL_RETENTION_DAYS, type Denial, DenialSchema } from '../../domain/audit.js';
import { type FlaggedItem, FlaggedItemSchema } from '../../domain/list-rows.js';
import { emptyCounters, STAT_COUNTERS, type StatCounters, type StatDimension } from '../../domain/stats.js';
import { chinaDate } from '../../domain/working-days.js';
import { stripKeys } from '../dynamo-codec.js';
import { type DynamoTable, eq } from '../dynamo-table.js';
import { keys } from '../keys.js';
import type { Page, PageRequest } from '../page.js';
import type { ReportStore } from './report.port.js';

/** DynamoDB adapter of {@link ReportStore}. */
export class ReportDynamo implements ReportStore {
  constructor(private readonly table: DynamoTable) {}

  async listStats(
    dimension: StatDimension,
    month: string,
  ): Promise<Array<{ id: string; counters: StatCounters }>> {
    const items = await this.table.queryAll({
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

  async listFlaggedItems(page: PageRequest): Promise<Page<FlaggedItem>> {
    return this.table.queryPage({ IndexName: 'GSI2', ...eq('GSI2PK', 'FLAGGED') }, page, (row) =>
      FlaggedItemSchema.parse(row),
    );
  }

  async listDeemedSince(
    date: string,
    page: PageRequest,
  ): Promise<Page<FlaggedItem & { noticeDate: string }>> {
    return this.table.queryPage(
      {
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK >= :from',
        ExpressionAttributeValues: { ':pk': 'DEEMED', ':from': date },
      },
      page,
      (row) => ({ ...FlaggedItemSchema.parse(row), noticeDate: String(row.GSI2SK).slice(0, 10) }),
    );
  }

  async recordDenial(denial: Denial): Promise<void> {
    const expiresAt = Math.floor(Date.parse(denial.at) / 1000) + DENIAL_RETENTION_DAYS * 86_400;
    await this.table.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          ...keys.denial(chinaDate(new Date(denial.at)), denial.at, denial.denialId),
          ...DenialSchema.parse(denial),
          expiresAt,
        },
      }),
    );
  }

  async listDenials(date: string, page: PageRequest): Promise<Page<Denial>> {
    return this.table.queryPage(
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
}
