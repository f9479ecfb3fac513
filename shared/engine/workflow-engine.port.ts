import type { Chain } from '../domain/chain.js';
import type { ExecutionInput } from '../workflow/task-contract.js';

/** What the engine says of an execution (Step Functions' statuses, plus "never started"). */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'NOT_FOUND';

/** An execution of a chain version's state machine. */
export type ExecutionRequest = { name: string; chainKey: string };

/**
 * The workflow engine port: what the application needs from Step Functions.
 * Adapters: `AwsWorkflowEngine` (@aws-sdk/client-sfn) and `LocalWorkflowEngine` (aws-local-stepfunctions).
 */
export interface WorkflowEngine {
  /** Starts an execution. Idempotent on the name: starting one that exists (running or ended) does nothing. */
  startExecution(request: ExecutionRequest & { input: ExecutionInput }): Promise<void>;
  /** Stops a running execution; nothing happens when it is not running. */
  stopExecution(request: ExecutionRequest): Promise<void>;
  describeExecution(request: ExecutionRequest): Promise<ExecutionStatus>;
  /**
   * Completes a waiting callback task. Returns false when the token is no longer waiting
   * (already completed, or from an execution that has ended): callers count that and move on.
   */
  sendTaskSuccess(taskToken: string, output: object): Promise<boolean>;
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean>;
  /** Makes a (validated) chain version's state machine available, so projects can be registered on it. */
  deployChain(chain: Chain): Promise<void>;
  /** Whether a chain version has a state machine here (registration on a version without one is refused). */
  hasChain(chainKey: string): Promise<boolean>;
}
