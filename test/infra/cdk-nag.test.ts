import { App, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SynthesizedDaiban, synthDaiban, TEST_ENV, TEST_ENV_CN } from './synth-daiban.js';

/** Unacknowledged AwsSolutions findings (errors and warnings) with the constructs they are about. */
const findingsOf = (scope: App) =>
  new AwsSolutionsChecks().validateScope(scope).violations.map((violation) => ({
    rule: violation.ruleName,
    severity: violation.severity,
    resources: violation.violatingResources.map((resource) => resource.constructPath),
  }));

/** Every acknowledgement in a construct tree: the rule, where, and why. */
function acknowledgementsOf(root: IConstruct): Array<{ rule: string; path: string; reason: string }> {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([rule, reason]) => ({
          rule,
          path: construct.node.path,
          reason: typeof reason === 'string' ? reason : JSON.stringify(reason),
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  let production: SynthesizedDaiban;
  let china: SynthesizedDaiban;
  beforeAll(() => {
    production = synthDaiban({ stage: 'prod', bundle: false });
    china = synthDaiban({ stage: 'prod', partition: 'aws-cn', env: TEST_ENV_CN, bundle: false });
  });

  it('finds nothing unacknowledged in the production stacks, neither errors nor warnings', () => {
    expect(findingsOf(production.app)).toEqual([]);
  });

  it('finds nothing unacknowledged in the China partition (Ningxia) either', () => {
    expect(findingsOf(china.app)).toEqual([]);
  });

  it('acknowledges only known rules, each with a one-sentence reason', () => {
    // Act
    const acknowledgements = acknowledgementsOf(production.app);

    // Assess
    expect(new Set(acknowledgements.map((a) => a.rule.replace(/^[^:]+::/, '')))).toEqual(
      new Set([
        'AwsSolutions-IAM5[Resource::*]',
        // this stage's machines and executions, by name prefix (versions published at run time included)
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${TEST_ENV.region}:${TEST_ENV.account}:stateMachine:Daiban-prod-*]`,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${TEST_ENV.region}:${TEST_ENV.account}:execution:Daiban-prod-*:*]`,
        // the scheduler's invoke grant of the job function (and its versions)
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<ScheduledJob[0-9A-F]{8}\.Arn>:\*\]$/),
        'AwsSolutions-L1',
        'AwsSolutions-APIG4',
        'AwsSolutions-COG4',
        'AwsSolutions-SMG4',
      ]),
    );
    for (const { reason } of acknowledgements) {
      expect(reason).toMatch(/^\S.{20,}\.$/);
      expect(reason.split(/\.\s/)).toHaveLength(1);
    }
  });

  it('reports a wildcard grant as an error (the check is not vacuous)', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'Careless');
    new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(
      new PolicyStatement({ actions: ['states:*'], resources: ['*'] }),
    );

    // Act
    const findings = findingsOf(app);

    // Assess
    expect(findings).toContainEqual(
      expect.objectContaining({ rule: 'AwsSolutions-IAM5[Action::states:*]', severity: 'error' }),
    );
  });
});
