import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addDaibanStacks, type DaibanAppOptions, defaultChains } from '../../infra/aws/daiban-app.js';
import type { StatefulStack } from '../../infra/aws/stateful-stack.js';
import type { StatelessStack } from '../../infra/aws/stateless-stack.js';

export const TEST_ENV = { account: '111122223333', region: 'eu-central-1' } as const;
/** A China account and region (Ningxia); an aws-cn deployment needs an account of its own. */
export const TEST_ENV_CN = { account: '444455556666', region: 'cn-northwest-1' } as const;

export type SynthesizedDaiban = {
  app: App;
  stateful: StatefulStack;
  stateless: StatelessStack;
  statefulTemplate: Template;
  statelessTemplate: Template;
};

/**
 * Synthesizes both stacks of a test stage (NodejsFunction bundling included unless `bundle: false`: the local
 * esbuild takes well under a second per function). Call it once per test file, in `beforeAll`.
 */
export function synthDaiban(
  options: Partial<DaibanAppOptions> & { bundle?: boolean } = {},
): SynthesizedDaiban {
  const { bundle = true, ...overrides } = options;
  // An empty bundling-stacks list makes NodejsFunction skip esbuild (for tests that look at other resources).
  const app = new App(bundle ? {} : { context: { 'aws:cdk:bundling-stacks': [] } });
  const { stateful, stateless } = addDaibanStacks(app, {
    stage: 'test',
    env: TEST_ENV,
    chains: defaultChains(),
    config: { regionCode: '320115', industryCode: '39', typeCode: '01' },
    partition: 'aws',
    ...overrides,
  });
  return {
    app,
    stateful,
    stateless,
    statefulTemplate: Template.fromStack(stateful),
    statelessTemplate: Template.fromStack(stateless),
  };
}

/** The logical id a construct's CloudFormation resource has in its stack. */
export const logicalIdOf = (construct: { node: { defaultChild?: unknown } }, stack: Stack): string =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

export type PolicyStatementJson = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
};

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every IAM statement attached to a role (through AWS::IAM::Policy resources) in a template. */
export function statementsOfRole(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<
    string,
    { Properties: { Roles: unknown[]; PolicyDocument: { Statement: PolicyStatementJson[] } } }
  >;
  return Object.values(policies)
    .filter((policy) =>
      policy.Properties.Roles.some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId })),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

export const actionsOf = (statement: PolicyStatementJson): string[] => asArray(statement.Action);
export const resourcesOf = (statement: PolicyStatementJson): unknown[] => asArray(statement.Resource);
