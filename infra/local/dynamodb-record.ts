import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the runtime notes in the data folder about the DynamoDB Local it started, so the next start can tell a
 * leftover of its own (adopt it) from someone else's (refuse), also where there is no /proc to ask.
 */
export type DynamoDbLocalRecord = {
  pid: number;
  port: number;
  dbPath: string;
  startedAt: string;
  /** started through the loopback launcher (absent in records of earlier versions, which listened everywhere) */
  loopbackOnly: boolean;
};

export const RECORD_FILE = 'dynamodb-local.json';

export function readRecord(dataDir: string): DynamoDbLocalRecord | undefined {
  try {
    const value = JSON.parse(
      readFileSync(join(dataDir, RECORD_FILE), 'utf8'),
    ) as Partial<DynamoDbLocalRecord>;
    if (typeof value.pid !== 'number' || typeof value.port !== 'number' || typeof value.dbPath !== 'string') {
      return undefined;
    }
    return {
      pid: value.pid,
      port: value.port,
      dbPath: value.dbPath,
      startedAt: String(value.startedAt ?? ''),
      loopbackOnly: value.loopbackOnly === true,
    };
  } catch {
    return undefined;
  }
}

export function writeRecord(dataDir: string, record: DynamoDbLocalRecord): void {
  writeFileSync(join(dataDir, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** Removes the record if it still names `pid` (a newer start may have written its own). */
export function removeRecord(dataDir: string, pid: number): void {
  if (readRecord(dataDir)?.pid === pid) rmSync(join(dataDir, RECORD_FILE), { force: true });
}
