import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Chain, ChainSchema } from '../../domain/chain.js';
import { type Department, DepartmentSchema } from '../../domain/department.js';
import { stripKeys } from '../dynamo-codec.js';
import { type DynamoTable, eq, isCancelled } from '../dynamo-table.js';
import { keys } from '../keys.js';
import type { ReferenceStore } from './reference.port.js';

/** DynamoDB adapter of {@link ReferenceStore}. */
export class ReferenceDynamo implements ReferenceStore {
  constructor(private readonly table: DynamoTable) {}

  async putDepartment(department: Department): Promise<void> {
    await this.table.put({
      ...keys.department(department.id),
      GSI1PK: 'DEPARTMENTS',
      GSI1SK: department.id,
      ...DepartmentSchema.parse(department),
    });
  }

  async listDepartments(): Promise<Department[]> {
    const items = await this.table.queryAll({ IndexName: 'GSI1', ...eq('GSI1PK', 'DEPARTMENTS') });
    return items.map((item) => DepartmentSchema.parse(stripKeys(item)));
  }

  async getDepartment(id: string): Promise<Department | undefined> {
    const item = await this.table.get(keys.department(id));
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
      await this.table.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table.name, Item: item } },
            {
              Update: {
                TableName: this.table.name,
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
      await this.table.put(item);
    }
  }

  async getLatestChainVersion(id: string): Promise<number | undefined> {
    const head = await this.table.get(keys.chainHead(id));
    return typeof head?.version === 'number' ? head.version : undefined;
  }

  async getChain(id: string, version?: number): Promise<Chain | undefined> {
    if (version !== undefined) {
      const item = await this.table.get(keys.chain(id, version));
      return item ? ChainSchema.parse(item.chain) : undefined;
    }
    const result = await this.table.send(
      new QueryCommand({
        TableName: this.table.name,
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
    const items = await this.table.queryAll({ IndexName: 'GSI1', ...eq('GSI1PK', 'CHAINS') });
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

  async readSerial(sequence: string): Promise<number | undefined> {
    const item = await this.table.get(keys.counter(sequence));
    return item?.value === undefined ? undefined : Number(item.value);
  }

  async drawSerial(sequence: string, count = 1): Promise<number> {
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`drawSerial draws 1 or more numbers, not ${count}`);
    const result = await this.table.send<{ Attributes?: Record<string, unknown> }>(
      new UpdateCommand({
        TableName: this.table.name,
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

  async getSetting(name: string): Promise<{ value: Record<string, unknown>; revision: number } | undefined> {
    const item = await this.table.get(keys.setting(name));
    return item ? settingOf(item) : undefined;
  }

  async getSettings(
    names: readonly string[],
  ): Promise<Map<string, { value: Record<string, unknown>; revision: number }>> {
    const items = await this.table.batchGet([...new Set(names)].map((name) => keys.setting(name)));
    const found = new Map<string, { value: Record<string, unknown>; revision: number }>();
    for (const item of items) found.set(String(item.PK).slice('SETTING#'.length), settingOf(item));
    return found;
  }

  async deleteSetting(name: string): Promise<void> {
    await this.table.send(new DeleteCommand({ TableName: this.table.name, Key: keys.setting(name) }));
  }

  async putSetting(
    name: string,
    value: Record<string, unknown>,
    options: { expectedRevision?: number | null; ttlSeconds?: number } = {},
  ): Promise<boolean> {
    const { expectedRevision, ttlSeconds } = options;
    const expiresAt = ttlSeconds ? Math.floor(Date.now() / 1000) + ttlSeconds : undefined;
    return this.table.putRevision(
      { ...keys.setting(name), value, ...(expiresAt ? { expiresAt } : {}) },
      expectedRevision,
    );
  }
}

const settingOf = (item: Record<string, unknown>): { value: Record<string, unknown>; revision: number } => ({
  value: (item.value ?? {}) as Record<string, unknown>,
  revision: Number(item.revision ?? 0),
});
