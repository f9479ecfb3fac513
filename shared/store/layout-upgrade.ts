import { DeleteCommand, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.js';

/**
 * The table's data layout, and how a table written by an older version of Daiban is brought up to it.
 *
 * Layout 2 keeps a project's agent handovers (SK `PROJECT#ASSIGNMENT#<ulid>`, layout 1: `ASSIGNMENT#<ulid>`) inside
 * its working set (`SK >= OUTBOX#`: outbox entries, the project, its handovers, steps and tokens), so a progress read
 * is one Query. The upgrade moves every layout-1 handover (a put of the new item, then the delete of the old one: a
 * pass cut short and run again puts the same item again) and then records the layout in a setting. A table made by this version records it at once, and is never scanned.
 */
export const DATA_LAYOUT = 2;
const SETTING = keys.setting('data-layout');
const LEGACY_ASSIGNMENT_PREFIX = 'ASSIGNMENT#';

type Sender = { send(command: object): Promise<unknown> };
type ScanPage = { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> };

export type LayoutUpgrade = { moved: number; done: boolean };

/** Records that the table holds the current layout (a table just created). */
export async function markLayoutCurrent(doc: Sender, tableName: string): Promise<void> {
  await doc.send(
    new PutCommand({ TableName: tableName, Item: { ...SETTING, value: { layout: DATA_LAYOUT } } }),
  );
}

/**
 * One bounded pass of the upgrade (at most `pages` scan pages of `pageSize` items or 1 MB, so a scheduled job on AWS stays within its time);
 * where it stopped is kept in the setting, and the next pass goes on from there. `done` once the table is current.
 */
export async function upgradeLayout(
  doc: Sender,
  tableName: string,
  options: { pages?: number; pageSize?: number } = {},
): Promise<LayoutUpgrade> {
  const { pages = 50, pageSize } = options;
  const setting = (await doc.send(
    new GetCommand({ TableName: tableName, Key: SETTING, ConsistentRead: true }),
  )) as {
    Item?: { value?: { layout?: number; resumeFrom?: Record<string, unknown> } };
  };
  const value = setting.Item?.value;
  if ((value?.layout ?? 1) >= DATA_LAYOUT) return { moved: 0, done: true };
  let startKey = value?.resumeFrom;
  let moved = 0;
  for (let page = 0; page < pages; page++) {
    const result = (await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(SK, :legacy)',
        ExpressionAttributeValues: { ':legacy': LEGACY_ASSIGNMENT_PREFIX },
        ExclusiveStartKey: startKey,
        ...(pageSize ? { Limit: pageSize } : {}),
      }),
    )) as ScanPage;
    for (const item of result.Items ?? []) {
      const { PK, SK, ...rest } = item;
      await doc.send(
        new PutCommand({ TableName: tableName, Item: { PK, SK: `PROJECT#${String(SK)}`, ...rest } }),
      );
      await doc.send(new DeleteCommand({ TableName: tableName, Key: { PK, SK } }));
      moved += 1;
    }
    startKey = result.LastEvaluatedKey;
    if (!startKey) {
      await markLayoutCurrent(doc, tableName);
      return { moved, done: true };
    }
  }
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...SETTING, value: { layout: 1, resumeFrom: startKey } },
    }),
  );
  return { moved, done: false };
}
