import { App, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SynthesizedDaiban, synthDaiban } from './synth-daiban.js';

/** Unacknowledged AwsSolutions findings (errors and warnings) with the constructs they are about. */
const findingsOf = (scope: App) =>
  new AwsSolutionsChecks().validateScope(scope).violations.map((violation) => ({
    rule: violation.ruleName,
    severity: violation.severity,
    resources: violation.violatingResources.map((resource) => resource.constructPath),
  }));

describe('cdk-nag AwsSolutions', () => {
  let production: SynthesizedDaiban;
  let demo: SynthesizedDaiban;
  beforeAll(() => {
    production = synthDaiban({ stage: 'prod', mfa: 'required', bundle: false });
    demo = synthDaiban({ stage: 'demo', mfa: 'optional', bundle: false });
  });

  it('finds nothing unacknowledged in the production stacks, neither errors nor warnings', () => {
    expect(findingsOf(production.app)).toEqual([]);
  });

  it('finds nothing unacknowledged in a stage with optional MFA', () => {
    expect(findingsOf(demo.app)).toEqual([]);
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
