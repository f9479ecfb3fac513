import { type Chain, chainKey, type Stage, type StepDefinition } from '../domain/chain.js';
import { inStagePrerequisitesOf } from '../domain/chain-graph.js';
import { AslSubstitutions, type CallbackTaskInput, type FinishStageInput } from './task-contract.js';

/**
 * Generates the Amazon States Language (JSONPath) definition of a chain.
 *
 * One state machine per chain version, one execution per stage of a project (DESIGN.md decision 6): `Route`
 * picks the stage named in the execution input, so an execution lives only as long as its stage and is renewed
 * as a new generation when it would grow old. A stage is one `Parallel` with a branch per step:
 * `<stepId>-gate` (only when the step has prerequisites inside the stage) → `<stepId>`, the step's callback task,
 * or, for a joint review, a `Parallel` of its parts' callback tasks `<stepId>.<partId>`. Each branch outputs a
 * plain outcome string; a task that still fails after its retries is caught inside its branch
 * (`<stepId>-failed` → 'failed') so it never cancels its siblings. After the stage a Choice routes to
 * `StepTaskFailed`, `ProjectReturned` or `StageCompleted`, whose task moves the project on.
 *
 * The definition carries `${CallbackTaskFunctionArn}` / `${FinishStageFunctionArn}` placeholders, filled by
 * CDK `definitionSubstitutions` (or the chain publisher) on AWS and by {@link substituteAsl} locally.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type AslRetrier = {
  ErrorEquals: string[];
  IntervalSeconds: number;
  MaxAttempts: number;
  BackoffRate: number;
  MaxDelaySeconds?: number;
};
export type AslCatcher = { ErrorEquals: string[]; Next: string };

export type AslTaskState = {
  Type: 'Task';
  Comment?: string;
  Resource: string;
  Parameters: { FunctionName: string; Payload: Record<string, JsonValue> };
  TimeoutSeconds?: number;
  Retry: AslRetrier[];
  Catch?: AslCatcher[];
  ResultSelector?: Record<string, string>;
  ResultPath?: string | null;
  OutputPath?: string;
  Next?: string;
  End?: true;
};
export type AslPassState = { Type: 'Pass'; Comment?: string; Result: JsonValue; End: true };
export type AslParallelState = {
  Type: 'Parallel';
  Comment?: string;
  Branches: AslBranch[];
  ResultSelector: Record<string, string>;
  ResultPath?: string;
  OutputPath?: string;
  Catch?: AslCatcher[];
  Next?: string;
  End?: true;
};
export type AslChoiceState = {
  Type: 'Choice';
  Choices: Array<
    | { Variable: string; BooleanEquals: boolean; Next: string }
    | { Variable: string; NumericEquals: number; Next: string }
  >;
  Default: string;
};
export type AslFailState = { Type: 'Fail'; Comment?: string; Error: string; Cause: string };
export type AslState = AslTaskState | AslPassState | AslParallelState | AslChoiceState | AslFailState;
export type AslBranch = { StartAt: string; States: Record<string, AslState> };
export type AslDefinition = AslBranch & { Comment: string };

/** Service-integration ARNs as generated: in the global partition (`aws`); see {@link aslInPartition}. */
export const CALLBACK_TASK_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
export const LAMBDA_INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';
/** AWS maximum. SLAs are enforced by the DynamoDB sweep, not by state timers; this only overrides defaults. */
export const CALLBACK_TASK_TIMEOUT_SECONDS = 99_999_999;

export const ROUTE_STATE = 'Route';
export const STAGE_COMPLETED_STATE = 'StageCompleted';
export const PROJECT_RETURNED_STATE = 'ProjectReturned';
export const UNKNOWN_STAGE_STATE = 'UnknownStage';
export const STEP_TASK_FAILED_STATE = 'StepTaskFailed';
export const STEP_TASK_FAILED_ERROR = 'Daiban.StepTaskFailed';
/** What a branch outputs when its callback task failed (caught inside the branch). */
export const FAILED_BRANCH_OUTCOME = 'failed';

