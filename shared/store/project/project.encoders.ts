import { itemKey, type ProjectEvent, type ProjectStep } from '../../domain/project.js';
import {
  assignmentItem,
  documentItem,
  eventsItem,
  projectItem,
  stepItem,
  TOKEN_FIELDS,
} from '../dynamo-codec.js';
import { type EncodeContext, type EncodersOf, putNew, type TransactItem } from '../dynamo-encoding.js';
import { keys } from '../keys.js';
import type { StoreOp } from '../store.port.js';
import type { ProjectOp } from './project.port.js';
import { projectUpdate, stepUpdate } from './project-updates.js';

/** The write kinds of a project's records as transaction items. */
export const projectEncoders: EncodersOf<ProjectOp> = {
  create_project: (op, tx) => putNew(tx.tableName, projectItem(op.project)),
  update_project: (op, tx) => ({ Update: projectUpdate(tx.tableName, op.projectId, op.at, op.change, op) }),
  put_item: (op, tx) => putNew(tx.tableName, stepItem(op.item)),
  update_item: (op, tx) => ({ Update: stepUpdate(tx.tableName, op.before, op.after) }),
  check_item: (op, tx) => {
    // A check on an item the same transaction writes is implied by the write's own condition.
    const id = itemId(op.item);
    const written = tx.ops.some(
      (other) =>
        (other.op === 'update_item' && itemId(other.before) === id) ||
        (other.op === 'put_item' && itemId(other.item) === id),
    );
    if (written) return undefined;
    return {
      ConditionCheck: op.unwritten
        ? {
            TableName: tx.tableName,
            Key: keys.item(op.item.projectId, itemKey(op.item)),
            ConditionExpression: 'attribute_not_exists(PK)',
          }
        : versionCondition(tx.tableName, op.item),
    };
  },
  // One item per token record: its puts and checks are merged.
  put_token: (op, tx) => groupToken(op, tx),
  check_token: (op, tx) => groupToken(op, tx),
  // The events of one project in one transaction, as one item (read back as as many events); several items when
  // they are many or large (each below EVENTS_ITEM_BYTES, far from DynamoDB's 400 KB).
  put_event: (op, tx) => {
    const series = `events ${op.event.projectId}`;
    const bucket = tx.bucket(series, JSON.stringify(op.event).length, EVENTS_ITEM_BYTES);
    tx.group(`${series}#${bucket}`, op, (group) =>
      putNew(
        tx.tableName,
        eventsItem(
          group.flatMap((o) => (o.op === 'put_event' ? [o.event] : [])) as [ProjectEvent, ...ProjectEvent[]],
        ),
      ),
    );
    return undefined;
  },
  put_assignment: (op, tx) => ({ Put: { TableName: tx.tableName, Item: assignmentItem(op.assignment) } }),
  claim_code: (op, tx) =>
    putNew(tx.tableName, { ...keys.code(op.code), code: op.code, projectId: op.projectId }),
  put_document: (op, tx) => putNew(tx.tableName, documentItem(op.document)),
};

/** How large the events written together in one item may grow, in JSON characters (at most 3 bytes each in UTF-8: below 192 KB, under DynamoDB's 400 KB item). */
export const EVENTS_ITEM_BYTES = 64_000;

const itemId = (item: ProjectStep): string => `${item.projectId}#${itemKey(item)}`;

function versionCondition(tableName: string, item: ProjectStep) {
  return {
    TableName: tableName,
    Key: keys.item(item.projectId, itemKey(item)),
    ConditionExpression: '#version = :version',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':version': item.version },
  };
}

type TokenOp = Extract<StoreOp, { op: 'put_token' | 'check_token' }>;

function groupToken(op: TokenOp, tx: EncodeContext): undefined {
  tx.group(`token ${op.projectId}#${op.itemKey}`, op, (group) => tokenItem(tx.tableName, group));
  return undefined;
}

/** Token puts and checks on one token record, as one item: the puts SET, the checks ANDed. */
function tokenItem(tableName: string, group: StoreOp[]): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const conditions: string[] = [];
  let key: Record<string, string> | undefined;
  for (const [i, op] of group.entries()) {
    if (op.op !== 'put_token' && op.op !== 'check_token') continue;
    key ??= keys.tokens(op.projectId, op.itemKey);
    const fields = TOKEN_FIELDS[op.kind];
    names[`#t${i}`] = fields.token;
    if (op.op === 'put_token') {
      names[`#e${i}`] = fields.execution;
      values[`:t${i}`] = op.ref.token;
      values[`:e${i}`] = op.ref.execution;
      sets.push(`#t${i} = :t${i}`, `#e${i} = :e${i}`);
    } else if (op.token === undefined) {
      conditions.push(`attribute_not_exists(#t${i})`);
    } else {
      values[`:c${i}`] = op.token;
      conditions.push(`#t${i} = :c${i}`);
    }
  }
  if (key === undefined) throw new Error('empty token group');
  const condition = conditions.length > 0 ? conditions.join(' AND ') : undefined;
  const withValues = Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {};
  if (sets.length === 0) {
    return {
      ConditionCheck: {
        TableName: tableName,
        Key: key,
        ConditionExpression: condition ?? 'attribute_exists(PK) OR attribute_not_exists(PK)',
        ExpressionAttributeNames: names,
        ...withValues,
      },
    };
  }
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: names,
      ...withValues,
      ...(condition ? { ConditionExpression: condition } : {}),
    },
  };
}
