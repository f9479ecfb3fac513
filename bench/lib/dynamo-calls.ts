import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { DocumentSender } from '../../shared/store/dynamo-store.js';

/** DynamoDB requests by operation (`Query`, `TransactWriteItems`…). */
export type CallCounts = Record<string, number>;

export type AnsweredCall = {
  command: object;
  operation: string;
  tag: string;
  /** `performance.now()` when sent and when answered */
  startedAt: number;
  endedAt: number;
};

/** The DynamoDB operation a lib-dynamodb command stands for (`QueryCommand` → `Query`). */
const OPERATIONS: Record<string, string> = {
  GetCommand: 'GetItem',
  PutCommand: 'PutItem',
  UpdateCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  QueryCommand: 'Query',
  ScanCommand: 'Scan',
  BatchGetCommand: 'BatchGetItem',
  BatchWriteCommand: 'BatchWriteItem',
  TransactWriteCommand: 'TransactWriteItems',
  TransactGetCommand: 'TransactGetItems',
};

export const operationOf = (command: object): string => {
  const name = command.constructor.name;
  return OPERATIONS[name] ?? name.replace(/Command$/, '');
};

/**
 * Counts the requests the application sends to DynamoDB, in process (no proxy, so timings are not disturbed), by
 * operation and by what was running when it was sent: `tagged('registration', …)` and `tagged('task', …)` give
 * separate counts for a request and the task handlers it sets off.
 *
 * @example const calls = new DynamoCalls(); createLocalSystem({ …, wrapDocumentClient: calls.wrap });
 */
export class DynamoCalls {
  readonly #tag = new AsyncLocalStorage<string>();
  #counts = new Map<string, CallCounts>();
  /** hears every request once answered (e.g. to keep a transaction's items, or when it ended) */
  onAnswered?: (call: AnsweredCall) => void;

  readonly wrap = (doc: DocumentSender): DocumentSender => ({
    send: async (command: object) => {
      const tag = this.#tag.getStore() ?? 'other';
      const counts = this.#counts.get(tag) ?? {};
      const operation = operationOf(command);
      counts[operation] = (counts[operation] ?? 0) + 1;
      this.#counts.set(tag, counts);
      const startedAt = performance.now();
      const answer = await doc.send(command);
      this.onAnswered?.({ command, operation, tag, startedAt, endedAt: performance.now() });
      return answer;
    },
  });

  /**
   * Stops tagging for good: Node tracks every promise's async context while an AsyncLocalStorage is in use, which
   * costs every request something; after this, requests are counted under 'other'.
   */
  quiet(): void {
    this.#tag.disable();
  }

  /** The tag of whatever runs now (undefined outside any). */
  currentTag(): string | undefined {
    return this.#tag.getStore();
  }

  /** Runs `work` with its DynamoDB requests (and those of whatever it starts) counted under `tag`. */
  tagged<T>(tag: string, work: () => T): T {
    return this.#tag.run(tag, work);
  }

  /** The counts under a tag (all tags when none is given). */
  counts(tag?: string): CallCounts {
    if (tag !== undefined) return { ...(this.#counts.get(tag) ?? {}) };
    const all: CallCounts = {};
    for (const counts of this.#counts.values()) {
      for (const [operation, n] of Object.entries(counts)) all[operation] = (all[operation] ?? 0) + n;
    }
    return all;
  }

  reset(): void {
    this.#counts = new Map();
  }
}

export const totalCalls = (counts: CallCounts): number => Object.values(counts).reduce((a, b) => a + b, 0);

/** `Query 2, TransactWriteItems 1` */
export const describeCalls = (counts: CallCounts): string =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([operation, n]) => `${operation} ${Number.isInteger(n) ? n : n.toFixed(2)}`)
    .join(', ');