export const gateStateName = (stepId: string): string => `${stepId}-gate`;
export const partStateName = (stepId: string, partId: string): string => `${stepId}.${partId}`;
export const failedStateName = (stepId: string): string => `${stepId}-failed`;
export const stageCheckStateName = (stageId: string): string => `${stageId}-check`;

const placeholder = (name: string): string => `\${${name}}`;

const LAMBDA_TRANSIENT_RETRY: AslRetrier = {
  ErrorEquals: [
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
  ],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
};

/**
 * A handler that fails (the database did not answer, a conflict it could not settle) is tried again with backoff:
 * 1 + 2 + 4 + … seconds, about two minutes in all, before its branch gives up (and the reconciliation takes over).
 */
const HANDLER_RETRY: AslRetrier = {
  ErrorEquals: ['States.TaskFailed'],
  IntervalSeconds: 1,
  MaxAttempts: 7,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
};

/** Where a gate's answer is kept for the step's own task (see `CallbackTaskInput.gate`). */
const GATE_RESULT_PATH = '$.gate';

function callbackTask(
  target: { stepId: string; partId?: string },
  kind: CallbackTaskInput['kind'],
  stageIndex: number,
  comment: string,
  behindGate = false,
): AslTaskState {
  return {
    Type: 'Task',
    Comment: comment,
    Resource: CALLBACK_TASK_RESOURCE,
    Parameters: {
      FunctionName: placeholder(AslSubstitutions.callbackTaskFunctionArn),
      Payload: {
        'projectId.$': '$.projectId',
        stepId: target.stepId,
        ...(target.partId ? { partId: target.partId } : {}),
        kind,
        stageIndex,
        'execution.$': '$$.Execution.Name',
        'taskToken.$': '$$.Task.Token',
        ...(behindGate ? { 'gate.$': GATE_RESULT_PATH } : {}),
      },
    },
    TimeoutSeconds: CALLBACK_TASK_TIMEOUT_SECONDS,
    Retry: [LAMBDA_TRANSIENT_RETRY, HANDLER_RETRY],
  };
}

/** What a step or part task passes on: the outcome string of the task's output. */
const OUTCOME_ONLY = { ResultSelector: { 'outcome.$': '$.outcome' }, OutputPath: '$.outcome' } as const;

function stepBranch(stage: Stage, stageIndex: number, step: StepDefinition): AslBranch {
  const prerequisites = inStagePrerequisitesOf(stage, step);
  const states: Record<string, AslState> = {};
  const catchFailure = [{ ErrorEquals: ['States.ALL'], Next: failedStateName(step.id) }];
  const gated = prerequisites.length > 0;
  if (gated) {
    states[gateStateName(step.id)] = {
      ...callbackTask({ stepId: step.id }, 'gate', stageIndex, `waits for ${prerequisites.join(', ')}`),
      // the input passes on, with the gate's answer for the step's task
      ResultPath: GATE_RESULT_PATH,
      Catch: catchFailure,
      Next: step.id,
    };
  }
  if (step.parts) {
    // A joint review: every part waits for its own department; each reports the step's outcome when it concludes.
    states[step.id] = {
      Type: 'Parallel',
      Comment: `${step.name} / ${step.nameEn} (联合审查: ${step.parts.map((p) => p.departmentId).join(', ')})`,
      Branches: step.parts.map((part) => ({
        StartAt: partStateName(step.id, part.id),
        States: {
          [partStateName(step.id, part.id)]: {
            ...callbackTask(
              { stepId: step.id, partId: part.id },
              'part',
              stageIndex,
              `${part.name} / ${part.nameEn}`,
              gated,
            ),
            ...OUTCOME_ONLY,
            End: true,
          },
        },
      })),
      ResultSelector: { 'outcome.$': '$[0]' },
      OutputPath: '$.outcome',
      Catch: catchFailure,
      End: true,
    };
  } else {
    states[step.id] = {
      ...callbackTask({ stepId: step.id }, 'step', stageIndex, `${step.name} / ${step.nameEn}`, gated),
      ...OUTCOME_ONLY,
      Catch: catchFailure,
      End: true,
    };
  }
  states[failedStateName(step.id)] = {
    Type: 'Pass',
    Comment: `the callback task of ${step.id} failed after its retries`,
    Result: FAILED_BRANCH_OUTCOME,
    End: true,
  };
  return { StartAt: gated ? gateStateName(step.id) : step.id, States: states };
}

