import { describe, expect, it } from 'vitest';
import { itemKey } from '../../../shared/domain/project.js';
import { EVENTS_ITEM_BYTES } from '../../../shared/store/project/project.encoders.js';
import type { StoreOp } from '../../../shared/store/store.port.js';
import { MAX_TRANSACTION_ITEMS, toTransactItems } from '../../../shared/store/transact-items.js';
import { twoStageChain } from '../../support/chain-fixtures.js';
import { FIXTURE_PROJECT_ID, fixtureItems } from '../../support/project-state.js';

const TABLE = 'table';
const [first, second] = fixtureItems(twoStageChain());
if (!first || !second) throw new Error('the fixture chain has two items at least');
const ref = { token: 'token-1', execution: 'execution-1' };

describe('a transaction as DynamoDB items (each write kind encoded beside its aggregate)', () => {
  it('writes the puts and checks of one token record as one item, after the other items, carrying both', () => {
    // Prepare
    const put: StoreOp = { op: 'put_token', projectId: FIXTURE_PROJECT_ID, itemKey: '1a', kind: 'task', ref };
    const check: StoreOp = {
      op: 'check_token',
      projectId: FIXTURE_PROJECT_ID,
      itemKey: '1a',
      kind: 'gate',
      token: undefined,
    };
    const claim: StoreOp = { op: 'claim_code', code: 'C-1', projectId: FIXTURE_PROJECT_ID };

    // Act
    const { items, opsOf } = toTransactItems(TABLE, [put, claim, check]);

    // Assert
    expect(items).toHaveLength(2);
    expect(opsOf).toEqual([[claim], [put, check]]);
    expect(items[1]?.Update?.UpdateExpression).toBe('SET #t0 = :t0, #e0 = :e0');
    expect(items[1]?.Update?.ConditionExpression).toBe('attribute_not_exists(#t1)');
  });

  it('adds one to the project’s tokenSeq with a token stored, and holds a transition to tokenSeq as read', () => {
    // Prepare
    const at = '2026-03-04T02:00:00.000Z';
    const stored: StoreOp = {
      op: 'update_project',
      projectId: FIXTURE_PROJECT_ID,
      at,
      change: {},
      touch: false,
      addTokenSeq: true,
    };
    const relying: StoreOp = {
      op: 'update_project',
      projectId: FIXTURE_PROJECT_ID,
      at,
      change: {},
      expectTokenSeq: 4,
    };
    const never: StoreOp = { ...relying, expectTokenSeq: 0 };

    // Act
    const [store] = toTransactItems(TABLE, [stored]).items;
    const [relies] = toTransactItems(TABLE, [relying]).items;
    const [first] = toTransactItems(TABLE, [never]).items;

    // Assert
    expect(store?.Update?.UpdateExpression).toBe('ADD #tokenSeq :tokenSeqStep');
    expect(store?.Update?.ExpressionAttributeValues).toMatchObject({ ':tokenSeqStep': 1 });
    expect(relies?.Update?.ConditionExpression).toBe('attribute_exists(PK) AND #tokenSeq = :expectTokenSeq');
    expect(relies?.Update?.ExpressionAttributeValues).toMatchObject({ ':expectTokenSeq': 4 });
    expect(first?.Update?.ConditionExpression).toContain(
      'attribute_not_exists(#tokenSeq) OR #tokenSeq = :expectTokenSeq',
    );
  });

  it('leaves out a check of an item the same transaction updates (the update holds its own condition)', () => {
    // Prepare
    const ops: StoreOp[] = [
      { op: 'check_item', item: first },
      { op: 'update_item', before: first, after: { ...first, status: 'ready' } },
      { op: 'check_item', item: second },
    ];

    // Act
    const { items, opsOf } = toTransactItems(TABLE, ops);

    // Assert
    expect(opsOf).toEqual([[ops[1]], [ops[2]]]);
    expect(items[1]?.ConditionCheck?.Key).toEqual({
      PK: `PROJECT#${FIXTURE_PROJECT_ID}`,
      SK: `STEP#${itemKey(second)}`,
    });
  });

  it('writes nothing for counters with nothing to add, so a failed condition still names the right operation', () => {
    // Prepare
    const nothing: StoreOp = {
      op: 'update_stats',
      dimension: 'department',
      id: 'NRP',
      month: '2026-03',
      add: {},
    };
    const user: StoreOp = { op: 'check_user', userId: 'agent-wang' };

    // Act
    const { items, opsOf } = toTransactItems(TABLE, [nothing, user]);

    // Assert
    expect(items).toEqual([
      {
        ConditionCheck: {
          TableName: TABLE,
          Key: { PK: 'USER#agent-wang', SK: 'USER' },
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
    ]);
    expect(opsOf).toEqual([[user]]);
  });

  it(`refuses more than ${MAX_TRANSACTION_ITEMS} items`, () => {
    // Prepare
    const ops: StoreOp[] = Array.from({ length: MAX_TRANSACTION_ITEMS + 1 }, (_, i) => ({
      op: 'check_user',
      userId: `user-${i}`,
    }));

    // Act
    const encoding = () => toTransactItems(TABLE, ops);

    // Assert
    expect(encoding).toThrow(/exceeds DynamoDB's 100/);
  });

  it("writes a project's events of one transaction as one item, or as several when they are large, each far below 400 KB", () => {
    // Prepare: eight rungs' events (a sweep item) and thirty large ones (a joint meeting's minutes, say)
    const event = (n: number, note: string): StoreOp => ({
      op: 'put_event',
      event: {
        projectId: FIXTURE_PROJECT_ID,
        eventId: `E${String(n).padStart(3, '0')}`,
        at: '2026-12-07T01:00:00.000Z',
        type: 'sla_escalated',
        actor: { userId: 'system', role: 'system', name: '系统' },
        data: { note },
      },
    });
    const rungs = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => event(n, '超时'));
    const large = Array.from({ length: 30 }, (_, n) => event(n, '意见'.repeat(2_500)));

    // Act
    const small = toTransactItems(TABLE, rungs);
    const split = toTransactItems(TABLE, large);

    // Assess: every event written once, in order; no item over EVENTS_ITEM_BYTES characters of events
    expect(small.items).toHaveLength(1);
    expect(small.opsOf[0]).toEqual(rungs);
    expect(split.items.length).toBeGreaterThan(1);
    expect(split.opsOf.flat()).toEqual(large);
    for (const item of split.items) {
      const events = item.Put?.Item?.events;
      expect(
        typeof events === 'string' ? events.length : JSON.stringify(item.Put?.Item).length,
      ).toBeLessThanOrEqual(EVENTS_ITEM_BYTES + 200);
    }
  });
});
