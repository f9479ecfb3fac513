import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  ResourceNotFoundException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { type TableIndex, TableIndexes, TableKeys } from './table.js';

/** A global secondary index of the table as DynamoDB defines it (the CDK stack builds the same). */
export const indexDefinition = (index: TableIndex): GlobalSecondaryIndex => ({
  IndexName: index.indexName,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' },
    { AttributeName: index.sortKey, KeyType: 'RANGE' },
  ],
  Projection: {
    ProjectionType: index.projection,
    ...(index.nonKeyAttributes ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}),
  },
});

const attribute = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });

/**
 * Creates the single table (as the CDK stack does on AWS) unless it exists; a table made by an older version of
 * Daiban gets the indexes it lacks. An index it has keeps its projection (DynamoDB cannot change one in place): one
 * made with ALL copies more than the reads parse, which they ignore (see table.ts). Used by the local runtime and
 * tests.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'exists' | 'updated'> {
  let existing: string[] | undefined;
  try {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    existing = (described.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName ?? '');
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (existing) {
    const missing = TableIndexes.filter((index) => !existing.includes(index.indexName));
    for (const index of missing) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [attribute(index.partitionKey), attribute(index.sortKey)],
          GlobalSecondaryIndexUpdates: [{ Create: indexDefinition(index) }],
        }),
      );
    }
    return missing.length > 0 ? 'updated' : 'exists';
  }
  const attributeNames = new Set<string>([TableKeys.partitionKey, TableKeys.sortKey]);
  for (const index of TableIndexes) {
    attributeNames.add(index.partitionKey);
    attributeNames.add(index.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributeNames].map(attribute),
      KeySchema: [
        { AttributeName: TableKeys.partitionKey, KeyType: 'HASH' },
        { AttributeName: TableKeys.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TableIndexes.map(indexDefinition),
    }),
  );
  return 'created';
}
