import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { TableIndexes } from '../../../shared/store/table.js';

/**
 * DynamoDB actions by what the store does with them. A `TransactWriteItems` needs no action of its own:
 * IAM checks each item inside it as its own action: Put `PutItem`, Update `UpdateItem`, Delete `DeleteItem`,
 * ConditionCheck `ConditionCheckItem` (the store's commits check a version or an absence that way).
 * `Scan` only for the layout upgrade of a table written by an older version (shared/store/layout-upgrade.ts).
 */
export const TableActions = {
  getItem: 'dynamodb:GetItem',
  batchGetItem: 'dynamodb:BatchGetItem',
  query: 'dynamodb:Query',
  putItem: 'dynamodb:PutItem',
  updateItem: 'dynamodb:UpdateItem',
  batchWriteItem: 'dynamodb:BatchWriteItem',
  deleteItem: 'dynamodb:DeleteItem',
  conditionCheckItem: 'dynamodb:ConditionCheckItem',
  scan: 'dynamodb:Scan',
} as const;
export type TableAction = (typeof TableActions)[keyof typeof TableActions];
export type TableIndexName = (typeof TableIndexes)[number]['indexName'];

/**
 * Grants a function exactly the table actions it uses, on the table and, for queries, on the named indexes
 * only (no `index/*` wildcard, no `dynamodb:*`).
 *
 * @example grantTableAccess(table, fn, { actions: [TableActions.getItem], indexes: ['GSI1'] })
 */
export function grantTableAccess(
  table: ITable,
  grantee: IGrantable,
  access: { actions: readonly TableAction[]; indexes?: readonly TableIndexName[] },
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: [...access.actions], resources: [table.tableArn] }),
  );
  const indexes = access.indexes ?? [];
  if (indexes.length === 0) return;
  const known = new Set<string>(TableIndexes.map((index) => index.indexName));
  for (const name of indexes) {
    if (!known.has(name)) throw new Error(`table index ${name} is not in shared/store/table.ts`);
  }
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [TableActions.query],
      resources: indexes.map((name) => `${table.tableArn}/index/${name}`),
    }),
  );
}
