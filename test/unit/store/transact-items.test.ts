import { describe, expect, it } from 'vitest';
import { itemKey } from '../../../shared/domain/project.js';
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
});
