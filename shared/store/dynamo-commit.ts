import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from './dynamo-encoding.js';
import { type DynamoTable, isCancelled } from './dynamo-table.js';
import { CommitConflictError, type StoreOp } from './store.port.js';
import { toTransactItems } from './transact-items.js';

/**
 * Writes every operation in one transaction, or none (`CommitConflictError` when a condition fails), and gives the
 * transaction's items as sent.
 */
export async function commitOps(table: DynamoTable, ops: StoreOp[]): Promise<readonly TransactItem[]> {
  if (ops.length === 0) return [];
  const { items, opsOf } = toTransactItems(table.name, ops);
  try {
    await table.send(new TransactWriteCommand({ TransactItems: items }));
    return items;
  } catch (error) {
    if (error instanceof TransactionCanceledException || isCancelled(error)) {
      const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
      const failed = reasons.flatMap((reason, i) =>
        reason.Code === 'ConditionalCheckFailed' ? (opsOf[i] ?? []) : [],
      );
      if (failed.length > 0) throw new CommitConflictError(failed);
    }
    throw error;
  }
}
