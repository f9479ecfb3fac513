import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SharedReadsStore } from '../../infra/local/shared-reads-store.js';
import { type LocalSystem, type LocalTable, openLocalTable } from '../../infra/local/system.js';
import type { DocumentSender } from '../../shared/store/dynamo-store.js';
import { projectRegistration } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

describe("the local runtime's store: overlapping reads of a project share one Query", () => {
  let system: LocalSystem;
  let table: LocalTable;
  let projectId: string;
  let queries = 0;
  let gets = 0;
  let store: SharedReadsStore;
  let tableName = '';
  let counting: DocumentSender['send'] = () => Promise.reject(new Error('not ready'));

  beforeAll(async () => {
    tableName = `shared-reads-${process.pid}-${Date.now()}`;
    system = await startTestSystem({ tableName });
    const api = new ApiClient(system);
    projectId = (await api.post('/projects', 'agent-wang', projectRegistration())).body.projectId;
    await system.engine.settled();
    table = await openLocalTable({ endpoint: inject('dynamoEndpoint'), tableName });
    counting = (command) => {
      if (command instanceof QueryCommand) queries += 1;
      if (command instanceof GetCommand) gets += 1;
      return table.doc.send(command as QueryCommand);
    };
    store = new SharedReadsStore({ send: (command) => counting(command) }, tableName);
  });
  afterAll(async () => {
    await system?.stop();
    table?.close();
  });

  /** A registration's transaction through this store: a copy of the project under a new id, with its outbox entry. */
  async function registerCopy(suffix: string) {
    const seen = await store.loadProject(projectId);
    if (!seen) throw new Error('no project');
    const id = `${projectId}-${suffix}`;
    const at = new Date().toISOString();
    const entry = {
      projectId: id,
      outboxId: `${id}-start`,
      createdAt: at,
      retryAt: at,
      attempts: 0,
      sends: [],
    };
    await store.commit([
      { op: 'create_project', project: { ...seen.project, projectId: id } },
      ...seen.assignments.map((a) => ({
        op: 'put_assignment' as const,
        assignment: { ...a, projectId: id },
      })),
      { op: 'put_outbox', entry },
    ]);
    return { id, entry };
  }

  it('answers reads that overlap with one Query, each caller getting its own copy', async () => {
    // Prepare
    queries = 0;

    // Act
    const [a, b, c] = await Promise.all([
      store.loadProject(projectId),
      store.loadProject(projectId),
      store.loadProject(projectId),
    ]);

    // Assess
    expect(queries).toBe(1);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(b).not.toBe(a);
    expect(b?.tokens).not.toBe(a?.tokens);
  });

  it('never lets a read asked after a write completed join a read that began before it', async () => {
    // Prepare: a read under way
    queries = 0;
    const earlier = store.loadProject(projectId);

    // Act: a write completes, then a read is asked
    await store.commit([
      {
        op: 'put_token',
        projectId,
        itemKey: '40',
        kind: 'gate',
        ref: { token: 'token-written-meanwhile', execution: 'an-execution' },
      },
    ]);
    const later = await store.loadProject(projectId);
    await earlier;

    // Assess
    expect(queries).toBe(2);
    expect(later?.tokens.get('40')?.gate?.token).toBe('token-written-meanwhile');
  });

  it('answers the first read of a project it just registered from what the registration wrote, as a Query would', async () => {
    // Prepare: a registration's transaction through this store (a copy of the project under a new id)
    const { id, entry } = await registerCopy('copy');
    queries = 0;

    // Act: the first reads, then a read after a write to the project
    const [first, again] = await Promise.all([store.loadProject(id), store.loadProject(id)]);
    const queriedBefore = queries;
    const read = await new SharedReadsStore(table.doc, tableName).loadProject(id);
    await store.deleteOutbox(id, entry.outboxId);
    queries = 0;
    const afterWrite = await store.loadProject(id);

    // Assess
    expect(queriedBefore).toBe(0);
    expect(first).toEqual(read);
    expect(again).toEqual(read);
    expect(again).not.toBe(first);
    expect(first?.outbox).toEqual([entry]);
    expect(queries).toBe(1);
    expect(afterWrite?.outbox).toEqual([]);
  });

  it('forgets a project just registered once its outbox entries are deleted together (the sweep deletes them so)', async () => {
    // Prepare: a second copy registered through this store, read once from what it wrote
    const { id, entry } = await registerCopy('copy-2');
    const first = await store.loadProject(id);

    // Act
    await store.deleteOutboxes([{ projectId: id, outboxId: entry.outboxId }]);
    const afterDelete = await store.loadProject(id);

    // Assess
    expect(first?.outbox).toEqual([entry]);
    expect(afterDelete?.outbox).toEqual([]);
  });

  it('serves a user read to the requests of the next second, and reads again once the user is changed', async () => {
    // Prepare
    await store.getUser('officer-env');
    gets = 0;

    // Act
    const cached = await store.getUser('officer-env');
    await store.commit([{ op: 'update_user', userId: 'officer-env', set: { disabled: true } }]);
    const afterDisabling = await store.getUser('officer-env');
    await store.commit([{ op: 'update_user', userId: 'officer-env', set: { disabled: false } }]);

    // Assess
    expect(cached?.disabled).not.toBe(true);
    expect(afterDisabling?.disabled).toBe(true);
    expect(gets).toBe(1);
  });

  it('answers user reads that overlap with one GetItem, each caller getting its own copy', async () => {
    // Prepare: a store that has read no user yet
    const fresh = new SharedReadsStore({ send: (command) => counting(command) }, tableName);
    gets = 0;

    // Act: four requests of the same user at once
    const [a, b, c, d] = await Promise.all([
      fresh.getUser('officer-drc'),
      fresh.getUser('officer-drc'),
      fresh.getUser('officer-drc'),
      fresh.getUser('officer-drc'),
    ]);

    // Assess
    expect(gets).toBe(1);
    expect(a?.userId).toBe('officer-drc');
    for (const other of [b, c, d]) {
      expect(other).toEqual(a);
      expect(other).not.toBe(a);
    }
  });

  /**
   * A store whose first read of officer-drc, once DynamoDB has answered it, waits until the test calls `answer`
   * (`read` resolves when DynamoDB has answered).
   */
  function holdingUserRead() {
    let answer = () => {};
    const held = new Promise<void>((resolve) => {
      answer = resolve;
    });
    let readDone = () => {};
    const read = new Promise<void>((resolve) => {
      readDone = resolve;
    });
    let holdNext = true;
    const holding = new SharedReadsStore(
      {
        send: async (command) => {
          const result = await table.doc.send(command as GetCommand);
          if (holdNext && command instanceof GetCommand && command.input.Key?.PK === 'USER#officer-drc') {
            holdNext = false;
            readDone();
            await held;
          }
          return result;
        },
      },
      tableName,
    );
    return { holding, read, answer };
  }

  it('never lets a user read asked after a write to the user completed join a read that began before it', async () => {
    // Prepare: a user read under way, held once DynamoDB has answered it
    const { holding, read, answer } = holdingUserRead();
    const earlier = holding.getUser('officer-drc');
    await read;

    // Act: the user is disabled, then read again while the first read is still under way
    await holding.commit([{ op: 'update_user', userId: 'officer-drc', set: { disabled: true } }]);
    const later = await holding.getUser('officer-drc');
    answer();
    const before = await earlier;
    await holding.commit([{ op: 'update_user', userId: 'officer-drc', set: { disabled: false } }]);

    // Assess
    expect(before?.disabled).not.toBe(true);
    expect(later?.disabled).toBe(true);
  });

  it('does not keep a user read that a write overtook', async () => {
    // Prepare: a store whose user read, once DynamoDB has answered it, waits until the test lets it through
    const { holding, read, answer } = holdingUserRead();
    const earlier = holding.getUser('officer-drc');
    await read;

    // Act: the user is disabled while the read is under way; the read then answers with what it saw before
    await holding.commit([{ op: 'update_user', userId: 'officer-drc', set: { disabled: true } }]);
    answer();
    const before = await earlier;
    const later = await holding.getUser('officer-drc');
    await holding.commit([{ op: 'update_user', userId: 'officer-drc', set: { disabled: false } }]);

    // Assess
    expect(before?.disabled).not.toBe(true);
    expect(later?.disabled).toBe(true);
  });
});