function finishTask(outcome: FinishStageInput['outcome']): AslTaskState {
  return {
    Type: 'Task',
    Comment:
      outcome === 'stage_completed'
        ? 'the stage passed: the project moves to the next stage (or is completed)'
        : 'a step was rejected: the project waits for a re-application or a withdrawal',
    Resource: LAMBDA_INVOKE_RESOURCE,
    Parameters: {
      FunctionName: placeholder(AslSubstitutions.finishStageFunctionArn),
      Payload: {
        'projectId.$': '$.projectId',
        'execution.$': '$$.Execution.Name',
        'stageIndex.$': '$.stageIndex',
        outcome,
      },
    },
    Retry: [LAMBDA_TRANSIENT_RETRY, HANDLER_RETRY],
    ResultPath: null,
    End: true,
  };
}

/** State names must be unique in the whole machine, nested branches included (AWS rejects duplicates). */
function assertUniqueStateNames(definition: AslBranch): void {
  const seen = new Set<string>();
  const visit = (branch: AslBranch): void => {
    for (const [name, state] of Object.entries(branch.States)) {
      if (seen.has(name)) {
        throw new Error(
          `state name "${name}" is used twice in the generated state machine; rename the step or stage`,
        );
      }
      seen.add(name);
      if (state.Type === 'Parallel') state.Branches.forEach(visit);
    }
  };
  visit(definition);
}

/** Turns a chain into its state-machine definition (JSONPath ASL, with ARN placeholders). Pure. */
export function chainToAsl(chain: Chain): AslDefinition {
  const states: Record<string, AslState> = {
    [ROUTE_STATE]: {
      Type: 'Choice',
      Choices: chain.stages.map((stage, stageIndex) => ({
        Variable: '$.stageIndex',
        NumericEquals: stageIndex,
        Next: stage.id,
      })),
      Default: UNKNOWN_STAGE_STATE,
    },
  };
  chain.stages.forEach((stage, stageIndex) => {
    states[stage.id] = {
      Type: 'Parallel',
      Comment: `${stage.name} / ${stage.nameEn}`,
      Branches: stage.steps.map((step) => stepBranch(stage, stageIndex, step)),
      ResultSelector: {
        'returned.$': "States.ArrayContains($, 'rejected')",
        'failed.$': `States.ArrayContains($, '${FAILED_BRANCH_OUTCOME}')`,
      },
      ResultPath: '$.stageResult',
      Next: stageCheckStateName(stage.id),
    };
    states[stageCheckStateName(stage.id)] = {
      Type: 'Choice',
      Choices: [
        { Variable: '$.stageResult.failed', BooleanEquals: true, Next: STEP_TASK_FAILED_STATE },
        { Variable: '$.stageResult.returned', BooleanEquals: true, Next: PROJECT_RETURNED_STATE },
      ],
      Default: STAGE_COMPLETED_STATE,
    };
  });
  states[STAGE_COMPLETED_STATE] = finishTask('stage_completed');
  states[PROJECT_RETURNED_STATE] = finishTask('returned');
  states[STEP_TASK_FAILED_STATE] = {
    Type: 'Fail',
    Comment: 'a callback task failed after its retries; the reconciliation renews the execution',
    Error: STEP_TASK_FAILED_ERROR,
    Cause: 'a step, part or gate callback task failed',
  };
  states[UNKNOWN_STAGE_STATE] = {
    Type: 'Fail',
    Comment: 'the execution input named a stage this chain does not have',
    Error: 'Daiban.UnknownStage',
    Cause: 'stageIndex out of range',
  };
  if (chain.stages.length === 0) throw new Error(`chain ${chainKey(chain)} has no stages`);
  const definition: AslDefinition = {
    Comment: `Daiban approval chain ${chainKey(chain)}: ${chain.name} / ${chain.nameEn}`,
    StartAt: ROUTE_STATE,
    States: states,
  };
  assertUniqueStateNames(definition);
  return definition;
}

