import type { DynamoDbLocalProcess } from './dynamodb-processes.js';
import type { DynamoDbLocalRecord } from './dynamodb-record.js';

/** What a start finds about DynamoDB Local before it starts one (gathered by `dynamodb-local.ts`). */
export type DynamoDbFacts = {
  /** the port we are asked to use */
  port: number;
  /** our data folder, absolute */
  dataDir: string;
  /** something answers DynamoDB's API on the port */
  answering: boolean;
  /** every DynamoDB Local process on the machine; undefined where that cannot be known (no /proc) */
  processes: DynamoDbLocalProcess[] | undefined;
  /** what our data folder says we started last time, and whether that process still runs */
  record: (DynamoDbLocalRecord & { running: boolean }) | undefined;
};

export type DynamoDbPlan =
  /** nothing there: start ours */
  | { action: 'start' }
  /** our own leftover (a runtime that died): use it, and stop it when we stop */
  | { action: 'adopt'; pid: number }
  /** a leftover whose data folder was deleted, or ours listening on every interface: stop it, then start ours */
  | { action: 'replace'; pid: number; reason: string }
  /** a DynamoDB we cannot identify answers on the port: use it as it is, never stop it */
  | { action: 'reuse' }
  /** someone else's: say whose, and change nothing */
  | { action: 'refuse'; message: string };

/**
 * Decides what to do with whatever already runs on DynamoDB Local's port or serves our data folder, so a
 * crashed runtime's Java process is reused rather than fought, a DynamoDB Local of another folder is never
 * handed our projects, and one serving a deleted folder (the user started afresh) is replaced.
 */
export function planDynamoDbLocal(facts: DynamoDbFacts): DynamoDbPlan {
  const { port, dataDir, processes, record } = facts;
  if (facts.answering) {
    const onPort = processes?.find((p) => p.port === port);
    if (onPort) {
      if (onPort.dbPath === null) {
        return refuse(
          `port ${port} is used by an in-memory DynamoDB Local (pid ${onPort.pid}), not one for ${dataDir}: stop it (kill ${onPort.pid}) or set DYNAMODB_PORT to another port`,
        );
      }
      if (onPort.dataDeleted) {
        return {
          action: 'replace',
          pid: onPort.pid,
          reason: `its data folder ${onPort.dbPath} was deleted`,
        };
      }
      if (onPort.dbPath === dataDir) {
        return onPort.loopbackOnly
          ? { action: 'adopt', pid: onPort.pid }
          : { action: 'replace', pid: onPort.pid, reason: LISTENS_EVERYWHERE };
      }
      return refuse(
        `port ${port} is used by a DynamoDB Local (pid ${onPort.pid}) for the data folder ${onPort.dbPath}, not ${dataDir}: stop it (Ctrl-C in its terminal, or kill ${onPort.pid}) or set DYNAMODB_PORT to another port`,
      );
    }
    // No /proc to ask (macOS): trust our own record of what we started.
    if (processes === undefined && record?.running && record.port === port && record.dbPath === dataDir) {
      return record.loopbackOnly
        ? { action: 'adopt', pid: record.pid }
        : { action: 'replace', pid: record.pid, reason: LISTENS_EVERYWHERE };
    }
    return { action: 'reuse' };
  }
  const elsewhere = processes
    ? processes.find((p) => p.dbPath === dataDir && p.port !== port && !p.dataDeleted)
    : record?.running && record.port !== port && record.dbPath === dataDir
      ? { pid: record.pid, port: record.port }
      : undefined;
  if (elsewhere) {
    return refuse(
      `the data folder ${dataDir} is already served by a DynamoDB Local (pid ${elsewhere.pid}) on port ${elsewhere.port}: set DYNAMODB_PORT=${elsewhere.port}, or stop it (kill ${elsewhere.pid})`,
    );
  }
  return { action: 'start' };
}

const refuse = (message: string): DynamoDbPlan => ({ action: 'refuse', message });

/** Why our own leftover of an earlier version is not adopted: it takes any credentials from anyone. */
const LISTENS_EVERYWHERE =
  'it listens on every network interface (started by an earlier version); ours listens on 127.0.0.1 only';
