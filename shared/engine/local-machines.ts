import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import {
  type AslDefinition,
  CALLBACK_TASK_RESOURCE,
  LAMBDA_INVOKE_RESOURCE,
  listParallelStates,
  listTaskStates,
  substituteAsl,
} from '../workflow/asl.js';
import { AslSubstitutions } from '../workflow/task-contract.js';

/** What the ARN placeholders become locally; the local engine overrides every Task that names them. */
export const LOCAL_FUNCTION_ARNS = {
  [AslSubstitutions.callbackTaskFunctionArn]:
    'arn:aws:lambda:local:000000000000:function:daiban-callback-task',
  [AslSubstitutions.finishStageFunctionArn]: 'arn:aws:lambda:local:000000000000:function:daiban-finish-stage',
} as const satisfies Record<string, string>;

/** aws-local-stepfunctions fixes how many branches of a Parallel run at once. */
export const LOCAL_PARALLEL_BRANCH_LIMIT = 40;

/**
 * aws-local-stepfunctions has no `$$.Task.Token`; a `$$` path that points to nothing fails the execution with an
 * uncatchable `States.Runtime`. Every run gets this placeholder in its context, and each callback handler
 * replaces it with a minted token.
 */
export const CONTEXT_TOKEN_PLACEHOLDER = 'local-placeholder';

export type TaskLocalHandlers = NonNullable<
  NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']
>;
export type TaskLocalHandler = TaskLocalHandlers[string];

/** A chain's state machine, ready to run: its Tasks overridden by local handlers, its retry delays. */
export type LoadedMachine = {
  machine: StateMachine;
  overrides: TaskLocalHandlers;
  retryDelays: Record<string, number>;
};

/**
 * Loads the generated ASL of a chain (placeholders filled with {@link LOCAL_FUNCTION_ARNS}) into a state machine
 * whose every Task runs a local handler: `callback(stateName)` for the callback tasks, `finish()` for the finish
 * tasks. Refuses a definition the local engine could not run faithfully.
 */
export function loadMachine(
  key: string,
  json: string,
  local: {
    retryDelayMs: number | undefined;
    callback: (stateName: string) => TaskLocalHandler;
    finish: () => TaskLocalHandler;
  },
): LoadedMachine {
  const definition = JSON.parse(substituteAsl(json, LOCAL_FUNCTION_ARNS)) as AslDefinition;
  for (const parallel of listParallelStates(definition)) {
    if (parallel.branches > LOCAL_PARALLEL_BRANCH_LIMIT) {
      throw new Error(
        `chain ${key}: Parallel "${parallel.stateName}" has ${parallel.branches} branches; the local engine runs at most ${LOCAL_PARALLEL_BRANCH_LIMIT} at once and a gated branch could wait forever`,
      );
    }
  }
  const overrides: TaskLocalHandlers = {};
  const retryDelays: Record<string, number> = {};
  for (const task of listTaskStates(definition)) {
    retryDelays[task.stateName] = local.retryDelayMs ?? 0;
    if (
      task.resource === CALLBACK_TASK_RESOURCE &&
      task.functionName === LOCAL_FUNCTION_ARNS.CallbackTaskFunctionArn
    ) {
      overrides[task.stateName] = local.callback(task.stateName);
    } else if (
      task.resource === LAMBDA_INVOKE_RESOURCE &&
      task.functionName === LOCAL_FUNCTION_ARNS.FinishStageFunctionArn
    ) {
      overrides[task.stateName] = local.finish();
    } else {
      // Without an override aws-local-stepfunctions would invoke a real Lambda function.
      throw new Error(`chain ${key}: Task "${task.stateName}" has no local handler (${task.resource})`);
    }
  }
  // The constructor validates the definition with asl-validator.
  const machine = new StateMachine(definition as unknown as StateMachineDefinition);
  return { machine, overrides, retryDelays };
}
