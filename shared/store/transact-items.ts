import { batchEncoders } from './batch/batch.encoders.js';
import { complaintEncoders } from './complaint/complaint.encoders.js';
import type { EncodeContext, EncodersOf, OpEncoder, TransactItem } from './dynamo-encoding.js';
import { meetingEncoders } from './meeting/meeting.encoders.js';
import { outboxEncoders } from './outbox/outbox.encoders.js';
import { projectEncoders } from './project/project.encoders.js';
import { referenceEncoders } from './reference/reference.encoders.js';
import { reportEncoders } from './report/report.encoders.js';
import type { StoreOp } from './store.port.js';
import { userEncoders } from './user/user.encoders.js';

/** DynamoDB takes at most 100 items in one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

/** Each write kind → its encoder, beside its aggregate's adapter (the compiler holds this to every kind of `StoreOp`). */
const ENCODERS: EncodersOf<StoreOp> = {
  ...projectEncoders,
  ...referenceEncoders,
  ...outboxEncoders,
  ...meetingEncoders,
  ...batchEncoders,
  ...complaintEncoders,
  ...reportEncoders,
  ...userEncoders,
};

/**
 * The transaction items of a list of operations, in their order (grouped ones after the others), and which
 * operations each item carries.
 */
export function toTransactItems(
  tableName: string,
  ops: readonly StoreOp[],
): { items: TransactItem[]; opsOf: StoreOp[][] } {
  const items: TransactItem[] = [];
  const opsOf: StoreOp[][] = [];
  const groups = new Map<string, { ops: StoreOp[]; encode: (ops: StoreOp[]) => TransactItem }>();
  const buckets = new Map<string, { index: number; bytes: number }>();
  const tx: EncodeContext = {
    tableName,
    ops,
    bucket(series, size, limit) {
      const filled = buckets.get(series);
      const next =
        filled === undefined
          ? { index: 0, bytes: size }
          : filled.bytes + size > limit
            ? { index: filled.index + 1, bytes: size }
            : { index: filled.index, bytes: filled.bytes + size };
      buckets.set(series, next);
      return next.index;
    },
    group(key, op, encode) {
      const group = groups.get(key);
      if (group) group.ops.push(op);
      else groups.set(key, { ops: [op], encode });
    },
  };
  for (const op of ops) {
    const encode = ENCODERS[op.op] as OpEncoder<StoreOp>;
    const item = encode(op, tx);
    if (item === undefined) continue;
    items.push(item);
    opsOf.push([op]);
  }
  for (const group of groups.values()) {
    items.push(group.encode(group.ops));
    opsOf.push(group.ops);
  }
  if (items.length > MAX_TRANSACTION_ITEMS) {
    throw new Error(
      `a transaction of ${items.length} items exceeds DynamoDB's ${MAX_TRANSACTION_ITEMS}; the chain validation should have prevented it`,
    );
  }
  return { items, opsOf };
}
