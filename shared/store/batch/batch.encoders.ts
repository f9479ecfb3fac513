import { BatchSchema } from '../../domain/batch.js';
import { type EncodersOf, putVersioned } from '../dynamo-encoding.js';
import { keys } from '../keys.js';
import type { BatchOp } from './batch.port.js';

/** The write kinds of batches as transaction items. */
export const batchEncoders: EncodersOf<BatchOp> = {
  put_batch: (op, tx) =>
    putVersioned(
      tx.tableName,
      {
        ...keys.batch(op.batch.batchId),
        GSI1PK: 'BATCHES',
        GSI1SK: `${op.batch.createdAt}#${op.batch.batchId}`,
        ...BatchSchema.parse(op.batch),
      },
      op.expectedVersion,
    ),
};
