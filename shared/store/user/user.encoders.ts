import { credentialItem, notificationItem, userItem } from '../dynamo-codec.js';
import { type EncodersOf, putNew } from '../dynamo-encoding.js';
import { keys } from '../keys.js';
import type { UserOp } from './user.port.js';

/** The write kinds of users, credentials and notifications as transaction items. */
export const userEncoders: EncodersOf<UserOp> = {
  create_user: (op, tx) => putNew(tx.tableName, userItem(op.user)),
  update_user: (op, tx) => {
    const sets = Object.entries(op.set).filter(([, value]) => value !== undefined);
    if (sets.length === 0) return { ConditionCheck: userExists(tx.tableName, op.userId) };
    return {
      Update: {
        TableName: tx.tableName,
        Key: keys.user(op.userId),
        UpdateExpression: `SET ${sets.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: Object.fromEntries(sets.map(([name], i) => [`#f${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(sets.map(([, value], i) => [`:f${i}`, value])),
      },
    };
  },
  check_user: (op, tx) => ({ ConditionCheck: userExists(tx.tableName, op.userId) }),
  put_credential: (op, tx) => ({
    Put: {
      TableName: tx.tableName,
      Item: credentialItem(op.credential),
      ...(op.expect === 'any'
        ? {}
        : op.expect === 'absent'
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : {
              ConditionExpression: '#hash = :hash',
              ExpressionAttributeNames: { '#hash': 'passwordHash' },
              ExpressionAttributeValues: { ':hash': op.expect.passwordHash },
            }),
    },
  }),
  put_notification: (op, tx) => ({
    Put: { TableName: tx.tableName, Item: notificationItem(op.notification) },
  }),
};

const userExists = (tableName: string, userId: string) => ({
  TableName: tableName,
  Key: keys.user(userId),
  ConditionExpression: 'attribute_exists(PK)',
});
