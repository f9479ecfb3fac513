import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { BatchSchema } from '../domain/batch.js';
import { ComplaintSchema } from '../domain/complaint.js';
import { MeetingSchema } from '../domain/meeting.js';
import { itemKey, type ProjectStep, ProjectStepSchema } from '../domain/project.js';
import type { ProjectChange } from '../domain/transition.js';
import {
  assignmentItem,
  credentialItem,
  documentItem,
  eventItem,
  notificationItem,
  outboxItem,
  projectItem,
  stepItem,
  TOKEN_FIELDS,
  userItem,
} from './dynamo-codec.js';
import { complaintIndexKeys, itemIndexKeys, keys, statusKey, workKeys } from './keys.js';
import type { StoreOp } from './store.port.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB takes at most 100 items in one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;

/** Optional step fields a change may clear, plus the index keys derived from status. */
const STEP_OPTIONAL_FIELDS = [
  ...Object.entries(ProjectStepSchema.shape)
    .filter(([, schema]) => schema.safeParse(undefined).success)
    .map(([name]) => name),
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'WorkPK',
  'WorkSK',
];
const STEP_KEY_FIELDS = new Set(['projectId', 'stepId', 'partId']);

/** The transaction items of a list of operations, and which operations each item carries. */
export function toTransactItems(
  tableName: string,
  ops: readonly StoreOp[],
): { items: TransactItem[]; opsOf: StoreOp[][] } {
  const items: TransactItem[] = [];
  const opsOf: StoreOp[][] = [];
  const tokenOps = new Map<string, StoreOp[]>();
  const updated = new Set(
    ops.flatMap((op) =>
      op.op === 'update_item'
        ? [`${op.before.projectId}#${itemKey(op.before)}`]
        : op.op === 'put_item'
          ? [`${op.item.projectId}#${itemKey(op.item)}`]
          : [],
    ),
  );
  for (const op of ops) {
    switch (op.op) {
      case 'put_token':
      case 'check_token': {
        // One item per token record: its puts and checks are merged below.
        const key = `${op.projectId}#${op.itemKey}`;
        tokenOps.set(key, [...(tokenOps.get(key) ?? []), op]);
        continue;
      }
      case 'check_item':
        // A check on an item the same transaction writes is implied by the write's own condition.
        if (updated.has(`${op.item.projectId}#${itemKey(op.item)}`)) continue;
        items.push({
          ConditionCheck: op.unwritten
            ? {
                TableName: tableName,
                Key: keys.item(op.item.projectId, itemKey(op.item)),
                ConditionExpression: 'attribute_not_exists(PK)',
              }
            : versionCondition(tableName, op.item),
        });
        break;
      case 'create_project':
        items.push({
          Put: {
            TableName: tableName,
            Item: projectItem(op.project),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
        break;
      case 'update_project':
        items.push({ Update: projectUpdate(tableName, op.projectId, op.at, op.change) });
        break;
      case 'put_item':
        items.push({
          Put: {
            TableName: tableName,
            Item: stepItem(op.item),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
        break;
      case 'update_item':
        items.push({ Update: stepUpdate(tableName, op.before, op.after) });
        break;
      case 'put_event':
        items.push({
          Put: {
            TableName: tableName,
            Item: eventItem(op.event),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
        break;
      case 'put_assignment':
        items.push({ Put: { TableName: tableName, Item: assignmentItem(op.assignment) } });
        break;
      case 'claim_code':
        items.push({
          Put: {
            TableName: tableName,
            Item: { ...keys.code(op.code), code: op.code, projectId: op.projectId },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
        break;
      case 'take_serial':
        items.push({
          Update: {
            TableName: tableName,
            Key: keys.counter(op.sequence),
            UpdateExpression: 'SET #value = :next',
            ConditionExpression:
              op.expected === undefined ? 'attribute_not_exists(#value)' : '#value = :expected',
            ExpressionAttributeNames: { '#value': 'value' },
            ExpressionAttributeValues: {
              ':next': op.next,
              ...(op.expected === undefined ? {} : { ':expected': op.expected }),
            },
          },
        });
        break;
      case 'put_outbox':
        items.push({ Put: { TableName: tableName, Item: outboxItem(op.entry) } });
        break;
      case 'delete_outbox':
        items.push({ Delete: { TableName: tableName, Key: keys.outbox(op.projectId, op.outboxId) } });
        break;
      case 'put_document':
        items.push({
          Put: {
            TableName: tableName,
            Item: documentItem(op.document),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
        break;
      case 'put_meeting':
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              ...keys.meeting(op.meeting.meetingId),
              GSI1PK: 'MEETINGS',
              GSI1SK: `${op.meeting.createdAt}#${op.meeting.meetingId}`,
              ...MeetingSchema.parse(op.meeting),
            },
            ...(op.expectedVersion === null
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : {
                  ConditionExpression: '#version = :version',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':version': op.expectedVersion },
                }),
          },
        });
        break;
      case 'put_batch':
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              ...keys.batch(op.batch.batchId),
              GSI1PK: 'BATCHES',
              GSI1SK: `${op.batch.createdAt}#${op.batch.batchId}`,
              ...BatchSchema.parse(op.batch),
            },
            ...(op.expectedVersion === null
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : {
                  ConditionExpression: '#version = :version',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':version': op.expectedVersion },
                }),
          },
        });
        break;
      case 'put_complaint': {
        const complaint = ComplaintSchema.parse(op.complaint);
        const index = Object.fromEntries(
          Object.entries(complaintIndexKeys(complaint)).filter(([, v]) => v !== undefined),
        );
        items.push({
          Put: {
            TableName: tableName,
            Item: { ...keys.complaint(complaint.complaintId), ...index, ...complaint },
            ...(complaint.version === 1
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : {
                  ConditionExpression: '#version = :version',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':version': complaint.version - 1 },
                }),
          },
        });
        break;
      }
      case 'put_notification':
        items.push({ Put: { TableName: tableName, Item: notificationItem(op.notification) } });
        break;
      case 'update_stats': {
        const adds = Object.entries(op.add).filter(([, n]) => n !== undefined && n !== 0);
        if (adds.length === 0) continue;
        items.push({
          Update: {
            TableName: tableName,
            Key: keys.stats(op.dimension, op.month, op.id),
            UpdateExpression: `ADD ${adds.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(adds.map(([name], i) => [`#c${i}`, name])),
            ExpressionAttributeValues: Object.fromEntries(adds.map(([, n], i) => [`:c${i}`, n])),
          },
        });
        break;
      }
      case 'create_user':
        items.push({
          Put: {
            TableName: tableName,
            Item: userItem(op.user),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
        break;
      case 'update_user': {
        const sets = Object.entries(op.set).filter(([, value]) => value !== undefined);
        if (sets.length === 0) {
          items.push({ ConditionCheck: userExists(tableName, op.userId) });
          break;
        }
        items.push({
          Update: {
            TableName: tableName,
            Key: keys.user(op.userId),
            UpdateExpression: `SET ${sets.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeNames: Object.fromEntries(sets.map(([name], i) => [`#f${i}`, name])),
            ExpressionAttributeValues: Object.fromEntries(sets.map(([, value], i) => [`:f${i}`, value])),
          },
        });
        break;
      }
      case 'check_user':
        items.push({ ConditionCheck: userExists(tableName, op.userId) });
        break;
      case 'put_credential':
        items.push({
          Put: {
            TableName: tableName,
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
        });
        break;
    }
    opsOf.push([op]);
  }
  for (const group of tokenOps.values()) {
    items.push(tokenItem(tableName, group));
    opsOf.push(group);
  }
  if (items.length > MAX_TRANSACTION_ITEMS) {
    throw new Error(
      `a transaction of ${items.length} items exceeds DynamoDB's ${MAX_TRANSACTION_ITEMS}; the chain validation should have prevented it`,
    );
  }
  return { items, opsOf };
}

const userExists = (tableName: string, userId: string) => ({
  TableName: tableName,
  Key: keys.user(userId),
  ConditionExpression: 'attribute_exists(PK)',
});

function versionCondition(tableName: string, item: ProjectStep) {
  return {
    TableName: tableName,
    Key: keys.item(item.projectId, itemKey(item)),
    ConditionExpression: '#version = :version',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':version': item.version },
  };
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

/** SET every field of the new item, REMOVE optional fields it no longer has; conditional on version and status. */
function stepUpdate(tableName: string, before: ProjectStep, after: ProjectStep) {
  const next = { ...ProjectStepSchema.parse(after), ...itemIndexKeys(after), version: before.version + 1 };
  const names: Record<string, string> = { '#expectedVersion': 'version', '#expectedStatus': 'status' };
  const values: Record<string, unknown> = {
    ':expectedVersion': before.version,
    ':expectedStatus': before.status,
  };
  const sets: string[] = [];
  const removes: string[] = [];
  for (const [field, value] of Object.entries(next)) {
    if (STEP_KEY_FIELDS.has(field) || value === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  for (const field of STEP_OPTIONAL_FIELDS) {
    if (STEP_KEY_FIELDS.has(field) || (next as Record<string, unknown>)[field] !== undefined) continue;
    names[`#${field}`] = field;
    removes.push(`#${field}`);
  }
  return {
    TableName: tableName,
    Key: keys.item(before.projectId, itemKey(before)),
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: '#expectedVersion = :expectedVersion AND #expectedStatus = :expectedStatus',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

function projectUpdate(tableName: string, projectId: string, at: string, change: ProjectChange) {
  const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':updatedAt': at };
  const sets = ['#updatedAt = :updatedAt'];
  const adds: string[] = [];
  const removes = new Set<string>(change.remove ?? []);
  const setField = (field: string, value: unknown) => {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  };
  for (const [field, value] of Object.entries(change.set ?? {})) {
    if (value !== undefined) setField(field, value);
  }
  const status = change.set?.status;
  if (status) setField('GSI1PK', statusKey(status, projectId));
  if (change.set?.agentId) setField('GSI2PK', `AGENT#${change.set.agentId}`);
  if (change.set?.leadDepartmentId && status !== 'completed' && status !== 'withdrawn') {
    setField('GSI4PK', `LEAD#${change.set.leadDepartmentId}`);
  }
  if (status === 'completed' || status === 'withdrawn') {
    removes.add('GSI4PK');
    removes.add('GSI4SK');
  }
  if (change.set?.renewAt && status !== 'completed' && status !== 'withdrawn') {
    const work = workKeys(change.set.renewAt, 'renew', projectId);
    setField('WorkPK', work.WorkPK);
    setField('WorkSK', work.WorkSK);
  } else if (removes.has('renewAt') || status === 'completed' || status === 'withdrawn') {
    removes.add('WorkPK');
    removes.add('WorkSK');
  }
  for (const [field, value] of Object.entries(change.add ?? {})) {
    if (!value) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    adds.push(`#${field} :${field}`);
  }
  for (const field of removes) names[`#${field}`] = field;
  const conditions = ['attribute_exists(PK)'];
  const expect = change.expect ?? {};
  if (expect.status) {
    names['#status'] = 'status';
    values[':expectStatus'] = expect.status;
    conditions.push('#status = :expectStatus');
  }
  if (expect.code) {
    names['#code'] = 'code';
    values[':expectCode'] = expect.code;
    conditions.push('#code = :expectCode');
  }
  if (expect.agentId) {
    names['#agentId'] = 'agentId';
    values[':expectAgent'] = expect.agentId;
    conditions.push('#agentId = :expectAgent');
  }
  if (expect.executionName !== undefined) {
    names['#execution'] = 'execution';
    if (expect.executionName === null) {
      conditions.push('attribute_not_exists(#execution)');
    } else {
      names['#executionName'] = 'name';
      values[':expectExecution'] = expect.executionName;
      conditions.push('#execution.#executionName = :expectExecution');
    }
  }
  const removeList = [...removes].map((f) => `#${f}`);
  return {
    TableName: tableName,
    Key: keys.project(projectId),
    UpdateExpression:
      `SET ${sets.join(', ')}` +
      `${adds.length ? ` ADD ${adds.join(', ')}` : ''}` +
      `${removeList.length ? ` REMOVE ${removeList.join(', ')}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
