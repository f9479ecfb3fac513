import { outboxItem } from '../dynamo-codec.js';
import type { EncodersOf } from '../dynamo-encoding.js';
import { keys } from '../keys.js';
import type { OutboxOp } from './outbox.port.js';

/** The write kinds of the outbox as transaction items. */
export const outboxEncoders: EncodersOf<OutboxOp> = {
  put_outbox: (op, tx) => ({ Put: { TableName: tx.tableName, Item: outboxItem(op.entry) } }),
  delete_outbox: (op, tx) => ({
    Delete: { TableName: tx.tableName, Key: keys.outbox(op.projectId, op.outboxId) },
  }),
};
