import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.js';
import { type TableIndex, TableIndexes, TableKeys } from '../../shared/store/table.js';
import { driveProject } from '../support/drive.js';
import { scanTable } from '../support/faults.js';
import { projectRegistration } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

const INDEX_KEYS = TableIndexes.flatMap((index) => [index.partitionKey, index.sortKey]);

/** Every row of one index, as DynamoDB holds it. */
async function scanIndex(tableName: string, indexName: string): Promise<Record<string, unknown>[]> {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoEndpoint') });
  try {
    const rows: Record<string, unknown>[] = [];
    let startKey: Record<string, never> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: tableName, IndexName: indexName, ExclusiveStartKey: startKey }),
      );
      rows.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (startKey);
    return rows;
  } finally {
    client.destroy();
  }
}

describe('the indexes of a working table', () => {
  let system: Awaited<ReturnType<typeof startTestSystem>>;

  beforeAll(async () => {
    // a project in flight, its filing approved and three steps left in review with their departments: task tokens
    // wait on them, and the inboxes, the lead department's view and every project list have rows
    system = await startTestSystem();
    const api = new ApiClient(system);
    const created = await api.post('/projects', 'agent-wang', projectRegistration());
    await driveProject(system, api, created.body.projectId, { leave: ['6', '7', '8'] });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('keeps task and gate tokens on items no index is keyed on', async () => {
    // Act
    const items = await scanTable(system.tableName);

    // Assess
    const withTokens = items.filter((item) => 'taskToken' in item || 'gateToken' in item);
    expect(withTokens.length).toBeGreaterThan(0);
    for (const item of withTokens) {
      expect(String(item.SK)).toMatch(/^TOKEN#/);
      for (const key of INDEX_KEYS) expect(item).not.toHaveProperty(key);
    }
  });

  it.each(
    TableIndexes.filter((index) => index.projection === 'INCLUDE').map((index) => [index.indexName, index]),
  )('holds in %s only the keys and the attributes it projects', async (_name, index: TableIndex) => {
    // Act
    const rows = await scanIndex(system.tableName, index.indexName);

    // Assess: no project's attribute map, no step's history, no token: only what the lists read
    const allowed = new Set([
      TableKeys.partitionKey,
      TableKeys.sortKey,
      ...INDEX_KEYS,
      ...(index.nonKeyAttributes ?? []),
    ]);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row).filter((name) => !allowed.has(name))).toEqual([]);
    }
  });
});
