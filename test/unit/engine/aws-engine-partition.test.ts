import {
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  type SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { AwsWorkflowEngine } from '../../../shared/engine/aws-engine.js';
import { twoStageChain } from '../../support/chain-fixtures.js';

/** The engine in the China partition, on a stand-in SFN client that records what it is sent. */
function chinaEngine() {
  const sent: unknown[] = [];
  const client = {
    async send(command: unknown) {
      sent.push(command);
      // no machine yet for a version being published
      if (command instanceof DescribeStateMachineCommand) {
        throw new StateMachineDoesNotExist({ message: 'no', $metadata: {} });
      }
      return {};
    },
  };
  const engine = new AwsWorkflowEngine({
    client: client as unknown as SFNClient,
    settings: {
      partition: 'aws-cn',
      tracing: false,
      region: 'cn-northwest-1',
      account: '444455556666',
      namePrefix: 'Daiban-prod-',
      publish: {
        callbackTaskFunctionArn: 'arn:aws-cn:lambda:cn-northwest-1:444455556666:function:callback',
        finishStageFunctionArn: 'arn:aws-cn:lambda:cn-northwest-1:444455556666:function:finish',
        roleArn: 'arn:aws-cn:iam::444455556666:role/workflows',
        logGroupArn: 'arn:aws-cn:logs:cn-northwest-1:444455556666:log-group:/aws/vendedlogs/states/x:*',
      },
    },
  });
  return { engine, sent };
}

describe('AwsWorkflowEngine in the China regions (aws-cn)', () => {
  it('names state machines and executions with arn:aws-cn', async () => {
    // Prepare
    const { engine, sent } = chinaEngine();

    // Act
    await engine.startExecution({
      name: '01JPROJECT-s0-g1',
      chainKey: 'test-chain@1',
      input: { projectId: '01JPROJECT', stageIndex: 0 },
    });

    // Assess
    expect((sent[0] as StartExecutionCommand).input.stateMachineArn).toBe(
      'arn:aws-cn:states:cn-northwest-1:444455556666:stateMachine:Daiban-prod-test-chain-v1',
    );
    expect(sent[0]).toBeInstanceOf(StartExecutionCommand);
    expect(engine.executionArn({ name: 'e', chainKey: 'test-chain@1' })).toMatch(/^arn:aws-cn:states:/);
  });

  it('publishes a chain version whose service integrations are in aws-cn, without X-Ray where asked', async () => {
    // Prepare
    const { engine, sent } = chinaEngine();

    // Act
    await engine.deployChain(twoStageChain(1));

    // Assess
    const create = sent.find((c) => c instanceof CreateStateMachineCommand) as CreateStateMachineCommand;
    expect(create.input.definition).toContain('"arn:aws-cn:states:::lambda:invoke.waitForTaskToken"');
    expect(create.input.definition).not.toContain('arn:aws:');
    expect(create.input.tracingConfiguration).toEqual({ enabled: false });
  });
});
