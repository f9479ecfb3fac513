import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { featuresOf, partitionFor } from '../../infra/aws/partition.js';
import { PARTITION_PLACEHOLDER } from '../../shared/workflow/asl.js';
import { type SynthesizedDaiban, synthDaiban, TEST_ENV } from './synth-daiban.js';

type Found = { path: string; value: string };

/**
 * Every string literal of a template that names a partition or an endpoint domain: `arn:aws:` (the global
 * partition written out) or `amazonaws.com` (the global endpoint domain; China's is amazonaws.com.cn). Service
 * principals (`lambda.amazonaws.com` in a policy's `Principal.Service`, or a Lambda permission's `Principal`) are
 * identifiers, not endpoints, and the same in both partitions, so they are not counted.
 */
function partitionLiterals(template: unknown): Found[] {
  const found: Found[] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (typeof value === 'string') {
      const principal =
        path.at(-2) === 'Principal' ||
        (path.at(-3) === 'Principal' && path.at(-2) === 'Service') ||
        (path.at(-2) === 'Service' && path.includes('Principal')) ||
        (path.at(-1) === 'Principal' && path.includes('Properties'));
      if ((value.includes('arn:aws:') || value.includes('amazonaws.com')) && !principal) {
        found.push({ path: path.join('.'), value: value.slice(0, 200) });
      }
      return;
    }
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(item, [...path, String(i)]);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    }
  };
  walk(template, []);
  return found;
}

const resourceTypes = (synth: SynthesizedDaiban): string[] =>
  [synth.statefulTemplate, synth.statelessTemplate].flatMap((t) =>
    Object.values((t.toJSON().Resources ?? {}) as Record<string, { Type: string }>).map((r) => r.Type),
  );

type FunctionProps = {
  Architectures: string[];
  TracingConfig?: unknown;
  Environment: { Variables: Record<string, unknown> };
};
const functionsOf = (synth: SynthesizedDaiban): FunctionProps[] =>
  Object.values(synth.statelessTemplate.findResources('AWS::Lambda::Function')).map(
    (f) => (f as { Properties: FunctionProps }).Properties,
  );

const DEPLOYMENTS = {
  global: { partition: 'aws', env: TEST_ENV },
  beijing: { partition: 'aws-cn', env: { account: '444455556666', region: 'cn-north-1' } },
  ningxia: { partition: 'aws-cn', env: { account: '444455556666', region: 'cn-northwest-1' } },
  'aws-cn, region from the CLI at deploy time': { partition: 'aws-cn', env: undefined },
} as const;

