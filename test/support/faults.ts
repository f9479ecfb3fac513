import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  ScanCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { inject } from 'vitest';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.js';
import type { ExecutionRequest, WorkflowEngine } from '../../shared/engine/workflow-engine.port.js';
import type { DocumentSender } from '../../shared/store/dynamo-store.js';
import type { ExecutionInput } from '../../shared/workflow/task-contract.js';

/**
 * Fault injection at the two boundaries DynamoDB Local and the local engine never fail at: DynamoDB's transient
 * refusals (transaction conflicts, throttling, an unreachable database) and Step Functions signals.
 */
type Rule = { match: (command: object) => boolean; error: () => Error; times: number };

export class FaultyDocumentClient implements DocumentSender {
  readonly #rules: Rule[] = [];
  injected = 0;
  constructor(private readonly inner: DocumentSender) {}

  /** The next `times` commands `match` accepts fail with `error()` (Infinity: until `heal()`). */
  fail(match: (command: object) => boolean, error: () => Error, times: number): void {
    this.#rules.push({ match, error, times });
  }

  heal(): void {
    this.#rules.length = 0;
  }

  async send(command: object): Promise<unknown> {
    const rule = this.#rules.find((r) => r.times > 0 && r.match(command));
    if (rule) {
      rule.times -= 1;
      this.injected += 1;
      throw rule.error();
    }
    return this.inner.send(command);
  }
}

export const isTransaction = (command: object): boolean =>
  command.constructor.name === 'TransactWriteCommand';
export const anyCommand = (): boolean => true;

export const transactionConflict = (): Error =>
  new TransactionCanceledException({
    message:
      'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
    $metadata: {},
    CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
  });

export const throttled = (): Error =>
  new ProvisionedThroughputExceededException({
    message: 'Rate of requests exceeds the allowed throughput',
    $metadata: {},
  });

export const connectionRefused = (): Error =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });

/** An engine whose next calls of a kind fail (as a throttled or unreachable Step Functions would). */
export class FaultyEngine implements WorkflowEngine {
  readonly failures: Record<'sendTaskSuccess' | 'startExecution', number> = {
    sendTaskSuccess: 0,
    startExecution: 0,
  };
  constructor(private readonly inner: WorkflowEngine) {}

  #maybeFail(kind: 'sendTaskSuccess' | 'startExecution'): void {
    if (this.failures[kind] > 0) {
      this.failures[kind] -= 1;
      throw Object.assign(new Error(`injected: ${kind} failed`), { name: 'ServiceUnavailable' });
    }
  }

  async startExecution(request: ExecutionRequest & { input: ExecutionInput }): Promise<void> {
    this.#maybeFail('startExecution');
    return this.inner.startExecution(request);
  }
  stopExecution(request: ExecutionRequest) {
    return this.inner.stopExecution(request);
  }
  describeExecution(request: ExecutionRequest) {
    return this.inner.describeExecution(request);
  }
  async sendTaskSuccess(taskToken: string, output: object): Promise<boolean> {
    this.#maybeFail('sendTaskSuccess');
    return this.inner.sendTaskSuccess(taskToken, output);
  }
  sendTaskFailure(taskToken: string, error: string, cause: string) {
    return this.inner.sendTaskFailure(taskToken, error, cause);
  }
  deployChain(...args: Parameters<WorkflowEngine['deployChain']>) {
    return this.inner.deployChain(...args);
  }
  hasChain(key: string) {
    return this.inner.hasChain(key);
  }
}

/** Every item of a test table (a before/after scan proves a request wrote nothing). */
export async function scanTable(tableName: string): Promise<Record<string, unknown>[]> {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoEndpoint') });
  try {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, never> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (startKey);
    return items.sort((a, b) => `${a.PK}${a.SK}`.localeCompare(`${b.PK}${b.SK}`));
  } finally {
    client.destroy();
  }
}
