import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  LogLevel,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StateMachineType,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { type Chain, chainKey } from '../domain/chain.js';
import { UnavailableError } from '../domain/errors.js';
import { aslInPartition, chainToAslJson, substituteAsl } from '../workflow/asl.js';
import { AslSubstitutions, type ExecutionInput } from '../workflow/task-contract.js';
import type { ExecutionRequest, ExecutionStatus, WorkflowEngine } from './workflow-engine.port.js';

/**
 * Where the state machines of a stage live. Every chain version's machine is named `<namePrefix><chain>-v<n>`
 * (e.g. `Daiban-prod-industrial-enterprise-v2`), whether CDK deployed it (the chains shipped with the code) or the
 * chain publisher created it at run time (a version published through the API): one rule finds both.
 */
export type AwsWorkflowSettings = {
  /** `aws` (default) or `aws-cn` (Beijing, Ningxia): the partition of every ARN the engine builds */
  partition?: string;
  /** X-Ray tracing of the machines it creates (default on; off where Step Functions has no X-Ray) */
  tracing?: boolean;
  region: string;
  account: string;
  /** e.g. `Daiban-prod-` */
  namePrefix: string;
  /** what the publisher needs to create a machine: the task functions, the workflow role, its log group */
  publish?: {
    callbackTaskFunctionArn: string;
    finishStageFunctionArn: string;
    roleArn: string;
    logGroupArn: string;
  };
};

/** The state machine name of a chain version: `industrial-enterprise@2` → `<prefix>industrial-enterprise-v2`. */
export const stateMachineName = (namePrefix: string, key: string): string =>
  `${namePrefix}${key.replace('@', '-v')}`.slice(0, 80);

/** Errors of SendTaskSuccess/SendTaskFailure that mean "this token is no longer waiting". */
const TOKEN_NO_LONGER_WAITING = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

/** SendTaskFailure limits: error ≤ 256 characters, cause ≤ 32,768. */
const MAX_ERROR_LENGTH = 256;
const MAX_CAUSE_LENGTH = 32_768;

const errorName = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string'
    ? error.name
    : undefined;

/** The workflow engine on AWS Step Functions (Standard): one execution per stage of a project. */
export class AwsWorkflowEngine implements WorkflowEngine {
  readonly #client: SFNClient;
  readonly #settings: AwsWorkflowSettings;
  readonly #known = new Set<string>();

  constructor(options: { client: SFNClient; settings: AwsWorkflowSettings }) {
    this.#client = options.client;
    this.#settings = options.settings;
  }

  stateMachineArn(key: string): string {
    const { partition = 'aws', region, account, namePrefix } = this.#settings;
    return `arn:${partition}:states:${region}:${account}:stateMachine:${stateMachineName(namePrefix, key)}`;
  }

  executionArn({ name, chainKey: key }: ExecutionRequest): string {
    const { partition = 'aws', region, account, namePrefix } = this.#settings;
    return `arn:${partition}:states:${region}:${account}:execution:${stateMachineName(namePrefix, key)}:${name}`;
  }

  /**
   * StartExecution by name. Starting the same execution again is a success: AWS answers a repeated start of a
   * running execution with the same input idempotently, and `ExecutionAlreadyExists` (the name is taken by an
   * ended execution) means this generation already ran; the reconciliation renews it if needed.
   */
  async startExecution(request: ExecutionRequest & { input: ExecutionInput }): Promise<void> {
    try {
      await this.#client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn(request.chainKey),
          name: request.name,
          input: JSON.stringify(request.input),
        }),
      );
    } catch (error) {
      if (errorName(error) === 'ExecutionAlreadyExists') return;
      throw this.#unavailable(error, 'start an execution');
    }
  }

  async stopExecution(request: ExecutionRequest): Promise<void> {
    try {
      await this.#client.send(
        new StopExecutionCommand({ executionArn: this.executionArn(request), cause: 'renewed or withdrawn' }),
      );
    } catch (error) {
      if (errorName(error) === 'ExecutionDoesNotExist') return;
      throw this.#unavailable(error, 'stop an execution');
    }
  }

  async describeExecution(request: ExecutionRequest): Promise<ExecutionStatus> {
    try {
      const result = await this.#client.send(
        new DescribeExecutionCommand({ executionArn: this.executionArn(request) }),
      );
      const status = result.status;
      return status === 'PENDING_REDRIVE' ? 'FAILED' : (status ?? 'NOT_FOUND');
    } catch (error) {
      if (errorName(error) === 'ExecutionDoesNotExist') return 'NOT_FOUND';
      throw this.#unavailable(error, 'describe an execution');
    }
  }

  async sendTaskSuccess(taskToken: string, output: object): Promise<boolean> {
    return this.#signal(() =>
      this.#client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    );
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean> {
    return this.#signal(() =>
      this.#client.send(
        new SendTaskFailureCommand({
          taskToken,
          error: error.slice(0, MAX_ERROR_LENGTH),
          cause: cause.slice(0, MAX_CAUSE_LENGTH),
        }),
      ),
    );
  }

  /** Creates the chain version's state machine from the same generated ASL CDK deploys. */
  async deployChain(chain: Chain): Promise<void> {
    const key = chainKey(chain);
    if (await this.hasChain(key)) return;
    const publish = this.#settings.publish;
    if (!publish) {
      throw new UnavailableError(
        'CHAIN.NOT_PUBLISHABLE',
        'this function may not create state machines; publish chain versions through the API function',
      );
    }
    const definition = aslInPartition(
      substituteAsl(chainToAslJson(chain), {
        [AslSubstitutions.callbackTaskFunctionArn]: publish.callbackTaskFunctionArn,
        [AslSubstitutions.finishStageFunctionArn]: publish.finishStageFunctionArn,
      }),
      this.#settings.partition ?? 'aws',
    );
    try {
      await this.#client.send(
        new CreateStateMachineCommand({
          name: stateMachineName(this.#settings.namePrefix, key),
          definition,
          roleArn: publish.roleArn,
          type: StateMachineType.STANDARD,
          loggingConfiguration: {
            level: LogLevel.ALL,
            includeExecutionData: true,
            destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: publish.logGroupArn } }],
          },
          tracingConfiguration: { enabled: this.#settings.tracing ?? true },
        }),
      );
    } catch (error) {
      if (errorName(error) !== 'StateMachineAlreadyExists')
        throw this.#unavailable(error, 'create a state machine');
    }
    this.#known.add(key);
  }

  async hasChain(key: string): Promise<boolean> {
    if (this.#known.has(key)) return true;
    try {
      await this.#client.send(
        new DescribeStateMachineCommand({ stateMachineArn: this.stateMachineArn(key) }),
      );
      this.#known.add(key);
      return true;
    } catch (error) {
      if (errorName(error) === 'StateMachineDoesNotExist') return false;
      throw this.#unavailable(error, 'look up a state machine');
    }
  }

  /** Sends a task signal; false when the token is no longer waiting. */
  async #signal(send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      const name = errorName(error);
      if (name !== undefined && TOKEN_NO_LONGER_WAITING.has(name)) return false;
      throw this.#unavailable(error, 'signal a task');
    }
  }

  /** Throttling and outages of Step Functions are a 503 (the outbox and the scheduled job catch up), never a 500. */
  #unavailable(error: unknown, what: string): unknown {
    const name = errorName(error) ?? '';
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (
      name === 'ThrottlingException' ||
      name.includes('Throttl') ||
      (status !== undefined && status >= 500)
    ) {
      return new UnavailableError('ENGINE.UNAVAILABLE', `Step Functions did not ${what} just now; try again`);
    }
    return error;
  }
}