describe('both partitions', () => {
  const synths = {} as Record<keyof typeof DEPLOYMENTS, SynthesizedDaiban>;
  beforeAll(() => {
    for (const [name, { partition, env }] of Object.entries(DEPLOYMENTS)) {
      synths[name as keyof typeof DEPLOYMENTS] = synthDaiban({ partition, env, bundle: false });
    }
  });

  it.each(Object.keys(DEPLOYMENTS))(
    '%s: no ARN partition or endpoint domain is written out in either stack',
    (name) => {
      // Prepare
      const synth = synths[name as keyof typeof DEPLOYMENTS];

      // Act
      const found = [synth.statefulTemplate, synth.statelessTemplate].flatMap((t) =>
        partitionLiterals(t.toJSON()),
      );

      // Assess
      expect(found).toEqual([]);
    },
  );

  it('the scan is not vacuous: it finds a written-out ARN and endpoint, and lets service principals be', () => {
    // Act
    const found = partitionLiterals({
      Resources: {
        Role: {
          Properties: {
            AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] },
            Arn: 'arn:aws:states:::lambda:invoke',
            Url: 'https://abc.execute-api.cn-north-1.amazonaws.com.cn/',
          },
        },
      },
    });

    // Assess
    expect(found.map((f) => f.path)).toEqual([
      'Resources.Role.Properties.Arn',
      'Resources.Role.Properties.Url',
    ]);
  });

  it.each(Object.keys(DEPLOYMENTS))(
    '%s: no Cognito resource at all (sign-in is the product’s own)',
    (name) => {
      expect(
        resourceTypes(synths[name as keyof typeof DEPLOYMENTS]).filter((t) => t.includes('Cognito')),
      ).toEqual([]);
    },
  );

  it('fills the state machines’ service-integration ARNs with the stack’s partition', () => {
    for (const synth of Object.values(synths)) {
      const machine = Object.values(
        synth.statelessTemplate.findResources('AWS::StepFunctions::StateMachine'),
      )[0] as {
        Properties: { DefinitionString: unknown; DefinitionSubstitutions: Record<string, unknown> };
      };
      expect(JSON.stringify(machine.Properties.DefinitionString)).toContain(
        `arn:\${${PARTITION_PLACEHOLDER}}:states:::lambda:invoke`,
      );
      expect(machine.Properties.DefinitionSubstitutions[PARTITION_PLACEHOLDER]).toEqual({
        Ref: 'AWS::Partition',
      });
    }
  });

  it('global: EventBridge Scheduler, Graviton and X-Ray', () => {
    // Prepare
    const synth = synths.global;

    // Assess
    synth.statelessTemplate.resourceCountIs('AWS::Scheduler::Schedule', 1);
    for (const fn of functionsOf(synth)) {
      expect(fn.Architectures).toEqual(['arm64']);
      expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Environment.Variables.AWS_PARTITION).toEqual({ Ref: 'AWS::Partition' });
    }
  });

  it.each(['beijing', 'ningxia'] as const)(
    '%s: a schedule rule instead of EventBridge Scheduler, x86_64, no Lambda X-Ray, the same every-minute job',
    (name) => {
      // Prepare
      const synth = synths[name];

      // Assess
      synth.statelessTemplate.resourceCountIs('AWS::Scheduler::Schedule', 0);
      synth.statelessTemplate.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
      });
      for (const fn of functionsOf(synth)) {
        expect(fn.Architectures).toEqual(['x86_64']);
        expect(fn.TracingConfig).toBeUndefined();
        expect(fn.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
      }
      synth.statelessTemplate.resourceCountIs('AWS::SecretsManager::Secret', 0);
      synth.statefulTemplate.resourceCountIs('AWS::SecretsManager::Secret', 2);
    },
  );
});

describe('the partition of a deployment', () => {
  it('follows the region, and refuses a partition that contradicts it', () => {
    expect(partitionFor('cn-north-1', undefined)).toBe('aws-cn');
    expect(partitionFor('cn-northwest-1', 'aws-cn')).toBe('aws-cn');
    expect(partitionFor('eu-central-1', undefined)).toBe('aws');
    expect(partitionFor(undefined, 'aws-cn')).toBe('aws-cn');
    expect(partitionFor(undefined, undefined)).toBe('aws');
    expect(() => partitionFor('eu-central-1', 'aws-cn')).toThrow(/eu-central-1 is in the aws partition/);
    expect(() => partitionFor('cn-north-1', 'aws')).toThrow(/cn-north-1 is in the aws-cn partition/);
    expect(() => partitionFor('cn-north-1', 'aws-us-gov')).toThrow(/must be one of aws, aws-cn/);
    expect(featuresOf('aws-cn')).toMatchObject({ eventBridgeScheduler: false, lambdaXRay: false });
  });

  it('comes from the CDK context (-c partition=aws-cn -c region=cn-northwest-1)', async () => {
    // Prepare
    const { appOptionsFromContext } = await import('../../infra/aws/daiban-app.js');
    const app = new App({ context: { partition: 'aws-cn', region: 'cn-northwest-1' } });

    // Act
    const options = appOptionsFromContext(app);

    // Assess
    expect(options.partition).toBe('aws-cn');
    expect(options.env?.region).toBe('cn-northwest-1');
  });
});
