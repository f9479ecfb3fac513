import { DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalSystem, type LocalTable, openLocalTable } from '../../infra/local/system.js';
import type { DocumentSender } from '../../shared/store/dynamo-store.js';
import { DynamoDaibanStore } from '../../shared/store/dynamo-store.js';
import { keys } from '../../shared/store/keys.js';
import { upgradeLayout } from '../../shared/store/layout-upgrade.js';
import { projectRegistration } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

type Row = Record<string, unknown>;

describe("the data layout: a project's handovers sort inside its working set", () => {
  let system: LocalSystem & { tableName: string };
  let table: LocalTable;
  let api: ApiClient;
  const projectIds: string[] = [];

  const scanAll = async (): Promise<Row[]> => {
    const rows: Row[] = [];
    let startKey: Row | undefined;
    do {
      const page = (await table.doc.send(
        new ScanCommand({ TableName: system.tableName, ExclusiveStartKey: startKey }),
      )) as { Items?: Row[]; LastEvaluatedKey?: Row };
      rows.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return rows;
  };
  const handoverRows = async () => (await scanAll()).filter((r) => String(r.SK).includes('ASSIGNMENT#'));

  /** Writes the table back as Daiban wrote it before the handovers moved: `ASSIGNMENT#…`, no layout setting. */
  const backToLayoutOne = async () => {
    for (const row of await handoverRows()) {
      const { PK, SK, ...rest } = row;
      const legacy = String(SK).replace(/^PROJECT#/, '');
      await table.doc.send(
        new PutCommand({ TableName: system.tableName, Item: { PK, SK: legacy, ...rest } }),
      );
      if (legacy !== SK)
        await table.doc.send(new DeleteCommand({ TableName: system.tableName, Key: { PK, SK } }));
    }
    await table.doc.send(
      new DeleteCommand({ TableName: system.tableName, Key: keys.setting('data-layout') }),
    );
  };

  beforeAll(async () => {
    system = await startTestSystem();
    api = new ApiClient(system);
    for (const name of ['一号项目', '二号项目', '三号项目']) {
      const created = await api.post('/projects', 'agent-wang', projectRegistration({ name }));
      projectIds.push(created.body.projectId);
      await api.put(`/projects/${created.body.projectId}/agent`, 'leader-zhang', {
        agentId: 'agent-li',
        reason: '王代办调任重大项目专班',
      });
    }
    await system.engine.settled();
    table = await openLocalTable({ endpoint: inject('dynamoEndpoint'), tableName: system.tableName });
  });
  afterAll(async () => {
    await system?.stop();
    table?.close();
  });

  it('reads a project, its handovers included, with one Query', async () => {
    // Prepare
    let queries = 0;
    const counting: DocumentSender = {
      send: (command) => {
        if (command instanceof QueryCommand) queries += 1;
        return table.doc.send(command as QueryCommand);
      },
    };
    const store = new DynamoDaibanStore(counting, system.tableName);

    // Act
    const record = await store.loadProject(projectIds[0] ?? '');

    // Assess
    expect(queries).toBe(1);
    expect(record?.assignments.map((a) => [a.previousAgentId, a.agentId])).toEqual([
      [null, 'agent-wang'],
      ['agent-wang', 'agent-li'],
    ]);
  });

  it('records that a table it created holds the current layout, so it never scans it', async () => {
    // Act
    const setting = (await table.doc.send(
      new GetCommand({ TableName: system.tableName, Key: keys.setting('data-layout') }),
    )) as { Item?: { value?: unknown } };

    // Assess
    expect(setting.Item?.value).toEqual({ layout: 2 });
  });

  it('moves the handovers of a table written by the earlier version, and the progress page shows them again', async () => {
    // Prepare
    await backToLayoutOne();
    const hidden = await api.get(`/projects/${projectIds[1]}`, 'leader-zhang');

    // Act
    const reopened = await openLocalTable({
      endpoint: inject('dynamoEndpoint'),
      tableName: system.tableName,
    });
    reopened.close();
    const view = await api.get(`/projects/${projectIds[1]}`, 'leader-zhang');

    // Assess
    expect(hidden.body.assignments).toEqual([]);
    expect(view.body.assignments.map((a: { agentId: string }) => a.agentId)).toEqual([
      'agent-wang',
      'agent-li',
    ]);
    const rows = await handoverRows();
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => String(r.SK).startsWith('PROJECT#ASSIGNMENT#'))).toBe(true);
  });

  it('goes on where a pass cut short stopped, and moves each handover once', async () => {
    // Prepare
    await backToLayoutOne();

    // Act: passes of one scan page of five items each, until done
    const passes = [];
    for (let done = false; !done; ) {
      const pass = await upgradeLayout(table.doc, system.tableName, { pages: 1, pageSize: 5 });
      passes.push(pass);
      done = pass.done;
    }

    // Assess
    expect(passes.length).toBeGreaterThan(2);
    expect(passes.reduce((sum, p) => sum + p.moved, 0)).toBe(6);
    const rows = await handoverRows();
    expect(rows.map((r) => String(r.SK).startsWith('PROJECT#ASSIGNMENT#'))).toEqual(Array(6).fill(true));
    expect(await upgradeLayout(table.doc, system.tableName)).toEqual({ moved: 0, done: true });
  });
});
