import type { EncodersOf } from '../dynamo-encoding.js';
import { keys } from '../keys.js';
import type { ReferenceOp } from './reference.port.js';

/** The write kinds of reference data as transaction items. */
export const referenceEncoders: EncodersOf<ReferenceOp> = {
  take_serial: (op, tx) => ({
    Update: {
      TableName: tx.tableName,
      Key: keys.counter(op.sequence),
      UpdateExpression: 'SET #value = :next',
      ConditionExpression: op.expected === undefined ? 'attribute_not_exists(#value)' : '#value = :expected',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: {
        ':next': op.next,
        ...(op.expected === undefined ? {} : { ':expected': op.expected }),
      },
    },
  }),
  check_chain_head: (op, tx) => ({
    ConditionCheck: {
      TableName: tx.tableName,
      Key: keys.chainHead(op.chainId),
      ConditionExpression:
        op.version === undefined ? 'attribute_not_exists(#version)' : '#version = :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ...(op.version === undefined ? {} : { ExpressionAttributeValues: { ':version': op.version } }),
    },
  }),
};
