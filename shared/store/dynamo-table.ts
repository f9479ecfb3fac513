import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CursorCodec } from './dynamo-codec.js';
import { type RetryPolicy, withRetry } from './dynamo-retry.js';
import type { Page, PageRequest } from './page.js';

/** The part of the document client the store uses: tests hand in a fault-injecting wrapper of a real one. */
export interface DocumentSender {
  send(command: object): Promise<unknown>;
}

type Row = Record<string, unknown>;
type QueryResult = { Items?: Row[]; LastEvaluatedKey?: Row };
type WriteRequest = { PutRequest: { Item: Row } } | { DeleteRequest: { Key: Record<string, string> } };
export type QueryInput = Omit<QueryCommandInput, 'TableName'>;

/**
 * The single table as the aggregate adapters read and write it: every call goes through {@link withRetry}, so a
 * transaction conflict, throttling or an unreachable database becomes a 409 or a 503, never a 500; page cursors are
 * signed and checked ({@link CursorCodec}).
 */
export class DynamoTable {
  constructor(
    readonly doc: DocumentSender,
    readonly name: string,
    readonly retry: RetryPolicy,
    private readonly cursors: CursorCodec,
  ) {}

  send<T = QueryResult>(command: object): Promise<T> {
    return withRetry(() => this.doc.send(command) as Promise<T>, this.retry);
  }

