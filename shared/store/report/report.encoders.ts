import type { EncodersOf } from '../dynamo-encoding.js';
import { keys } from '../keys.js';
import type { ReportOp } from './report.port.js';

/** The write kinds of report data as transaction items. */
export const reportEncoders: EncodersOf<ReportOp> = {
  update_stats: (op, tx) => {
    const adds = Object.entries(op.add).filter(([, n]) => n !== undefined && n !== 0);
    // nothing to add: no item (and no condition to fail)
    if (adds.length === 0) return undefined;
    return {
      Update: {
        TableName: tx.tableName,
        Key: keys.stats(op.dimension, op.month, op.id),
        UpdateExpression: `ADD ${adds.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(adds.map(([name], i) => [`#c${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(adds.map(([, n], i) => [`:c${i}`, n])),
      },
    };
  },
};
