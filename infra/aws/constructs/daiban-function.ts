import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** Repository root, so entries are found wherever `cdk` or the tests run from. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The memory every Daiban function gets; the cost model (`npm run cost`) assumes the same. */
export const DAIBAN_FUNCTION_MEMORY_MB = 256;

export type DaibanFunctionProps = {
  /** entry file relative to the repository root, e.g. `functions/api/handler.ts` (exports `handler`) */
  entry: string;
  description: string;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  /** RETAIN in production (logs are part of the audit trail), DESTROY elsewhere. */
  logRemovalPolicy: RemovalPolicy;
  timeout?: Duration;
  /** X-Ray active tracing (default on; off in the China regions, where Lambda has no X-Ray) */
  tracing?: boolean;
  /** Graviton (default) or x86_64 (the China regions) */
  arm64?: boolean;
};

/**
 * A Daiban Lambda function: Node 22 on ARM64 (Graviton; x86_64 in the China regions), bundled by the local esbuild into one ESM file with
 * source maps (and `--enable-source-maps` so stack traces point at the TypeScript), JSON logs in its own log
 * group with a retention, X-Ray active tracing (where Lambda has it). Its role starts empty: it may only write its own logs (no AWS
 * managed policy); callers add exactly what the handler uses.
 *
 * Tracing is switched on below rather than with `tracing: Tracing.ACTIVE`, which would put X-Ray's `Resource: *`
 * into the role's default policy: there a cdk-nag acknowledgement of `*` would also hide any future wildcard
 * grant. The X-Ray statement lives in its own policy, and only that policy carries the acknowledgement.
 */
export class DaibanFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: DaibanFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Daiban ${id}: writes its own logs; table and workflow access granted explicitly`,
    });
    super(scope, id, {
      entry: `${REPO_ROOT}${props.entry}`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: props.arm64 === false ? Architecture.X86_64 : Architecture.ARM_64,
      memorySize: DAIBAN_FUNCTION_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(30),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        // Local esbuild (devDependency) only: synthesis needs neither Docker nor the network.
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        logLevel: LogLevel.WARNING,
        // Ship the pinned SDK versions the code was tested with rather than the runtime's.
        bundleAwsSDK: true,
        // Some bundled dependencies are CommonJS and call require(): give the ESM bundle one.
        banner:
          "import { createRequire as __daibanCreateRequire } from 'node:module'; const require = __daibanCreateRequire(import.meta.url);",
      },
    });
    // The function's log group is its own: write access to exactly that group, no managed policy.
    logGroup.grantWrite(role);
    if (props.tracing !== false) {
      (this.node.defaultChild as CfnFunction).tracingConfig = { mode: 'Active' };
      const xray = new Policy(scope, `${id}XRayPolicy`, {
        roles: [role],
        statements: [
          new PolicyStatement({
            actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
            resources: ['*'],
          }),
        ],
      });
      // The function must not start before it may send traces.
      this.node.addDependency(xray);
      Validations.of(xray).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions.',
      });
    }
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime Daiban is built and tested for (DESIGN.md); upgrades are deliberate.',
    });
  }
}
