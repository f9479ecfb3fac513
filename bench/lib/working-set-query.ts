import { QueryCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The bare Query of a project's working set, as a progress read asks it (`DynamoDaibanStore.loadProject`): the
 * baseline the read is measured against, sent from the bench's thread and from a bare route on the API's.
 */
export const workingSetQuery = (tableName: string, projectId: string): QueryCommand =>
  new QueryCommand({
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND SK >= :from',
    ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':from': 'OUTBOX#' },
    ConsistentRead: true,
  });