/** The definition as the JSON string CDK deploys (`DefinitionBody.fromString`) and the local engine runs. */
export const chainToAslJson = (chain: Chain): string => JSON.stringify(chainToAsl(chain), null, 2);

/** Names of every callback task state (gates, step tasks and parts) of the chain, in stage order. */
export function callbackTaskStateNames(chain: Chain): string[] {
  return chain.stages.flatMap((stage) =>
    stage.steps.flatMap((step) => [
      ...(inStagePrerequisitesOf(stage, step).length > 0 ? [gateStateName(step.id)] : []),
      ...(step.parts ? step.parts.map((p) => partStateName(step.id, p.id)) : [step.id]),
    ]),
  );
}

/** A Task state found in a definition, wherever it is nested. */
export type AslTaskRef = { stateName: string; resource: string; functionName: string | undefined };

/** Every Task state of a definition (including those inside Parallel branches). */
export function listTaskStates(definition: AslBranch): AslTaskRef[] {
  return Object.entries(definition.States).flatMap(([stateName, state]): AslTaskRef[] => {
    if (state.Type === 'Task') {
      return [{ stateName, resource: state.Resource, functionName: state.Parameters?.FunctionName }];
    }
    if (state.Type === 'Parallel') return state.Branches.flatMap(listTaskStates);
    return [];
  });
}

/** Every Parallel state of a definition with its number of branches. */
export function listParallelStates(definition: AslBranch): Array<{ stateName: string; branches: number }> {
  return Object.entries(definition.States).flatMap(([stateName, state]) =>
    state.Type === 'Parallel'
      ? [{ stateName, branches: state.Branches.length }, ...state.Branches.flatMap(listParallelStates)]
      : [],
  );
}

/**
 * Replaces `${Name}` placeholders like CDK `definitionSubstitutions` do. Values are JSON-string-escaped (the
 * placeholders sit inside JSON strings; for ARNs this is the same as a plain replacement). Throws when a
 * placeholder is left without a value.
 */
export function substituteAsl(definitionJson: string, values: Record<string, string>): string {
  const missing = new Set<string>();
  const result = definitionJson.replace(/\$\{([A-Za-z0-9_]+)\}/g, (match, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) {
      missing.add(name);
      return match;
    }
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size > 0) {
    throw new Error(
      `ASL placeholder(s) left unfilled: ${[...missing].map((n) => placeholder(n)).join(', ')}`,
    );
  }
  return result;
}

/** The placeholder CDK fills with the stack's partition (`Aws.PARTITION`): `${Partition}`. */
export const PARTITION_PLACEHOLDER = 'Partition';

/**
 * The ASL with its service-integration ARNs (`arn:aws:states:::lambda:invoke…`) in another partition: `aws-cn` in
 * the China regions, or `${Partition}` for CloudFormation to fill. The generated ASL (and the local runtime) stays in
 * `aws`; only what is deployed changes.
 *
 * @example aslInPartition(chainToAslJson(chain), 'aws-cn')
 */
export function aslInPartition(definitionJson: string, partition: string): string {
  return definitionJson.replaceAll('"arn:aws:states:::', `"arn:${partition}:states:::`);
}
