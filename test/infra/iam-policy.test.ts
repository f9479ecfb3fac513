import type { CfnElement, Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AwsRequest, deniedRequests } from './aws-requests.js';
import {
  allows,
  type CfnTemplate,
  DeployedTemplates,
  type ResolvedStatement,
  wildcardMatches,
} from './iam-policy.js';
import { type SynthesizedDaiban, synthDaiban, TEST_ENV } from './synth-daiban.js';

const logicalIdOf = (stack: Stack, construct: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

const allow = (actions: string[], resources: string[]): ResolvedStatement => ({
  effect: 'Allow',
  actions,
  resources,
  conditional: false,
});

describe('the IAM matcher the AWS wiring test checks requests with', () => {
  it("matches IAM's wildcards: actions ignore case, resources do not, and a Deny wins", () => {
    // Prepare
    const machines = 'arn:aws:states:eu-central-1:111122223333:stateMachine:Daiban-test-*';

    // Act + Assess
    expect(wildcardMatches(machines, `${machines.slice(0, -1)}industrial-enterprise-v2`)).toBe(true);
    expect(wildcardMatches(machines, machines.replace('Daiban-test-*', 'Daiban-prod-x'))).toBe(false);
    expect(wildcardMatches('dynamodb:Get?tem', 'DynamoDB:GetItem', true)).toBe(true);
    expect(wildcardMatches('arn:aws:sns:r:1:Topic', 'arn:aws:sns:r:1:topic')).toBe(false);
    expect(allows([allow(['states:*'], ['*'])], 'states:StartExecution', machines)).toBe(true);
    expect(
      allows(
        [allow(['states:*'], ['*']), { ...allow(['states:StartExecution'], ['*']), effect: 'Deny' }],
        'states:StartExecution',
        machines,
      ),
    ).toBe(false);
    expect(allows([{ ...allow(['*'], ['*']), conditional: true }], 'sns:Publish', 'arn:x')).toBe(false);
  });

  describe('against the synthesized stacks', () => {
    let synth: SynthesizedDaiban;
    let deployed: DeployedTemplates;
    let roles: Record<string, string>;
    let machine: string;
    const tokenMachine = () => machine;
    const denied = (request: Omit<AwsRequest, 'input'> & { input: Record<string, unknown> }) =>
      deniedRequests([request], deployed, roles, tokenMachine);

    beforeAll(() => {
      synth = synthDaiban({ bundle: false });
      const { stateless } = synth;
      deployed = new DeployedTemplates(
        [synth.statefulTemplate.toJSON() as CfnTemplate, synth.statelessTemplate.toJSON() as CfnTemplate],
        { partition: 'aws', ...TEST_ENV },
        { [logicalIdOf(synth.stateful, synth.stateful.table)]: 'daiban-table' },
      );
      roles = Object.fromEntries(
        Object.entries(stateless.functions).map(([key, fn]) => [
          key,
          logicalIdOf(stateless, fn.role as never),
        ]),
      );
      machine = deployed.arn('states', `stateMachine:${stateless.workflows.machines[0]?.stateMachineName}`);
    });

    it('refuses what a role was not granted: a callback task may signal but not start, only the API reads the key', () => {
      // Prepare
      const secret = String(
        (
          deployed.resolve(
            deployed.resource(logicalIdOf(synth.stateless, synth.stateless.functions.api)).Properties
              ?.Environment?.Variables,
          ) as Record<string, string>
        ).SIGNING_KEY_SECRET_ARN,
      );
      const start = {
        service: 'states',
        operation: 'StartExecution',
        input: { stateMachineArn: machine },
      } as const;
      const readKey = {
        service: 'secretsmanager',
        operation: 'GetSecretValue',
        input: { SecretId: secret },
      } as const;

      // Act + Assess
      expect(denied({ caller: 'api', ...start })).toEqual([]);
      expect(denied({ caller: 'callbackTask', ...start })).toEqual([
        {
          caller: 'callbackTask',
          operation: 'StartExecution',
          action: 'states:StartExecution',
          resource: machine,
        },
      ]);
      expect(
        denied({
          caller: 'callbackTask',
          service: 'states',
          operation: 'SendTaskSuccess',
          input: { taskToken: 't' },
        }),
      ).toEqual([]);
      expect(denied({ caller: 'api', ...readKey })).toEqual([]);
      expect(denied({ caller: 'finishStage', ...readKey })).toHaveLength(1);
      expect(denied({ caller: 'nobody', ...start })).toHaveLength(1);
    });

    it('checks each item of a transaction, and a query on an index by the index', () => {
      // Prepare
      const transaction = {
        service: 'dynamodb',
        operation: 'TransactWriteItems',
        input: {
          TransactItems: [
            { Put: { TableName: 'daiban-table' } },
            { ConditionCheck: { TableName: 'daiban-table' } },
          ],
        },
      } as const;
      const onIndex = (IndexName: string) =>
        ({
          service: 'dynamodb',
          operation: 'Query',
          input: { TableName: 'daiban-table', IndexName },
        }) as const;

      // Act + Assess
      expect(denied({ caller: 'finishStage', ...transaction })).toEqual([]);
      expect(
        denied({
          caller: 'finishStage',
          ...transaction,
          input: { TransactItems: [{ Put: { TableName: 'other' } }] },
        }),
      ).toHaveLength(1);
      expect(denied({ caller: 'scheduledJob', ...onIndex('Work') })).toEqual([]);
      expect(denied({ caller: 'api', ...onIndex('Work') })).toEqual([
        {
          caller: 'api',
          operation: 'Query',
          action: 'dynamodb:Query',
          resource: deployed.arn('dynamodb', 'table/daiban-table/index/Work'),
        },
      ]);
      expect(
        denied({
          caller: 'api',
          service: 'dynamodb',
          operation: 'Scan',
          input: { TableName: 'daiban-table' },
        }),
      ).toHaveLength(1);
    });
  });
});
