import { type Chain, chainKey, type Stage, type StepDefinition } from '../domain/chain.js';
import { AslSubstitutions, type CallbackTaskInput, type FinishProjectInput } from './task-contract.js';

/**
 * Generates the Amazon States Language (JSONPath) definition of a chain.
 *
 * Shape: one `Parallel` state per stage, in order; one branch per step of the stage. A branch is
 * `<stepId>-gate` (only when the step has prerequisites inside the same stage) → `<stepId>` (the step's own
 * callback task). Each branch outputs a plain outcome string; a step task that fails is caught inside its branch
 * (`<stepId>-failed` → 'failed') so it never cancels its siblings. After each stage a Choice routes to
 * `StepTaskFailed`, `ProjectReturned` or the next stage (`ProjectCompleted` after the last).
 *
 * The definition carries `${CallbackTaskFunctionArn}` / `${FinishProjectFunctionArn}` placeholders, filled by
 * CDK `definitionSubstitutions` on AWS and by {@link substituteAsl} locally.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type AslRetrier = {
  ErrorEquals: string[];
  IntervalSeconds: number;
  MaxAttempts: number;
  BackoffRate: number;
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
  ResultPath: string;
  Next: string;
};
export type AslChoiceState = {
  Type: 'Choice';
  Choices: Array<{ Variable: string; BooleanEquals: boolean; Next: string }>;
  Default: string;
};
export type AslFailState = { Type: 'Fail'; Comment?: string; Error: string; Cause: string };
export type AslState = AslTaskState | AslPassState | AslParallelState | AslChoiceState | AslFailState;
export type AslBranch = { StartAt: string; States: Record<string, AslState> };
export type AslDefinition = AslBranch & { Comment: string };

export const CALLBACK_TASK_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
export const LAMBDA_INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';
/** AWS maximum. SLAs are enforced by the DynamoDB sweep, not by state timers; this only overrides defaults. */
export const CALLBACK_TASK_TIMEOUT_SECONDS = 99_999_999;

export const PROJECT_COMPLETED_STATE = 'ProjectCompleted';
export const PROJECT_RETURNED_STATE = 'ProjectReturned';
export const STEP_TASK_FAILED_STATE = 'StepTaskFailed';
export const STEP_TASK_FAILED_ERROR = 'Daiban.StepTaskFailed';
/** What a branch outputs when its callback task failed (caught inside the branch). */
export const FAILED_BRANCH_OUTCOME = 'failed';

export const gateStateName = (stepId: string): string => `${stepId}-gate`;
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

/** Prerequisites of `step` that are steps of the same stage (earlier stages are satisfied by stage order). */
function inStagePrerequisiteIds(stage: Stage, step: StepDefinition): string[] {
  const stageStepIds = new Set(stage.steps.map((s) => s.id));
  return [...new Set(step.prerequisites)].filter((id) => stageStepIds.has(id) && id !== step.id);
}

function callbackTask(
  stepId: string,
  kind: CallbackTaskInput['kind'],
  stageIndex: number,
  comment: string,
): AslTaskState {
  return {
    Type: 'Task',
    Comment: comment,
    Resource: CALLBACK_TASK_RESOURCE,
    Parameters: {
      FunctionName: placeholder(AslSubstitutions.callbackTaskFunctionArn),
      Payload: {
        'projectId.$': '$.projectId',
        stepId,
        kind,
        stageIndex,
        'taskToken.$': '$$.Task.Token',
      },
    },
    TimeoutSeconds: CALLBACK_TASK_TIMEOUT_SECONDS,
    Retry: [LAMBDA_TRANSIENT_RETRY],
    Catch: [{ ErrorEquals: ['States.ALL'], Next: failedStateName(stepId) }],
  };
}

function stepBranch(stage: Stage, stageIndex: number, step: StepDefinition): AslBranch {
  const prerequisites = inStagePrerequisiteIds(stage, step);
  const states: Record<string, AslState> = {};
  if (prerequisites.length > 0) {
    states[gateStateName(step.id)] = {
      ...callbackTask(step.id, 'gate', stageIndex, `waits for ${prerequisites.join(', ')}`),
      ResultPath: null,
      Next: step.id,
    };
  }
  states[step.id] = {
    ...callbackTask(step.id, 'step', stageIndex, `${step.name} / ${step.nameEn}`),
    ResultSelector: { 'outcome.$': '$.outcome' },
    OutputPath: '$.outcome',
    End: true,
  };
  states[failedStateName(step.id)] = {
    Type: 'Pass',
    Comment: `the callback task of ${step.id} failed`,
    Result: FAILED_BRANCH_OUTCOME,
    End: true,
  };
  return { StartAt: prerequisites.length > 0 ? gateStateName(step.id) : step.id, States: states };
}

function finishTask(outcome: FinishProjectInput['outcome']): AslTaskState {
  return {
    Type: 'Task',
    Resource: LAMBDA_INVOKE_RESOURCE,
    Parameters: {
      FunctionName: placeholder(AslSubstitutions.finishProjectFunctionArn),
      Payload: { 'projectId.$': '$.projectId', outcome },
    },
    Retry: [LAMBDA_TRANSIENT_RETRY],
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
  const states: Record<string, AslState> = {};
  chain.stages.forEach((stage, stageIndex) => {
    const next = chain.stages[stageIndex + 1]?.id ?? PROJECT_COMPLETED_STATE;
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
      Default: next,
    };
  });
  states[PROJECT_COMPLETED_STATE] = finishTask('completed');
  states[PROJECT_RETURNED_STATE] = finishTask('returned');
  states[STEP_TASK_FAILED_STATE] = {
    Type: 'Fail',
    Comment: 'a callback task failed after its retries; fix the cause and redrive the execution',
    Error: STEP_TASK_FAILED_ERROR,
    Cause: 'a step or gate callback task failed',
  };

  const firstStage = chain.stages[0];
  if (!firstStage) throw new Error(`chain ${chainKey(chain)} has no stages`);
  const definition: AslDefinition = {
    Comment: `Daiban approval chain ${chainKey(chain)}: ${chain.name} / ${chain.nameEn}`,
    StartAt: firstStage.id,
    States: states,
  };
  assertUniqueStateNames(definition);
  return definition;
}

/** The definition as the JSON string CDK deploys (`DefinitionBody.fromString`) and the local engine runs. */
export const chainToAslJson = (chain: Chain): string => JSON.stringify(chainToAsl(chain), null, 2);

/** Names of every callback task state (gates and step tasks) of the chain, in stage order. */
export function callbackTaskStateNames(chain: Chain): string[] {
  return chain.stages.flatMap((stage) =>
    stage.steps.flatMap((step) =>
      inStagePrerequisiteIds(stage, step).length > 0 ? [gateStateName(step.id), step.id] : [step.id],
    ),
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
