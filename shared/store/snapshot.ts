import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { keys } from './keys.js';
import { DATA_LAYOUT } from './layout-upgrade.js';

/**
 * A snapshot of the table in one file (`npm run backup`, `npm run restore`, `POST /admin/backup`): gzip'd JSON
 * Lines. The first line is the header ({@link SnapshotHeader}); every other line is one item as
 * `{"Item": {…}}` in DynamoDB's own JSON (the format of DynamoDB's export to S3, so types survive: numbers as
 * strings, sets, maps), sorted by PK then SK. The header's sha256 is over the body (every line after the header,
 * each ending in `\n`), so a truncated or edited file is refused before anything is written.
 *
 * Left out: the runtime lease (a restored table belongs to whichever runtime starts on it next).
 */
export const SNAPSHOT_FORMAT = 'daiban-snapshot';
export const SNAPSHOT_FORMAT_VERSION = 1;

export type SnapshotConsistency = 'write-barrier' | 'stable-scan';

export type SnapshotHeader = {
  format: typeof SNAPSHOT_FORMAT;
  formatVersion: number;
  /** the table's data layout (layout-upgrade.ts) when it was read: a newer Daiban upgrades it after restore */
  layout: number;
  table: string;
  createdAt: string;
  itemCount: number;
  sha256: string;
  /** how the reads were made consistent (see README "Backup and restore") */
  consistency: SnapshotConsistency;
};

export type RawItem = Record<string, AttributeValue>;

/** the runtime lease's setting (RUNTIME_LEASE_SETTING in shared/app/runtime-lease.ts) */
const LEASE = keys.setting('runtime-lease');
const LAYOUT = keys.setting('data-layout');

const str = (item: RawItem, name: string): string => item[name]?.S ?? '';
const compareItems = (a: RawItem, b: RawItem): number => {
  const pk = str(a, 'PK').localeCompare(str(b, 'PK'));
  return pk !== 0 ? pk : str(a, 'SK').localeCompare(str(b, 'SK'));
};

/** Every item of the table (strongly consistent pages), the runtime lease left out, sorted by key. */
export async function scanTable(client: DynamoDBClient, tableName: string): Promise<RawItem[]> {
  const items: RawItem[] = [];
  let startKey: RawItem | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) {
      if (str(item, 'PK') === LEASE.PK && str(item, 'SK') === LEASE.SK) continue;
      items.push(item);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort(compareItems);
}

const bodyOf = (items: readonly RawItem[]): string =>
  items.map((item) => `${JSON.stringify({ Item: item })}\n`).join('');

/** The data layout the items record (a table without the setting was written before layouts were recorded: 1). */
function layoutOf(items: readonly RawItem[]): number {
  const setting = items.find((i) => str(i, 'PK') === LAYOUT.PK && str(i, 'SK') === LAYOUT.SK);
  const layout = setting?.value?.M?.layout?.N;
  return layout === undefined ? 1 : Number(layout);
}

/** The snapshot file of `items` (gzip'd; see the top of this file). */
export function encodeSnapshot(
  items: readonly RawItem[],
  meta: { table: string; createdAt: Date; consistency: SnapshotConsistency },
): { bytes: Buffer; header: SnapshotHeader } {
  const body = bodyOf(items);
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    layout: layoutOf(items),
    table: meta.table,
    createdAt: meta.createdAt.toISOString(),
    itemCount: items.length,
    sha256: createHash('sha256').update(body).digest('hex'),
    consistency: meta.consistency,
  };
  return { bytes: gzipSync(`${JSON.stringify(header)}\n${body}`), header };
}

/** Reads a snapshot file, refusing one that is not a Daiban snapshot, is newer than this version, or was altered. */
export function decodeSnapshot(bytes: Buffer): { header: SnapshotHeader; items: RawItem[] } {
  let text: string;
  try {
    text = gunzipSync(bytes).toString('utf8');
  } catch {
    throw new Error('not a snapshot: the file is not gzip');
  }
  const newline = text.indexOf('\n');
  let header: SnapshotHeader;
  try {
    header = JSON.parse(newline < 0 ? text : text.slice(0, newline)) as SnapshotHeader;
  } catch {
    throw new Error('not a snapshot: the first line is not a JSON header');
  }
  if (header.format !== SNAPSHOT_FORMAT) throw new Error('not a snapshot: the header names another format');
  if (header.formatVersion > SNAPSHOT_FORMAT_VERSION) {
    throw new Error(
      `snapshot format ${header.formatVersion} is newer than this version of Daiban reads (${SNAPSHOT_FORMAT_VERSION})`,
    );
  }
  if (header.layout > DATA_LAYOUT) {
    throw new Error(
      `the snapshot holds data layout ${header.layout}, newer than this version of Daiban (${DATA_LAYOUT})`,
    );
  }
  const body = newline < 0 ? '' : text.slice(newline + 1);
  const sha256 = createHash('sha256').update(body).digest('hex');
  if (sha256 !== header.sha256) {
    throw new Error('the snapshot is damaged: its body does not match the sha256 in its header');
  }
  const items = body
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { Item: RawItem }).Item);
  if (items.length !== header.itemCount) {
    throw new Error(`the snapshot is damaged: ${items.length} items, the header says ${header.itemCount}`);
  }
  return { header, items };
}

/**
 * A consistent read of a table nobody holds still for us (a deployed table, or a local one without its runtime):
 * full scans until two in a row read every item alike. Every item was then unchanged from its read in the one to
 * its read in the next, so all of them held those values together at the moment between the two scans: the
 * snapshot is the table as it was at that moment (items carry versions and times, and events are append-only, so
 * an item changed and changed back is not a concern). A table that keeps changing is refused after `attempts`.
 */
export async function stableScan(
  client: DynamoDBClient,
  tableName: string,
  options: { attempts?: number } = {},
): Promise<RawItem[]> {
  const attempts = options.attempts ?? 5;
  let previous = bodyOf(await scanTable(client, tableName));
  for (let attempt = 1; attempt < attempts; attempt++) {
    const items = await scanTable(client, tableName);
    const body = bodyOf(items);
    if (body === previous) return items;
    previous = body;
  }
  throw new Error(
    `the table changed during each of ${attempts} scans: back up a running local runtime through it (npm run backup without --endpoint), or on AWS export from a point-in-time restore (docs/deploy-aws.md)`,
  );
}

/** Writes the items into an empty table (25 a request, the unprocessed ones sent again). */
export async function writeItems(
  client: DynamoDBClient,
  tableName: string,
  items: readonly RawItem[],
): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; requests.length > 0; round++) {
      if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** round)));
      const result = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (result.UnprocessedItems?.[tableName] ?? []).flatMap((r) =>
        r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
      );
    }
  }
}

/** Whether the table holds any item at all. */
export async function tableIsEmpty(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const page = await client.send(new ScanCommand({ TableName: tableName, Limit: 1 }));
  return (page.Items ?? []).length === 0 && page.LastEvaluatedKey === undefined;
}
