import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { type Chain, ChainSchema } from '../../../shared/domain/chain.js';
import {
  type AslBranch,
  type AslDefinition,
  type AslParallelState,
  type AslTaskState,
  CALLBACK_TASK_RESOURCE,
  callbackTaskStateNames,
  chainToAsl,
  chainToAslJson,
  listTaskStates,
  substituteAsl,
} from '../../../shared/workflow/asl.js';
import { fixtureStep, twoStageChain } from '../../support/chain-fixtures.js';

/** asl-validator 4 ships no type declarations; this is the part of its API the tests use. */
type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const step = fixtureStep;
const fixtureChain: Chain = twoStageChain(3);

const arns = {
  CallbackTaskFunctionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:daiban-callback-task',
  FinishStageFunctionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:daiban-finish-stage',
};

const stageBranches = (asl: AslDefinition, stageId: string): AslBranch[] =>
  (asl.States[stageId] as AslParallelState).Branches;

const branchStateNames = (asl: AslDefinition, stageId: string): string[][] =>
  stageBranches(asl, stageId).map((branch) => Object.keys(branch.States));

const callbackTasks = (asl: AslDefinition): Array<[string, AslTaskState]> =>
  stageIdsOf(asl).flatMap((stageId) =>
    stageBranches(asl, stageId).flatMap((branch) =>
      Object.entries(branch.States).filter(
        (entry): entry is [string, AslTaskState] => entry[1].Type === 'Task',
      ),
    ),
  );

const stageIdsOf = (asl: AslDefinition): string[] =>
  Object.entries(asl.States)
    .filter(([, state]) => state.Type === 'Parallel')
    .map(([name]) => name);

