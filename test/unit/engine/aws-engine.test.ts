import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { AwsWorkflowEngine } from '../../../shared/engine/aws-engine.js';

const STATE_MACHINE_ARN = 'arn:aws:states:cn-north-1:123456789012:stateMachine:daiban-test-chain-1';

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
    stateMachineArns: { 'test-chain@1': STATE_MACHINE_ARN },
  });
  return { engine, sent };
}

const failing = (error: Error) => () => {
  throw error;
};

describe('AwsWorkflowEngine', () => {
  it('starts an execution named by the project id with the project id as input', async () => {
    // Prepare
    const { engine, sent } = fakeSfn();

    // Act
    await engine.startExecution({ projectId: '01JPROJECT', chainKey: 'test-chain@1' });

    // Assess
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(StartExecutionCommand);
    expect((sent[0] as StartExecutionCommand).input).toEqual({
      stateMachineArn: STATE_MACHINE_ARN,
      name: '01JPROJECT',
      input: JSON.stringify({ projectId: '01JPROJECT' }),
    });
  });

  it('treats ExecutionAlreadyExists as a successful start', async () => {
    // Prepare
    const { engine } = fakeSfn(
      failing(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} })),
    );

    // Act + Assess
    await expect(
      engine.startExecution({ projectId: 'p1', chainKey: 'test-chain@1' }),
    ).resolves.toBeUndefined();
  });

  it('passes other start errors on', async () => {
    // Prepare
    const { engine } = fakeSfn(
      failing(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })),
    );

    // Act + Assess
    await expect(engine.startExecution({ projectId: 'p1', chainKey: 'test-chain@1' })).rejects.toThrow(
      'slow down',
    );
  });

  it('rejects a chain key that has no deployed state machine', async () => {
    // Prepare
    const { engine, sent } = fakeSfn();

    // Act + Assess
    await expect(engine.startExecution({ projectId: 'p1', chainKey: 'other@2' })).rejects.toThrow(/other@2/);
    expect(sent).toEqual([]);
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
