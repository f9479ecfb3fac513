import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import { type LocalTable, openLocalTable } from '../../infra/local/system.js';
import { agentWork } from '../../shared/app/work.js';
import type { Principal } from '../../shared/domain/principal.js';
import { type DocumentSender, DynamoDaibanStore } from '../../shared/store/dynamo-store.js';
import { allSteps, driveProject } from '../support/drive.js';
import { projectRegistration } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

const ORIGIN = 'http://localhost';

/**
 * The agent's workbench one page of projects at a time: GET /me/work follows a signed cursor, each page reads the
 * same few DynamoDB requests however many projects the agent has, and the page shows what is due compactly.
 */
describe('the agent workbench, page by page', () => {
  let system: Awaited<ReturnType<typeof startTestSystem>>;
  let api: ApiClient;
  let table: LocalTable;
  const projectIds: string[] = [];
  const agent: Principal = { userId: 'agent-zhao', role: 'agent', name: '赵代办' };
  /** The use cases' context over a store that lists the DynamoDB requests it sends (`sent`, by command). */
  const countingContext = () => {
    const sent: string[] = [];
    const counting: DocumentSender = {
      send: (command) => {
        sent.push(command.constructor.name);
        return table.doc.send(command as never);
      },
    };
    return { ctx: { ...system.ctx, store: new DynamoDaibanStore(counting, system.tableName) }, sent };
  };

  beforeAll(async () => {
    system = await startTestSystem();
    api = new ApiClient(system);
    await api.call('POST', '/admin/users', 'admin', {
      userId: 'agent-zhao',
      name: '赵代办',
      role: 'agent',
      password: 'zhao-agent-password-1',
    });
    // seven projects of agent-zhao, each with its first steps due from the agent
    for (let i = 0; i < 7; i += 1) {
      const created = await api.post(
        '/projects',
        'agent-zhao',
        projectRegistration({ name: `赵的项目${i + 1}`, agentId: 'agent-zhao' }),
      );
      expect(created.status).toBe(201);
      projectIds.push(created.body.projectId as string);
    }
    await system.engine.settled();
    // one of them further on: step 1 in review (a department holds it)
    await driveProject(system, api, projectIds[0] ?? '', {
      stop: (v) => allSteps(v).some((s) => s.stepId === '1' && s.status === 'in_review'),
    });
    table = await openLocalTable({ endpoint: inject('dynamoEndpoint'), tableName: system.tableName });
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
    table?.close();
  });

  const due = (work: { todo: Array<{ projectId: string; stepId: string; kind: string }> }) =>
    work.todo.map((i) => `${i.projectId}:${i.stepId}:${i.kind}`);

  it('pages through every project with a signed cursor; together the pages hold what one long page holds', async () => {
    // Act
    const whole = await api.get('/me/work?limit=50', 'agent-zhao');
    const pages = [await api.get('/me/work?limit=3', 'agent-zhao')];
    while (pages.at(-1)?.body.nextCursor) {
      const cursor = encodeURIComponent(pages.at(-1)?.body.nextCursor);
      pages.push(await api.get(`/me/work?limit=3&cursor=${cursor}`, 'agent-zhao'));
    }
    const forged = await api.get('/me/work?cursor=e30', 'agent-zhao');
    const another = await api.get(
      `/me/work?agent=agent-wang&cursor=${encodeURIComponent(pages[0]?.body.nextCursor)}`,
      'leader-zhang',
    );

    // Assess
    expect(whole.status).toBe(200);
    expect(whole.body.nextCursor).toBeUndefined();
    expect(whole.body.workload.projects).toBe(7);
    expect(pages.map((p) => [p.status, p.body.workload.projects])).toEqual([
      [200, 3],
      [200, 3],
      [200, 1],
    ]);
    expect(pages.flatMap((p) => due(p.body)).sort()).toEqual(due(whole.body).sort());
    // each project waits on its agent for step 1, but the one whose step 1 a department holds
    expect(new Set(whole.body.todo.map((i: { projectId: string }) => i.projectId))).toEqual(
      new Set(projectIds.slice(1)),
    );
    expect(
      whole.body.waiting.map((w: { projectId: string; stepId: string }) => [w.projectId, w.stepId]),
    ).toEqual([[projectIds[0], '1']]);
    expect(forged.status).toBe(400);
    expect(forged.body.error.message).toContain('cursor');
    expect(another.status).toBe(400);
  });

  it('reads a page with the same few DynamoDB requests whether it covers 2 projects or 7', async () => {
    // Prepare: the application's use case over a store that counts what it sends
    const { ctx, sent } = countingContext();
    await agentWork(ctx, agent, 'agent-zhao', { limit: 7 }); // the chain read once, as every process caches it

    // Act
    sent.length = 0;
    const small = await agentWork(ctx, agent, 'agent-zhao', { limit: 2 });
    const smallCalls = sent.splice(0);
    const large = await agentWork(ctx, agent, 'agent-zhao', { limit: 7 });
    const largeCalls = sent.splice(0);

    // Assess: one Query of the agent's index page: each row carries what the workbench shows of its project
    expect(small.workload.projects).toBe(2);
    expect(large.workload.projects).toBe(7);
    expect(smallCalls).toEqual(['QueryCommand']);
    expect(largeCalls).toEqual(['QueryCommand']);
  });

  it("answers the same from projects without a current summary (an older release's, or one a concurrent change outdated), reading their items", async () => {
    // Prepare: the answer from the summaries, then rows as the previous release wrote them (no summary) and one
    // whose summary another transaction outdated (its count moved on without it)
    const { ctx, sent } = countingContext();
    const fromSummaries = await agentWork(ctx, agent, 'agent-zhao', { limit: 7 });
    const projectKey = (projectId: string) => ({ PK: `PROJECT#${projectId}`, SK: 'PROJECT' });
    for (const projectId of projectIds.slice(0, 3)) {
      await table.doc.send(
        new UpdateCommand({
          TableName: system.tableName,
          Key: projectKey(projectId),
          UpdateExpression: 'REMOVE #work, #workSeq',
          ExpressionAttributeNames: { '#work': 'work', '#workSeq': 'workSeq' },
        }),
      );
    }
    await table.doc.send(
      new UpdateCommand({
        TableName: system.tableName,
        Key: projectKey(projectIds[4] ?? ''),
        UpdateExpression: 'ADD #workSeq :one',
        ExpressionAttributeNames: { '#workSeq': 'workSeq' },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );

    // Act
    sent.length = 0;
    const fromItems = await agentWork(ctx, agent, 'agent-zhao', { limit: 7 });

    // Assess: the same answer, the items of those four projects read in one batch
    expect(fromItems).toEqual(fromSummaries);
    expect(new Set(fromSummaries.todo.map((i) => i.projectId)).size).toBe(6);
    expect(fromSummaries.waiting.length).toBe(1);
    expect(sent).toEqual(['QueryCommand', 'BatchGetCommand']);
  });

  it('shows the first page compactly, one form per item folded, nothing ticked, and a way to the next page', async () => {
    // Prepare
    const signedIn = await system.app.request('/sign-in', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        userId: 'agent-zhao',
        password: 'zhao-agent-password-1',
        next: '',
      }).toString(),
    });
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const get = async (path: string) => (await system.app.request(path, { headers: { cookie } })).text();

    // Act
    const first = await get('/app/work?limit=3');
    const next = /<a href="([^"]+)" rel="next">下一页<\/a>/.exec(first)?.[1]?.replace(/&amp;/g, '&');
    const second = next ? await get(next) : '';
    const handovers = await get('/app/work?handovers=1');

    // Assess
    expect(DEMO_PASSWORD).not.toBe('zhao-agent-password-1');
    expect(next).toMatch(/^\/app\/work\?limit=3&cursor=/);
    const items = first.match(/<li class="todo"/g) ?? [];
    expect(items.length).toBeGreaterThan(0);
    expect((first.match(/<details name="todo-form">/g) ?? []).length).toBe(items.length);
    expect(first).not.toMatch(/<details name="todo-form" open/);
    expect(first).not.toMatch(/<input[^>]*type="checkbox"[^>]*checked/);
    expect(second).toContain('以下为后续一页');
    expect(second).toContain('第一页');
    expect(handovers).toContain('本页项目暂无交接');
  });
});
