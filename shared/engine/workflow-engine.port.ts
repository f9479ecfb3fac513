/**
 * The workflow engine port: what the application needs from Step Functions.
 * Adapters: `AwsWorkflowEngine` (@aws-sdk/client-sfn) and `LocalWorkflowEngine` (aws-local-stepfunctions).
 */
export interface WorkflowEngine {
  /** Starts the execution of a project's chain. Idempotent on the project id (the execution name). */
  startExecution(request: { projectId: string; chainKey: string }): Promise<void>;
  /**
   * Completes a waiting callback task. Returns false when the token is no longer waiting
   * (already completed, or from an execution that has ended): callers treat that as "already done".
   */
  sendTaskSuccess(taskToken: string, output: object): Promise<boolean>;
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean>;
}
