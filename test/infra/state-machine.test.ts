import { beforeAll, describe, expect, it } from 'vitest';
import { defaultChains } from '../../infra/aws/daiban-app.js';
import { chainKey } from '../../shared/domain/chain.js';
import { referenceChain, referenceChainV1 } from '../../shared/domain/reference/industrial-chain.js';
import {
  type AslBranch,
  type AslDefinition,
  CALLBACK_TASK_RESOURCE,
  callbackTaskStateNames,
  chainToAslJson,
  failedStateName,
  LAMBDA_INVOKE_RESOURCE,
  listTaskStates,
  PARTITION_PLACEHOLDER,
  substituteAsl,
} from '../../shared/workflow/asl.js';
import { AslSubstitutions } from '../../shared/workflow/task-contract.js';
import { logicalIdOf, type SynthesizedDaiban, synthDaiban } from './synth-daiban.js';

type StateMachineProperties = {
  DefinitionString: unknown;
  DefinitionSubstitutions: Record<string, unknown>;
  StateMachineType: string;
  LoggingConfiguration: { Level: string; IncludeExecutionData: boolean; Destinations: unknown[] };
  TracingConfiguration: { Enabled: boolean };
};

/** Stand-ins for the function ARNs and the partition CloudFormation substitutes at deploy time. */
const ARNS = {
  [PARTITION_PLACEHOLDER]: 'aws',
  [AslSubstitutions.callbackTaskFunctionArn]: 'arn:aws:lambda:eu-central-1:111122223333:function:callback',
  [AslSubstitutions.finishStageFunctionArn]: 'arn:aws:lambda:eu-central-1:111122223333:function:finish',
};

let synth: SynthesizedDaiban;
let properties: StateMachineProperties;
beforeAll(() => {
  synth = synthDaiban({ bundle: false });
  const workflow = synth.stateless.workflows.machines.find((m) => m.chainKey === chainKey(referenceChain));
  if (!workflow) throw new Error('no workflow');
  const id = logicalIdOf(workflow.stateMachine, synth.stateless);
  properties = (
    synth.statelessTemplate.findResources('AWS::StepFunctions::StateMachine')[id] as {
      Properties: StateMachineProperties;
    }
  ).Properties;
});

const deployedDefinition = (): AslDefinition => {
  if (typeof properties.DefinitionString !== 'string')
    throw new Error('DefinitionString is not a plain string');
  return JSON.parse(substituteAsl(properties.DefinitionString, ARNS)) as AslDefinition;
};

describe('the deployed state machine', () => {
  it('deploys every version of the validated reference chain, each with its machine', () => {
    expect(defaultChains()).toEqual([referenceChainV1, referenceChain]);
    expect(synth.stateless.workflows.machines.map((m) => m.chainKey)).toEqual([
      'industrial-enterprise@1',
      'industrial-enterprise@2',
    ]);
  });

  it('is the generated ASL the local runtime runs, once the same substitutions are applied', () => {
    // Act
    const deployed = substituteAsl(properties.DefinitionString as string, ARNS);

    // Assess
    expect(deployed).toBe(substituteAsl(chainToAslJson(referenceChain), ARNS));
  });

  it('fills the placeholders with the task functions of this stack', () => {
    // Prepare
    const callbackTask = logicalIdOf(synth.stateless.functions.callbackTask, synth.stateless);
    const finishStage = logicalIdOf(synth.stateless.functions.finishStage, synth.stateless);

    // Assess
    expect(properties.DefinitionSubstitutions).toEqual({
      // the service-integration ARNs (arn:<partition>:states:::lambda:invoke…) in the stack's partition
      [PARTITION_PLACEHOLDER]: { Ref: 'AWS::Partition' },
      [AslSubstitutions.callbackTaskFunctionArn]: { 'Fn::GetAtt': [callbackTask, 'Arn'] },
      [AslSubstitutions.finishStageFunctionArn]: { 'Fn::GetAtt': [finishStage, 'Arn'] },
    });
  });

  it('gives every callback task retries with backoff (Lambda faults, handler failures) and a catch inside its branch', () => {
    // Act
    const definition = deployedDefinition();
    const callbacks = listTaskStates(definition).filter((task) => task.resource === CALLBACK_TASK_RESOURCE);
    const states = new Map<string, AslBranch['States'][string]>();
    const collect = (branch: AslBranch): void => {
      for (const [name, state] of Object.entries(branch.States)) {
        states.set(name, state);
        if (state.Type === 'Parallel') state.Branches.forEach(collect);
      }
    };
    collect(definition);

    // Assess
    expect(callbacks.map((task) => task.stateName).sort()).toEqual(
      callbackTaskStateNames(referenceChain).sort(),
    );
    for (const { stateName, functionName } of callbacks) {
      const state = states.get(stateName);
      if (state?.Type !== 'Task') throw new Error(`${stateName} is not a Task`);
      expect(functionName).toBe(ARNS.CallbackTaskFunctionArn);
      expect(state.Retry.flatMap((retry) => retry.ErrorEquals)).toEqual(
        expect.arrayContaining([
          'Lambda.ServiceException',
          'Lambda.TooManyRequestsException',
          'States.TaskFailed',
        ]),
      );
      expect(state.Retry.every((retry) => retry.BackoffRate >= 2)).toBe(true);
      if (stateName.includes('.')) {
        // A joint review's part: its failure is caught by the joint step's Parallel, in the step's branch.
        const stepId = stateName.slice(0, stateName.indexOf('.'));
        const joint = states.get(stepId);
        expect(joint?.Type === 'Parallel' && joint.Catch).toEqual([
          { ErrorEquals: ['States.ALL'], Next: failedStateName(stepId) },
        ]);
      } else {
        const stepId = stateName.replace(/-gate$/, '');
        expect(state.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: failedStateName(stepId) }]);
      }
    }
  });

  it('retries the tasks that end a stage (StageCompleted, ProjectReturned)', () => {
    // Act
    const finishes = listTaskStates(deployedDefinition()).filter(
      (t) => t.resource === LAMBDA_INVOKE_RESOURCE,
    );

    // Assess
    expect(finishes.map((t) => t.functionName)).toEqual([
      ARNS.FinishStageFunctionArn,
      ARNS.FinishStageFunctionArn,
    ]);
    for (const { stateName } of finishes) {
      const state = deployedDefinition().States[stateName];
      expect(state?.Type === 'Task' && state.Retry.length).toBeGreaterThan(0);
    }
  });

  it('is a Standard state machine logging every event with execution data, traced by X-Ray', () => {
    expect(properties.StateMachineType).toBe('STANDARD');
    expect(properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
    expect(properties.LoggingConfiguration.Destinations).toHaveLength(1);
    expect(properties.TracingConfiguration).toEqual({ Enabled: true });
  });
});