  async get(key: Record<string, string>): Promise<Row | undefined> {
    const result = await this.send<{ Item?: Row }>(
      new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true }),
    );
    return result.Item;
  }

  async put(item: Row): Promise<void> {
    await this.send(new PutCommand({ TableName: this.name, Item: item }));
  }

  /**
   * Puts a record as its next revision, only if the stored one is still `expected` (null: only if none is stored;
   * undefined: whatever is stored). False when another writer came first.
   */
  async putRevision(item: Row, expected: number | null | undefined): Promise<boolean> {
    return this.sendConditional(
      new PutCommand({
        TableName: this.name,
        Item: { ...item, revision: (expected ?? 0) + 1 },
        ...(expected === undefined
          ? {}
          : expected === null
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : {
                ConditionExpression: '#revision = :revision',
                ExpressionAttributeNames: { '#revision': 'revision' },
                ExpressionAttributeValues: { ':revision': expected },
              }),
      }),
    );
  }

  /** Sends a conditional write: false when its condition did not hold (nothing was written). */
  async sendConditional(command: object): Promise<boolean> {
    try {
      await this.send(command);
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async queryAll(input: QueryInput): Promise<Row[]> {
    const items: Row[] = [];
    let startKey: Row | undefined;
    do {
      const page = await this.send<QueryResult>(
        new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Batch writes of 25 items each, unprocessed items tried again with backoff (no conditions: plain puts). */
  async batchPut(items: readonly Row[]): Promise<void> {
    await this.#batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  }

  /** Batch deletes of 25 keys each, as `batchPut` (no conditions: a key already gone is no error). */
  async batchDelete(keys: readonly Record<string, string>[]): Promise<void> {
    await this.#batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
  }

  async #batchWrite(all: readonly WriteRequest[]): Promise<void> {
    for (let i = 0; i < all.length; i += 25) {
      let requests = all.slice(i, i + 25);
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > 8) throw new Error('DynamoDB kept some items of a batch write unprocessed');
        if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
        const result = await this.send<{ UnprocessedItems?: Record<string, WriteRequest[]> }>(
          new BatchWriteCommand({ RequestItems: { [this.name]: [...requests] } }),
        );
        requests = result.UnprocessedItems?.[this.name] ?? [];
      }
    }
  }

  /** Batch reads of up to 100 keys each, unprocessed keys tried again with backoff. */
  async batchGet(allKeys: Record<string, string>[]): Promise<Row[]> {
    const found: Row[] = [];
    for (let i = 0; i < allKeys.length; i += 100) {
      let keysLeft: Row[] = allKeys.slice(i, i + 100);
      for (let attempt = 0; keysLeft.length > 0; attempt += 1) {
        if (attempt > 8) throw new Error('DynamoDB kept some keys of a batch read unprocessed');
        const result = await this.send<{
          Responses?: Record<string, Row[]>;
          UnprocessedKeys?: Record<string, { Keys?: Row[] }>;
        }>(
          new BatchGetCommand({
            RequestItems: { [this.name]: { Keys: keysLeft, ConsistentRead: true } },
          }),
        );
        found.push(...(result.Responses?.[this.name] ?? []));
        keysLeft = result.UnprocessedKeys?.[this.name]?.Keys ?? [];
        if (keysLeft.length > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      }
    }
    return found;
  }

  /** One page of one partition; the cursor is DynamoDB's LastEvaluatedKey, opaque to the client. */
  async queryPage<T>(input: QueryInput, page: PageRequest, parse: (item: Row) => T): Promise<Page<T>> {
    // a cursor belongs to one list: its index, key condition and the values it is queried and filtered with
    const scope = JSON.stringify([
      input.IndexName ?? 'table',
      input.KeyConditionExpression,
      Object.entries(input.ExpressionAttributeValues ?? {}).sort(([a], [b]) => a.localeCompare(b)),
    ]);
    const startKey = this.cursors.decode(page.cursor, scope, lastKeyFields(input.IndexName));
    const result = await this.send<QueryResult>(
      new QueryCommand({
        ...input,
        TableName: this.name,
        Limit: page.limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const cursor = this.cursors.encode(result.LastEvaluatedKey, scope);
    return { items: (result.Items ?? []).map(parse), ...(cursor ? { cursor } : {}) };
  }

  /**
   * One page of a partition's items under a sort-key prefix, in order, where an item may hold several entries
   * (`unfold` gives them, in order): the entries cut at the page's size, so a page holds `limit` entries as it would
   * with one item each. The cursor is the position: an item's sort key and how many of its entries were given.
   */
  async queryUnfolded<T>(
    pk: string,
    prefix: string,
    page: PageRequest,
    unfold: (item: Row) => T[],
  ): Promise<Page<T>> {
    const scope = JSON.stringify(['unfolded', pk, prefix]);
    const at = this.cursors.decode<{ sk: string; n: string }>(page.cursor, scope, ['sk', 'n']);
    const skip = at ? Number(at.n) : 0;
    const taken: T[] = [];
    let last: { sk: string; n: number } | undefined;
    let startKey: Row | undefined;
    let more = false;
    do {
      const result: QueryResult = await this.send<QueryResult>(
        new QueryCommand({
          TableName: this.name,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': pk, ':from': at?.sk ?? prefix, ':to': `${prefix}\uffff` },
          ConsistentRead: true,
          Limit: page.limit + 1,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of result.Items ?? []) {
        const sk = String(item.SK);
        const entries = unfold(item);
        let n = at && sk === at.sk ? skip : 0;
        for (; n < entries.length; n += 1) {
          if (taken.length === page.limit) {
            more = true;
            break;
          }
          taken.push(entries[n] as T);
          last = { sk, n: n + 1 };
        }
        if (more) break;
      }
      startKey = result.LastEvaluatedKey;
      if (startKey && !more && taken.length === page.limit) more = true;
    } while (!more && startKey);
    const cursor = more && last ? this.cursors.encode({ sk: last.sk, n: String(last.n) }, scope) : undefined;
    return { items: taken, ...(cursor ? { cursor } : {}) };
  }

  /**
   * One page of an index that holds only the keys of its items (meetings, batches, complaints: read whole by their
   * lists, so no index copies their agendas, items or records), then the items themselves in one batch read, in the
   * index's order. An item gone meanwhile is left out.
   */
  async queryPageOfItems<T>(input: QueryInput, page: PageRequest, parse: (item: Row) => T): Promise<Page<T>> {
    const found = await this.queryPage(input, page, (row) => ({ PK: String(row.PK), SK: String(row.SK) }));
    const items = new Map(
      (await this.batchGet(found.items)).map((item) => [`${String(item.PK)}\n${String(item.SK)}`, item]),
    );
    return {
      items: found.items.flatMap((key) => {
        const item = items.get(`${key.PK}\n${key.SK}`);
        return item ? [parse(item)] : [];
      }),
      ...(found.cursor ? { cursor: found.cursor } : {}),
    };
  }

  /**
   * One page across write-sharded partitions, newest first: each partition gives up to a page below the cursor,
   * the pages are merged and cut. The cursor is the sort key of the last item returned.
   */
  async mergePartitions<T>(
    index: 'GSI1',
    partitions: string[],
    page: PageRequest,
    parse: (item: Row) => T,
  ): Promise<Page<T>> {
    const scope = JSON.stringify([index, ...partitions]);
    const after = this.cursors.decode<{ sk: string }>(page.cursor, scope, ['sk'])?.sk;
    const results = await Promise.all(
      partitions.map((pk) =>
        this.send<QueryResult>(
          new QueryCommand({
            TableName: this.name,
            IndexName: index,
            KeyConditionExpression: after ? `${index}PK = :pk AND ${index}SK < :after` : `${index}PK = :pk`,
            ExpressionAttributeValues: { ':pk': pk, ...(after ? { ':after': after } : {}) },
            ScanIndexForward: false,
            Limit: page.limit,
          }),
        ),
      ),
    );
    const rows = results
      .flatMap((r) => r.Items ?? [])
      .sort((a, b) => String(b[`${index}SK`]).localeCompare(String(a[`${index}SK`])));
    const taken = rows.slice(0, page.limit);
    const more = rows.length > page.limit || results.some((r) => r.LastEvaluatedKey !== undefined);
    const last = taken.at(-1);
    const cursor = more && last ? this.cursors.encode({ sk: String(last[`${index}SK`]) }, scope) : undefined;
    return { items: taken.map(parse), ...(cursor ? { cursor } : {}) };
  }
}

/** The attributes of a LastEvaluatedKey: the table's keys, and an index's too when the query is on one. */
const lastKeyFields = (index: string | undefined): string[] =>
  index ? ['PK', 'SK', `${index}PK`, `${index}SK`] : ['PK', 'SK'];

/** A key condition `attribute = value`. */
export function eq(
  attribute: string,
  value: string,
): Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'> {
  return { KeyConditionExpression: `${attribute} = :value`, ExpressionAttributeValues: { ':value': value } };
}

export const errorName = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : undefined;

/** A write refused because its condition did not hold. */
export const conditionFailed = (error: unknown): boolean =>
  errorName(error) === 'ConditionalCheckFailedException';

/** A transaction cancelled (a condition failed, or a conflict). */
export const isCancelled = (error: unknown): boolean => errorName(error) === 'TransactionCanceledException';
