import { itemKey, type ProjectStep, ProjectStepSchema } from '../../domain/project.js';
import type { ProjectChange } from '../../domain/transition.js';
import type { WorkSummary } from '../../domain/work-summary.js';
import { type ExpressionParts, equalsClause } from '../expression-parts.js';
import { itemIndexKeys, keys, statusKey, workKeys } from '../keys.js';

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

/** SET every field of the new item, REMOVE optional fields it no longer has; conditional on version and status. */
export function stepUpdate(tableName: string, before: ProjectStep, after: ProjectStep) {
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
    sets.push(equalsClause({ names, values }, field, value));
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

/** SET, ADD and REMOVE the project's fields as the change says, its index keys with them; under `change.expect`. */
export function projectUpdate(
  tableName: string,
  projectId: string,
  at: string,
  change: ProjectChange,
  summary: {
    work?: WorkSummary;
    touch?: false;
    expectWorkSeq?: number;
    addTokenSeq?: true;
    expectTokenSeq?: number;
  } = {},
) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const adds: string[] = [];
  const parts: ExpressionParts = { names, values };
  const setField = (field: string, value: unknown) => sets.push(equalsClause(parts, field, value));
  if (summary.touch !== false) setField('updatedAt', at);
  if (summary.work) {
    // the summary as of this change, and the count that tells a later reader whether it is still current
    setField('work', summary.work);
    names['#workSeq'] = 'workSeq';
    values[':workSeqStep'] = 1;
    adds.push('#workSeq :workSeqStep');
  }
  if (summary.addTokenSeq) {
    // a callback token stored: a transition that read the project's tokens before no longer holds
    names['#tokenSeq'] = 'tokenSeq';
    values[':tokenSeqStep'] = 1;
    adds.push('#tokenSeq :tokenSeqStep');
  }
  const removes = new Set<string>(change.remove ?? []);
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
  if (expect.status) conditions.push(equalsClause(parts, 'status', expect.status, 'expectStatus'));
  if (expect.code) conditions.push(equalsClause(parts, 'code', expect.code, 'expectCode'));
  if (expect.agentId) conditions.push(equalsClause(parts, 'agentId', expect.agentId, 'expectAgent'));
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
  // no item of the project written since it was read (each such write adds one to workSeq)
  if (summary.expectWorkSeq !== undefined)
    conditions.push(countStill(parts, 'workSeq', ':expectWorkSeq', summary.expectWorkSeq));
  // no callback token of the project stored since it was read (each such store adds one to tokenSeq)
  if (summary.expectTokenSeq !== undefined)
    conditions.push(countStill(parts, 'tokenSeq', ':expectTokenSeq', summary.expectTokenSeq));
  const removeList = [...removes].map((f) => `#${f}`);
  return {
    TableName: tableName,
    Key: keys.project(projectId),
    UpdateExpression: (
      `${sets.length ? `SET ${sets.join(', ')}` : ''}` +
      `${adds.length ? ` ADD ${adds.join(', ')}` : ''}` +
      `${removeList.length ? ` REMOVE ${removeList.join(', ')}` : ''}`
    ).trim(),
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** The condition that a count of the project is still `expected` as read (0: never counted, so maybe absent). */
function countStill(parts: ExpressionParts, field: string, value: string, expected: number): string {
  parts.names[`#${field}`] = field;
  parts.values[value] = expected;
  return expected === 0
    ? `(attribute_not_exists(#${field}) OR #${field} = ${value})`
    : `#${field} = ${value}`;
}