describe('chainToAsl', () => {
  it('produces a definition asl-validator accepts, before and after substitution', () => {
    // Prepare
    const json = chainToAslJson(fixtureChain);

    // Act
    const raw = aslValidator(JSON.parse(json));
    const substituted = aslValidator(JSON.parse(substituteAsl(json, arns)));

    // Assess
    expect(raw.errorsText('\n')).toBe('');
    expect(raw.isValid).toBe(true);
    expect(substituted.isValid).toBe(true);
  });

  it('runs one stage per execution: Route picks it, one Parallel with one branch per step, then StageCompleted', () => {
    // Act
    const asl = chainToAsl(fixtureChain);

    // Assess
    expect(asl.StartAt).toBe('Route');
    expect(asl.States.Route).toEqual({
      Type: 'Choice',
      Choices: [
        { Variable: '$.stageIndex', NumericEquals: 0, Next: 'stage-1' },
        { Variable: '$.stageIndex', NumericEquals: 1, Next: 'stage-2' },
      ],
      Default: 'UnknownStage',
    });
    expect(asl.Comment).toContain('test-chain@3');
    expect(stageIdsOf(asl)).toEqual(['stage-1', 'stage-2']);
    expect(asl.States['stage-1-check']).toMatchObject({ Type: 'Choice', Default: 'StageCompleted' });
    expect(asl.States['stage-2-check']).toMatchObject({ Type: 'Choice', Default: 'StageCompleted' });
    expect(asl.States.StageCompleted).toMatchObject({
      Parameters: {
        Payload: {
          outcome: 'stage_completed',
          'stageIndex.$': '$.stageIndex',
          'execution.$': '$$.Execution.Name',
        },
      },
    });
    expect(stageBranches(asl, 'stage-1')).toHaveLength(3);
    expect(stageBranches(asl, 'stage-2')).toHaveLength(2);
  });

  it('names each step task by its step id and gates only steps with in-stage prerequisites', () => {
    // Act
    const asl = chainToAsl(fixtureChain);

    // Assess
    expect(branchStateNames(asl, 'stage-1')).toEqual([
      ['1a', '1a-failed'],
      ['1b', '1b-failed'],
      ['1c-gate', '1c', '1c-failed'],
    ]);
    expect(branchStateNames(asl, 'stage-2')).toEqual([
      ['2a', '2a-failed'],
      ['2b-gate', '2b', '2b-failed'],
    ]);
    expect(stageBranches(asl, 'stage-1')[2]?.StartAt).toBe('1c-gate');
    expect(stageBranches(asl, 'stage-2')[0]?.StartAt).toBe('2a');
    expect(callbackTaskStateNames(fixtureChain)).toEqual([
      '1a',
      '1b',
      '1c-gate',
      '1c',
      '2a',
      '2b-gate',
      '2b',
    ]);
  });

  it('makes every callback task wait for its token, retry Lambda and handler errors with backoff and catch failures inside its branch', () => {
    // Act
    const asl = chainToAsl(fixtureChain);

    // Assess
    const tasks = callbackTasks(asl);
    expect(tasks).toHaveLength(7);
    for (const [name, task] of tasks) {
      const stepId = name.replace(/-gate$/, '');
      expect(task.Resource).toBe(CALLBACK_TASK_RESOURCE);
      expect(task.TimeoutSeconds).toBe(99_999_999);
      expect(task.Parameters.Payload).toMatchObject({
        'projectId.$': '$.projectId',
        stepId,
        kind: name.endsWith('-gate') ? 'gate' : 'step',
        'execution.$': '$$.Execution.Name',
        'taskToken.$': '$$.Task.Token',
      });
      expect(task.Retry[0]?.ErrorEquals).toContain('Lambda.TooManyRequestsException');
      expect(task.Retry[1]).toMatchObject({
        ErrorEquals: ['States.TaskFailed'],
        BackoffRate: 2,
        MaxDelaySeconds: 60,
      });
      expect(task.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: `${stepId}-failed` }]);
    }
  });

  it("passes the stage index, keeps the input through a gate and hands the gate's answer to the step's task", () => {
    // Act
    const asl = chainToAsl(fixtureChain);

    // Assess
    const [, gate] = callbackTasks(asl).find(([name]) => name === '2b-gate') ?? [];
    const [, task] = callbackTasks(asl).find(([name]) => name === '2b') ?? [];
    const [, ungated] = callbackTasks(asl).find(([name]) => name === '2a') ?? [];
    expect(gate).toMatchObject({
      ResultPath: '$.gate',
      Next: '2b',
      Parameters: { Payload: { stageIndex: 1 } },
    });
    expect(task).toMatchObject({
      OutputPath: '$.outcome',
      End: true,
      Parameters: { Payload: { 'gate.$': '$.gate' } },
    });
    expect(ungated?.Parameters.Payload).not.toHaveProperty('gate.$');
  });

  it('routes a stage with a failed branch to StepTaskFailed before a rejected one to ProjectReturned', () => {
    // Act
    const asl = chainToAsl(fixtureChain);

    // Assess
    expect(asl.States['stage-1-check']).toMatchObject({
      Choices: [
        { Variable: '$.stageResult.failed', BooleanEquals: true, Next: 'StepTaskFailed' },
        { Variable: '$.stageResult.returned', BooleanEquals: true, Next: 'ProjectReturned' },
      ],
    });
    expect(asl.States.StepTaskFailed).toMatchObject({ Type: 'Fail', Error: 'Daiban.StepTaskFailed' });
    expect(asl.States.ProjectReturned).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { Payload: { outcome: 'returned' } },
      ResultPath: null,
      End: true,
    });
  });

  it('lists every Task state, nested or not', () => {
    // Act
    const names = listTaskStates(chainToAsl(fixtureChain)).map((task) => task.stateName);

    // Assess
    expect(names).toEqual([...callbackTaskStateNames(fixtureChain), 'StageCompleted', 'ProjectReturned']);
  });

  it('makes a joint review a Parallel of its parts, named <step>.<part>, passing on the first outcome', () => {
    // Prepare
    const joint = ChainSchema.parse({
      ...fixtureChain,
      stages: [
        {
          ...fixtureChain.stages[0],
          steps: [
            step('a'),
            {
              ...step('j', ['a']),
              parts: [
                {
                  id: 'fire',
                  name: '消防',
                  nameEn: 'Fire',
                  departmentId: 'HUD',
                  promisedDays: 5,
                  legalDays: 10,
                },
                {
                  id: 'cad',
                  name: '人防',
                  nameEn: 'CAD',
                  departmentId: 'CAD',
                  promisedDays: 5,
                  legalDays: 10,
                },
              ],
            },
          ],
        },
      ],
    });

    // Act
    const asl = chainToAsl(joint);
    const branch = stageBranches(asl, 'stage-1')[1];
    const parallel = branch?.States.j as AslParallelState;

    // Assess
    expect(aslValidator(asl).isValid).toBe(true);
    expect(Object.keys(branch?.States ?? {})).toEqual(['j-gate', 'j', 'j-failed']);
    expect(parallel).toMatchObject({
      Type: 'Parallel',
      ResultSelector: { 'outcome.$': '$[0]' },
      OutputPath: '$.outcome',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'j-failed' }],
    });
    expect(parallel.Branches.map((b) => b.StartAt)).toEqual(['j.fire', 'j.cad']);
    expect(parallel.Branches[0]?.States['j.fire']).toMatchObject({
      Parameters: { Payload: { stepId: 'j', partId: 'fire', kind: 'part' } },
    });
    expect(callbackTaskStateNames(joint)).toEqual(['a', 'j-gate', 'j.fire', 'j.cad']);
  });

  it('refuses a chain whose state names would collide', () => {
    // Prepare: the gate of step b is named 'b-gate', like the third step
    const colliding = ChainSchema.parse({
      ...fixtureChain,
      stages: [{ ...fixtureChain.stages[0], steps: [step('a'), step('b', ['a']), step('b-gate')] }],
    });

    // Act + Assess
    expect(() => chainToAsl(colliding)).toThrow('"b-gate"');
  });
});

describe('substituteAsl', () => {
  it('fills every placeholder', () => {
    // Act
    const json = substituteAsl(chainToAslJson(fixtureChain), arns);

    // Assess
    expect(json).not.toContain('${');
    expect(json).toContain(arns.CallbackTaskFunctionArn);
    expect(json).toContain(arns.FinishStageFunctionArn);
  });

  it('rejects a placeholder left without a value, naming it', () => {
    // Act + Assess
    expect(() =>
      substituteAsl(chainToAslJson(fixtureChain), { CallbackTaskFunctionArn: arns.CallbackTaskFunctionArn }),
    ).toThrow(/\$\{FinishStageFunctionArn\}/);
  });
});
