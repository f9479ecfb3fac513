import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { StoreOp } from './store.port.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** What an encoder knows of the transaction its operation is part of. */
export type EncodeContext = {
  tableName: string;
  /** every operation of the transaction (a check may be implied by a write of the same item) */
  ops: readonly StoreOp[];
  /**
   * Puts the operation in the group of one item (`key`): the operations of a group are written as one item, built
   * by `encode` once every operation is seen, after the items of the ungrouped operations.
   */
  group(key: string, op: StoreOp, encode: (ops: StoreOp[]) => TransactItem): void;
  /**
   * Which of a series' items a piece of `size` bytes goes in, filling each up to `limit` bytes before the next (the
   * first piece of an item goes in whatever its size): grouped items stay below DynamoDB's 400 KB.
   */
  bucket(series: string, size: number, limit: number): number;
};

/**
 * How one write kind becomes a transaction item, under the condition the kind names. Undefined: no item of its own
 * (nothing to write, implied by another operation, or grouped with others).
 */
export type OpEncoder<O extends StoreOp> = (op: O, tx: EncodeContext) => TransactItem | undefined;

/** One encoder for each kind of a union of operations. */
export type EncodersOf<O extends StoreOp> = { [K in O['op']]: OpEncoder<Extract<O, { op: K }>> };

/** A put of a new item: fails if the key is taken. */
export const putNew = (tableName: string, item: Record<string, unknown>): TransactItem => ({
  Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' },
});

/** A put of an item as it now is, conditional on the version read (null: a new item). */
export const putVersioned = (
  tableName: string,
  item: Record<string, unknown>,
  expectedVersion: number | null,
): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: item,
    ...(expectedVersion === null
      ? { ConditionExpression: 'attribute_not_exists(PK)' }
      : {
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': expectedVersion },
        }),
  },
});
