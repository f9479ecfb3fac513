import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalSystem, type LocalTable, openLocalTable } from '../../infra/local/system.js';
import type { ProjectEvent } from '../../shared/domain/project.js';
import type { Page } from '../../shared/store/page.js';
import { startTestSystem } from '../support/local-system.js';

const projectId = 'P-EVENT-ITEMS';
const event = (n: number): ProjectEvent => ({
  projectId,
  eventId: `E${String(n).padStart(2, '0')}`,
  at: `2026-12-26T01:00:${String(n).padStart(2, '0')}.000Z`,
  type: 'sla_escalated',
  stepId: '1',
  actor: { userId: 'system', role: 'system', name: '系统' },
  after: { escalationLevel: n },
});

describe('a project’s events written together in one transaction', () => {
  let system: LocalSystem;
  let table: LocalTable;
  let tableName = '';

  beforeAll(async () => {
    tableName = `event-items-${process.pid}-${Date.now()}`;
    system = await startTestSystem({ tableName });
    table = await openLocalTable({ endpoint: inject('dynamoEndpoint'), tableName });
    const { store } = system.ctx;
    // one event alone, five in one transaction (a sweep item climbing every rung at once), two more alone
    await store.commit([{ op: 'put_event', event: event(1) }]);
    await store.commit([2, 3, 4, 5, 6].map((n) => ({ op: 'put_event' as const, event: event(n) })));
    await store.commit([{ op: 'put_event', event: event(7) }]);
    await store.commit([{ op: 'put_event', event: event(8) }]);
  });
  afterAll(async () => {
    await system?.stop();
    table?.close();
  });

  it('are stored as one item, and read back one by one in the order they were written', async () => {
    // Act
    const raw = (await table.doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':prefix': 'EVENT#' },
      }),
    )) as { Items?: unknown[] };
    const all = await system.ctx.store.listEvents(projectId, { limit: 50 });

    // Assess
    expect(raw.Items).toHaveLength(4);
    expect(all.items.map((e) => e.eventId)).toEqual(['E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'E07', 'E08']);
    expect(all.items[2]).toEqual(event(3));
    expect(all.cursor).toBeUndefined();
  });

  it('are paged as if each were an item of its own: pages of the size asked for, a cursor inside the item', async () => {
    // Act
    const pages: Page<ProjectEvent>[] = [];
    let cursor: string | undefined;
    do {
      const page = await system.ctx.store.listEvents(projectId, { limit: 3, ...(cursor ? { cursor } : {}) });
      pages.push(page);
      cursor = page.cursor;
    } while (cursor);

    // Assess
    expect(pages.map((p) => p.items.map((e) => e.eventId))).toEqual([
      ['E01', 'E02', 'E03'],
      ['E04', 'E05', 'E06'],
      ['E07', 'E08'],
    ]);
  });
});
