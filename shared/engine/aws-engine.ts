import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ExecutionInput } from '../workflow/task-contract.js';
import type { WorkflowEngine } from './workflow-engine.port.js';

export type AwsWorkflowEngineOptions = {
  client: SFNClient;
  /** Deployed state machine ARN by chain key (`<chainId>@<version>`). */
  stateMachineArns: Record<string, string>;
};

/** Errors of SendTaskSuccess/SendTaskFailure that mean "this token is no longer waiting". */
const TOKEN_NO_LONGER_WAITING = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

/** SendTaskFailure limits: error ≤ 256 characters, cause ≤ 32,768. */
const MAX_ERROR_LENGTH = 256;
const MAX_CAUSE_LENGTH = 32_768;

const errorName = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string'
    ? error.name
    : undefined;

/** The workflow engine on AWS Step Functions (Standard): one execution per project, named by the project id. */
export class AwsWorkflowEngine implements WorkflowEngine {
  readonly #client: SFNClient;
  readonly #stateMachineArns: Record<string, string>;

  constructor(options: AwsWorkflowEngineOptions) {
    this.#client = options.client;
    this.#stateMachineArns = options.stateMachineArns;
  }

  /**
   * StartExecution named by the project id. Starting the same project again is a success: AWS answers a
   * repeated start of a running execution with the same input idempotently, and `ExecutionAlreadyExists`
   * (name in use with another input, or by a closed execution) also means the project already has its execution.
   */
  async startExecution({ projectId, chainKey }: { projectId: string; chainKey: string }): Promise<void> {
    const stateMachineArn = Object.hasOwn(this.#stateMachineArns, chainKey)
      ? this.#stateMachineArns[chainKey]
      : undefined;
    if (!stateMachineArn) {
      throw new Error(
        `no state machine deployed for chain "${chainKey}" (known: ${Object.keys(this.#stateMachineArns).join(', ') || 'none'})`,
      );
    }
    const input: ExecutionInput = { projectId };
    try {
      await this.#client.send(
        new StartExecutionCommand({ stateMachineArn, name: projectId, input: JSON.stringify(input) }),
      );
    } catch (error) {
      if (errorName(error) === 'ExecutionAlreadyExists') return;
      throw error;
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

  /** Sends a task signal; false when the token is no longer waiting. */
  async #signal(send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      const name = errorName(error);
      if (name !== undefined && TOKEN_NO_LONGER_WAITING.has(name)) return false;
      throw error;
    }
  }
}
