import type { TransactItem } from '../../shared/store/dynamo-encoding.js';

type Body = {
  ConditionExpression?: string;
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, unknown>;
  ExpressionAttributeValues?: Record<string, unknown>;
  [field: string]: unknown;
};

/** A condition that holds whatever the item (it is still evaluated, as the real one was). */
const ALWAYS = 'attribute_exists(PK) OR attribute_not_exists(PK)';

/**
 * An item of a transaction as it was sent, its condition made one that always holds: the same key, attributes, index
 * keys and update expression, so that replaying it after the fact costs DynamoDB what the first write did (its
 * indexes kept up to date, the item read and written), but never fails on the versions the first write moved on.
 * Names and values only the condition used go (DynamoDB refuses unused ones).
 */
export function unconditioned(item: TransactItem): TransactItem {
  const [kind, value] = Object.entries(item)[0] ?? [];
  if (!kind || !value) return item;
  const body: Body = { ...(value as Body) };
  if (kind === 'ConditionCheck') body.ConditionExpression = ALWAYS;
  else delete body.ConditionExpression;
  const used = new Set(
    `${body.UpdateExpression ?? ''} ${body.ConditionExpression ?? ''}`.match(/[#:][A-Za-z0-9_]+/g) ?? [],
  );
  for (const field of ['ExpressionAttributeNames', 'ExpressionAttributeValues'] as const) {
    const entries = Object.entries(body[field] ?? {}).filter(([token]) => used.has(token));
    if (entries.length > 0) body[field] = Object.fromEntries(entries);
    else delete body[field];
  }
  return { [kind]: body } as TransactItem;
}
