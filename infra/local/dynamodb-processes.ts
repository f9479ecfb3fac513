import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { LOOPBACK_LAUNCHER } from './dynamodb-launcher.js';

/** A DynamoDB Local process found on this machine: where it listens and which data folder it serves. */
export type DynamoDbLocalProcess = {
  pid: number;
  port: number;
  /** absolute data folder; null for an in-memory one */
  dbPath: string | null;
  /** its data folder, or the database file it has open, was deleted while it ran */
  dataDeleted: boolean;
  /** started through our loopback launcher (listens on 127.0.0.1 only); false: on every interface */
  loopbackOnly: boolean;
};

/** DynamoDB Local's port when it is started without `-port`. */
const DEFAULT_PORT = 8000;

/**
 * Every DynamoDB Local (`java -jar …DynamoDBLocal.jar`, or our loopback launcher with that jar on its class path)
 * on this machine, read from /proc; `undefined`
 * where there is no /proc (macOS), so the caller falls back on what it recorded itself.
 */
export function findDynamoDbLocalProcesses(): DynamoDbLocalProcess[] | undefined {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return undefined;
  }
  return pids.flatMap((pid) => {
    const found = describeProcess(pid);
    return found ? [found] : [];
  });
}

function describeProcess(pid: number): DynamoDbLocalProcess | undefined {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
  const loopbackOnly = args.includes(LOOPBACK_LAUNCHER);
  if (!loopbackOnly && !args.some((arg) => arg.endsWith('DynamoDBLocal.jar'))) return undefined;
  const argAfter = (flag: string) => {
    const index = args.indexOf(flag);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const port = Number(argAfter('-port') ?? DEFAULT_PORT);
  const inMemory = args.includes('-inMemory');
  const cwd = safeReadlink(`/proc/${pid}/cwd`) ?? '/';
  const dbPath = inMemory ? null : resolve(cwd, argAfter('-dbPath') ?? '.');
  return { pid, port, dbPath, dataDeleted: dbPath !== null && dataWasDeleted(pid, dbPath), loopbackOnly };
}

/** The folder is gone, or a file it holds open under it shows as "(deleted)": its data no longer exists. */
function dataWasDeleted(pid: number, dbPath: string): boolean {
  if (!existsSync(dbPath)) return true;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  return fds.some((fd) => {
    const target = safeReadlink(`/proc/${pid}/fd/${fd}`);
    return target?.startsWith(`${dbPath}/`) === true && target.endsWith(' (deleted)');
  });
}

function safeReadlink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
