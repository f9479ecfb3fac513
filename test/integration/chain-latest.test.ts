import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.js';
import { ChainCatalog } from '../../shared/app/chain-catalog.js';
import { referenceChain } from '../../shared/domain/reference/industrial-chain.js';
import { projectRegistration } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

describe("a chain's latest version", () => {
  const t = {} as { system: Awaited<ReturnType<typeof startTestSystem>> };
  beforeAll(async () => {
    t.system = await startTestSystem();
  });
  afterAll(async () => {
    await t.system?.stop();
  });

  it('is the highest version stored, by whichever process, even when an older one is stored after it', async () => {
    // Prepare: this process has read the latest version already
    const { store } = t.system.ctx;
    const catalog = new ChainCatalog(store);
    const id = `versions-${Date.now()}`;
    await store.putChain({ ...referenceChain, id, version: 1 });
    const before = await catalog.latest(id);

    // Act: another process stores version 3, then version 2
    await store.putChain({ ...referenceChain, id, version: 3 });
    await store.putChain({ ...referenceChain, id, version: 2 });
    const after = await catalog.latest(id);

    // Assess
    expect(before.version).toBe(1);
    expect(after.version).toBe(3);
    expect(await store.getLatestChainVersion(id)).toBe(3);
    expect((await store.getChain(id, 2))?.version).toBe(2);
  });

  it('is found for a chain stored before its latest version was kept apart', async () => {
    // Prepare: a chain whose head item is missing, as in a table written by an earlier release
    const { store } = t.system.ctx;
    const id = `legacy-${Date.now()}`;
    await store.putChain({ ...referenceChain, id, version: 4 });
    const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoEndpoint') });
    try {
      await client.send(
        new DeleteItemCommand({
          TableName: t.system.tableName,
          Key: { PK: { S: `CHAIN#${id}` }, SK: { S: 'HEAD' } },
        }),
      );
    } finally {
      client.destroy();
    }

    // Act
    const latest = await new ChainCatalog(store).latest(id);

    // Assess
    expect(await store.getLatestChainVersion(id)).toBeUndefined();
    expect(latest.version).toBe(4);
  });

  it('is the one a registration goes on, when another process published it after this one last registered', async () => {
    // Prepare: this process has registered on version 1 (and knows it as the latest)
    const { ctx, engine } = t.system;
    const api = new ApiClient(t.system);
    const id = `registered-${Date.now()}`;
    const v1 = { ...referenceChain, id, version: 1 };
    await engine.deployChain(v1);
    await ctx.store.putChain(v1);
    const first = await api.post('/projects', 'agent-wang', projectRegistration({ chainId: id }));

    // Act: another process publishes version 2 (its machine, then the version); this process registers again
    const v2 = { ...v1, version: 2 };
    await engine.deployChain(v2);
    await ctx.store.putChain(v2);
    const second = await api.post('/projects', 'agent-wang', projectRegistration({ chainId: id }));
    await t.system.caughtUp();

    // Assess
    expect([first.status, second.status]).toEqual([201, 201]);
    expect((await ctx.store.getProject(first.body.projectId))?.chainVersion).toBe(1);
    expect((await ctx.store.getProject(second.body.projectId))?.chainVersion).toBe(2);
  });
});
