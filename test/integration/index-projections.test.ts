import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.js';
import { ProjectRowSchema } from '../../shared/domain/list-rows.js';
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
  let projectId: string;

  beforeAll(async () => {
    // a project in flight, its filing approved and three steps left in review with their departments: task tokens
    // wait on them, and the inboxes, the lead department's view and every project list have rows
    system = await startTestSystem();
    const api = new ApiClient(system);
    const created = await api.post('/projects', 'agent-wang', projectRegistration());
    projectId = created.body.projectId;
    await driveProject(system, api, projectId, { leave: ['6', '7', '8'] });
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

  it('counts the tokens stored on the project row, and shows no one the store’s counts', async () => {
    // Act
    const row = (await scanTable(system.tableName)).find(
      (item) => item.PK === `PROJECT#${projectId}` && item.SK === 'PROJECT',
    );
    const view = await new ApiClient(system).get(`/projects/${projectId}`, 'agent-wang');

    // Assess
    expect(Number(row?.tokenSeq)).toBeGreaterThan(0);
    expect(Number(row?.workSeq)).toBeGreaterThan(0);
    expect(view.status).toBe(200);
    expect(view.body.project).not.toHaveProperty('tokenSeq');
    expect(view.body.project).not.toHaveProperty('workSeq');
  });
});

/** The table as versions before the INCLUDE projections made it: every index copying whole items. */
async function createTableWithAllProjections(tableName: string): Promise<void> {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoEndpoint') });
  const attributes = [TableKeys.partitionKey, TableKeys.sortKey, ...INDEX_KEYS];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: TableKeys.partitionKey, KeyType: 'HASH' },
          { AttributeName: TableKeys.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: TableIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: index.projection === 'KEYS_ONLY' ? 'KEYS_ONLY' : 'ALL' },
        })),
      }),
    );
  } finally {
    client.destroy();
  }
}

describe('a local table made by an older version, its indexes copying whole items', () => {
  let system: Awaited<ReturnType<typeof startTestSystem>>;
  let api: ApiClient;

  beforeAll(async () => {
    const tableName = `test-all-projections-${process.pid}-${Date.now()}`;
    await createTableWithAllProjections(tableName);
    system = await startTestSystem({ tableName });
    api = new ApiClient(system);
    const created = await api.post('/projects', 'agent-wang', projectRegistration());
    await driveProject(system, api, created.body.projectId, { leave: ['6', '7', '8'] });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('still answers every list with the rows its schema describes, and nothing more', async () => {
    // Act (each answer is held to its route's schema by the client)
    const projects = await api.get('/projects', 'leader-zhang');
    const mine = await api.get('/projects', 'agent-wang');
    const inbox = await api.get('/departments/ENV/inbox', 'leader-zhang');
    const stage = await api.get('/departments/DRC/stage-view', 'leader-zhang');

    // Assess: the rows hold the list row's fields only, though the index copied the whole project
    expect([projects.status, mine.status, inbox.status, stage.status]).toEqual([200, 200, 200, 200]);
    expect(projects.body.projects).toHaveLength(1);
    expect(Object.keys(projects.body.projects[0]).sort()).toEqual(Object.keys(ProjectRowSchema.shape).sort());
    expect(mine.body.projects).toEqual(projects.body.projects);
    expect(inbox.body.steps.map((s: { stepId: string }) => s.stepId)).toEqual(['7']);
    expect(stage.body.projects).toHaveLength(1);
  });
});
