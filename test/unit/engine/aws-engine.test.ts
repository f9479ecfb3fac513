import {
  CreateStateMachineCommand,
  type DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../../shared/domain/errors.js';
import { AwsWorkflowEngine } from '../../../shared/engine/aws-engine.js';
import { twoStageChain } from '../../support/chain-fixtures.js';

const STATE_MACHINE_ARN = 'arn:aws:states:cn-north-1:123456789012:stateMachine:Daiban-test-test-chain-v1';
const EXECUTION = { name: '01JPROJECT-s0-g1', chainKey: 'test-chain@1' };

/** A stand-in for the SFN client (the AWS cloud is the one boundary mocked): records commands, may throw. */
function fakeSfn(answer: (command: unknown) => unknown = () => ({})) {
  const sent: unknown[] = [];
  const client = {
    async send(command: unknown) {
      sent.push(command);
      return answer(command);
    },
  };
  const engine = new AwsWorkflowEngine({
    client: client as unknown as SFNClient,
    settings: {
      region: 'cn-north-1',
      account: '123456789012',
      namePrefix: 'Daiban-test-',
      publish: {
        callbackTaskFunctionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:callback',
        finishStageFunctionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:finish',
        roleArn: 'arn:aws:iam::123456789012:role/workflows',
        logGroupArn:
          'arn:aws:logs:cn-north-1:123456789012:log-group:/aws/vendedlogs/states/Daiban-test-workflows:*',
      },
    },
  });
  return { engine, sent };
}

const failing = (error: Error) => () => {
  throw error;
};

describe('AwsWorkflowEngine', () => {
  it("starts an execution by name on the chain version's state machine, found by the naming rule", async () => {
    // Prepare
    const { engine, sent } = fakeSfn();

    // Act
    await engine.startExecution({ ...EXECUTION, input: { projectId: '01JPROJECT', stageIndex: 0 } });

    // Assess
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(StartExecutionCommand);
    expect((sent[0] as StartExecutionCommand).input).toEqual({
      stateMachineArn: STATE_MACHINE_ARN,
      name: '01JPROJECT-s0-g1',
      input: JSON.stringify({ projectId: '01JPROJECT', stageIndex: 0 }),
    });
  });

  it('treats ExecutionAlreadyExists as a successful start', async () => {
    // Prepare
    const { engine } = fakeSfn(
      failing(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} })),
    );

    // Act + Assess
    await expect(
      engine.startExecution({ ...EXECUTION, input: { projectId: 'p1', stageIndex: 0 } }),
    ).resolves.toBeUndefined();
  });

  it('answers throttling with a 503-kind error, so the outbox tries again', async () => {
    // Prepare
    const { engine } = fakeSfn(
      failing(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })),
    );

    // Act + Assess
    await expect(
      engine.startExecution({ ...EXECUTION, input: { projectId: 'p1', stageIndex: 0 } }),
    ).rejects.toBeInstanceOf(UnavailableError);
  });

  it('describes an execution by its ARN, and a missing one as NOT_FOUND', async () => {
    // Prepare
    const running = fakeSfn(() => ({ status: 'RUNNING' }));
    const missing = fakeSfn(failing(new ExecutionDoesNotExist({ message: 'no', $metadata: {} })));

    // Act
    const statuses = [
      await running.engine.describeExecution(EXECUTION),
      await missing.engine.describeExecution(EXECUTION),
    ];

    // Assess
    expect(statuses).toEqual(['RUNNING', 'NOT_FOUND']);
    expect((running.sent[0] as DescribeExecutionCommand).input.executionArn).toBe(
      'arn:aws:states:cn-north-1:123456789012:execution:Daiban-test-test-chain-v1:01JPROJECT-s0-g1',
    );
  });

  it('stops an execution, and takes a missing one as stopped', async () => {
    // Prepare
    const { engine, sent } = fakeSfn();
    const missing = fakeSfn(failing(new ExecutionDoesNotExist({ message: 'no', $metadata: {} })));

    // Act
    await engine.stopExecution(EXECUTION);

    // Assess
    expect(sent[0]).toBeInstanceOf(StopExecutionCommand);
    await expect(missing.engine.stopExecution(EXECUTION)).resolves.toBeUndefined();
  });

  it('creates the state machine of a newly published chain version from the generated ASL', async () => {
    // Prepare: the version has no machine yet
    const { engine, sent } = fakeSfn((command) => {
      if (command instanceof CreateStateMachineCommand) return {};
      throw new StateMachineDoesNotExist({ message: 'no', $metadata: {} });
    });

    // Act
    await engine.deployChain(twoStageChain(1));

    // Assess
    const create = sent.find((c) => c instanceof CreateStateMachineCommand) as CreateStateMachineCommand;
    expect(create.input.name).toBe('Daiban-test-test-chain-v1');
    expect(create.input.roleArn).toBe('arn:aws:iam::123456789012:role/workflows');
    expect(create.input.definition).toContain('arn:aws:lambda:cn-north-1:123456789012:function:callback');
    expect(create.input.definition).not.toContain('${');
    expect(await engine.hasChain('test-chain@1')).toBe(true);
  });

  it('sends task success with the output as JSON', async () => {
    // Prepare
    const { engine, sent } = fakeSfn();

    // Act
    const accepted = await engine.sendTaskSuccess('token-1', { stepId: '1a', outcome: 'approved' });

    // Assess
    expect(accepted).toBe(true);
    expect(sent[0]).toBeInstanceOf(SendTaskSuccessCommand);
    expect((sent[0] as SendTaskSuccessCommand).input).toEqual({
      taskToken: 'token-1',
      output: JSON.stringify({ stepId: '1a', outcome: 'approved' }),
    });
  });

  it('answers false when the task has timed out, the token is invalid or the task is gone', async () => {
    // Prepare
    const meta = { $metadata: {} };
    const timedOut = fakeSfn(failing(new TaskTimedOut({ message: 'timed out', ...meta })));
    const invalid = fakeSfn(failing(new InvalidToken({ message: 'invalid', ...meta })));
    const gone = fakeSfn(failing(new TaskDoesNotExist({ message: 'gone', ...meta })));

    // Act
    const answers = [
      await timedOut.engine.sendTaskSuccess('t', { stepId: '1a', outcome: 'approved' }),
      await invalid.engine.sendTaskSuccess('t', { stepId: '1a', outcome: 'approved' }),
      await gone.engine.sendTaskFailure('t', 'Daiban.Error', 'cause'),
    ];

    // Assess
    expect(answers).toEqual([false, false, false]);
  });

  it('sends task failure with error and cause', async () => {
    // Prepare
    const { engine, sent } = fakeSfn();

    // Act
    const accepted = await engine.sendTaskFailure('token-2', 'Daiban.StepBroken', 'the handler broke');

    // Assess
    expect(accepted).toBe(true);
    expect(sent[0]).toBeInstanceOf(SendTaskFailureCommand);
    expect((sent[0] as SendTaskFailureCommand).input).toEqual({
      taskToken: 'token-2',
      error: 'Daiban.StepBroken',
      cause: 'the handler broke',
    });
  });

  it('passes other signal errors on', async () => {
    // Prepare
    const { engine } = fakeSfn(
      failing(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })),
    );

    // Act + Assess
    await expect(engine.sendTaskSuccess('t', {})).rejects.toThrow('denied');
  });
});
