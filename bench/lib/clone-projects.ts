import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { formatProjectCode } from '../../shared/domain/project-code.js';
import { shardOf, statusKey } from '../../shared/store/keys.js';
import { WORK_SHARDS } from '../../shared/store/table.js';

type Item = Record<string, unknown>;

/**
 * Many projects in the state of one, fast: the items of a registered project (its partition and its code claim)
 * written again under fresh ids and codes with BatchWriteItem, no transaction, no execution started. A benchmark
 * that needs thousands of projects in flight (the restart) seeds them in about a minute instead of registering
 * each; the registration path has its own figure. Each clone is a project whose execution the runtime does not
 * know, exactly what a restart finds.
 */
export async function cloneProject(
  doc: DynamoDBDocumentClient,
  tableName: string,
  template: { projectId: string; code: string },
): Promise<(serial: number) => Promise<void>> {
  const partition: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `PROJECT#${template.projectId}` },
        ExclusiveStartKey: start,
      }),
    );
    partition.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  // what is left unsent is not cloned (nothing is: the registration's outbox entry was relayed)
  const items = partition.filter((item) => !String(item.SK).startsWith('OUTBOX#'));
  const codeItem = {
    PK: `CODE#${template.code}`,
    SK: 'CODE',
    code: template.code,
    projectId: template.projectId,
  };
  const json = JSON.stringify([...items, codeItem]);
  const [year, region, industry, type] = template.code.split('-');

  return async (serial) => {
    const projectId = ulid();
    const code = formatProjectCode({
      year: Number(year),
      regionCode: region ?? '',
      industryCode: industry ?? '',
      typeCode: type ?? '',
      serial,
    });
    const clone = JSON.parse(
      json.replaceAll(template.projectId, projectId).replaceAll(template.code, code),
    ) as Item[];
    for (const item of clone) {
      // the project lands on its own shard of the status index, as a registered one does
      if (item.SK === 'PROJECT' && typeof item.GSI1PK === 'string')
        item.GSI1PK = statusKey('active', projectId);
      // and its due work on its own shard of the Work index (`<at>#<kind>#<projectId>[#rest]`)
      if (typeof item.WorkSK === 'string') {
        const [_at, _kind, id = '', ...rest] = item.WorkSK.split('#');
        item.WorkPK = `WORK#${shardOf(`${id}#${rest.join('#')}`, WORK_SHARDS)}`;
      }
    }
    for (let i = 0; i < clone.length; i += 25) {
      let requests = clone.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
  };
}
