import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_ROUTES } from '../../infra/aws/constructs/daiban-http-api.js';
import {
  actionsOf,
  logicalIdOf,
  type PolicyStatementJson,
  resourcesOf,
  type SynthesizedDaiban,
  statementsOfRole,
  synthDaiban,
  TEST_ENV,
} from './synth-daiban.js';

let synth: SynthesizedDaiban;
// bundling the four functions takes well under a minute, but longer than a hook's default on a loaded machine
beforeAll(() => {
  synth = synthDaiban();
}, 240_000);

type FunctionName = 'api' | 'callbackTask' | 'finishStage' | 'scheduledJob';
const FUNCTION_NAMES: FunctionName[] = ['api', 'callbackTask', 'finishStage', 'scheduledJob'];

const functionResource = (name: FunctionName) => {
  const id = logicalIdOf(synth.stateless.functions[name], synth.stateless);
  return synth.statelessTemplate.findResources('AWS::Lambda::Function')[id] as {
    Properties: {
      Runtime: string;
      Architectures: string[];
      TracingConfig: { Mode: string };
      Environment: { Variables: Record<string, unknown> };
      Role: { 'Fn::GetAtt': [string, string] };
      LoggingConfig: Record<string, unknown>;
    };
  };
};

const statementsOf = (name: FunctionName): PolicyStatementJson[] =>
  statementsOfRole(synth.statelessTemplate, functionResource(name).Properties.Role['Fn::GetAtt'][0]);

const onlyStateMachine = () => {
  // the machine of the current reference chain (every version has one; they share role, logs and naming)
  const workflow = synth.stateless.workflows.machines.find((m) => m.chainKey === 'industrial-enterprise@2');
  if (!workflow) throw new Error('expected the machine of industrial-enterprise@2');
  const id = logicalIdOf(workflow.stateMachine, synth.stateless);
  const resource = synth.statelessTemplate.findResources('AWS::StepFunctions::StateMachine')[id] as {
    Properties: { StateMachineName: string; RoleArn: { 'Fn::GetAtt': [string, string] } };
  };
  return { workflow, id, resource };
};

/** An ARN of this test account and region, e.g. `stateMachine:Daiban-test-*`. */
const arnOf = (resource: string) => ({
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, `:states:${TEST_ENV.region}:${TEST_ENV.account}:${resource}`],
  ],
});
const MACHINES = arnOf('stateMachine:Daiban-test-*');
const EXECUTIONS = arnOf('execution:Daiban-test-*:*');

describe('the Lambda functions', () => {
  it.each(FUNCTION_NAMES)('%s runs on Node 22, ARM64, with X-Ray tracing and source maps', (name) => {
    // Act
    const { Properties } = functionResource(name);

    // Assess
    expect(Properties.Runtime).toBe('nodejs22.x');
    expect(Properties.Architectures).toEqual(['arm64']);
    expect(Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(Properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON' });
    expect(Properties).not.toHaveProperty('FunctionName');
  });

  it.each(FUNCTION_NAMES)('%s knows the table and where the state machines are', (name) => {
    // Act
    const variables = functionResource(name).Properties.Environment.Variables;

    // Assess
    expect(variables.TABLE_NAME).toEqual({
      'Fn::ImportValue': expect.stringContaining('Daiban-test-Stateful'),
    });
    expect(variables.STATE_MACHINE_NAME_PREFIX).toBe('Daiban-test-');
    expect(variables.AWS_ACCOUNT_ID).toBe(TEST_ENV.account);
    expect(variables.DAIBAN_TIME_ZONE).toBe('Asia/Shanghai');
  });

  it("names the reference chain's state machine by the rule the code finds it with", () => {
    expect(onlyStateMachine().resource.Properties.StateMachineName).toBe(
      'Daiban-test-industrial-enterprise-v2',
    );
  });
});

describe('least privilege', () => {
  it('lets no role use a service-wide action wildcard', () => {
    // Act
    const policies = Object.values(synth.statelessTemplate.findResources('AWS::IAM::Policy')) as Array<{
      Properties: { PolicyDocument: { Statement: PolicyStatementJson[] } };
    }>;
    const actions = policies.flatMap((policy) =>
      policy.Properties.PolicyDocument.Statement.flatMap(actionsOf),
    );

    // Assess
    expect(actions.filter((action) => action.endsWith(':*') || action === '*')).toEqual([]);
    expect(synth.statelessTemplate.findResources('AWS::IAM::ManagedPolicy')).toEqual({});
  });

  // a commit's ConditionCheck items are authorized as ConditionCheckItem; the job scans once to upgrade a layout;
  // the sweep (the job's, or the API's run on the local runtime's way) writes its inbox lines with BatchWriteItem
  const WRITES = [
    'GetItem',
    'BatchGetItem',
    'Query',
    'PutItem',
    'UpdateItem',
    'DeleteItem',
    'ConditionCheckItem',
  ];
  it.each([
    ['api', [...WRITES, 'BatchWriteItem'], ['GSI1', 'GSI2', 'GSI3', 'GSI4']],
    ['callbackTask', WRITES, []],
    ['finishStage', WRITES, []],
    ['scheduledJob', [...WRITES, 'BatchWriteItem', 'Scan'], ['GSI1', 'GSI2', 'Work']],
  ] as const)('%s gets only the table actions it uses', (name, tableActions, indexes) => {
    // Act
    const statements = statementsOf(name).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const onTable = statements.filter((s) => resourcesOf(s).some((r) => 'Fn::ImportValue' in (r as object)));
    const onIndexes = statements.filter((s) => !onTable.includes(s));

    // Assess
    expect(onTable.flatMap(actionsOf).sort()).toEqual(tableActions.map((a) => `dynamodb:${a}`).sort());
    const indexResources = onIndexes.flatMap(resourcesOf).map((r) => JSON.stringify(r));
    expect(indexResources).toHaveLength(indexes.length);
    for (const index of indexes) {
      expect(indexResources.some((r) => r.endsWith(`"/index/${index}"]]}`))).toBe(true);
    }
    expect(onIndexes.flatMap(actionsOf).every((a) => a === 'dynamodb:Query')).toBe(true);
    expect(JSON.stringify(statements)).not.toContain('index/*');
  });

  it('lets the state machines invoke exactly the two task functions, unqualified', () => {
    // Prepare
    const { resource } = onlyStateMachine();
    const callbackTask = logicalIdOf(synth.stateless.functions.callbackTask, synth.stateless);
    const finishStage = logicalIdOf(synth.stateless.functions.finishStage, synth.stateless);

    // Act
    const invoke = statementsOfRole(
      synth.statelessTemplate,
      resource.Properties.RoleArn['Fn::GetAtt'][0],
    ).filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));

    // Assess
    expect(invoke).toHaveLength(1);
    expect(resourcesOf(invoke[0] as PolicyStatementJson)).toEqual([
      { 'Fn::GetAtt': [callbackTask, 'Arn'] },
      { 'Fn::GetAtt': [finishStage, 'Arn'] },
    ]);
  });
});

describe('the scheduled job', () => {
  it.each(['api', 'callbackTask', 'finishStage', 'scheduledJob'] as const)(
    '%s relays notices: it may put events on its own bus and publish to its own alerts topic, nothing else',
    (name) => {
      // Prepare
      const bus = logicalIdOf(synth.stateless.bus, synth.stateless);
      const topic = logicalIdOf(synth.stateless.alerts, synth.stateless);
      const touches = (s: PolicyStatementJson) =>
        actionsOf(s).some((a) => a.startsWith('events:') || a.startsWith('sns:'));

      // Act
      const statements = statementsOf(name).filter(touches);

      // Assess
      expect(statements.map((s) => [actionsOf(s), resourcesOf(s)])).toEqual(
        expect.arrayContaining([
          [['events:PutEvents'], [{ 'Fn::GetAtt': [bus, 'Arn'] }]],
          [['sns:Publish'], [{ Ref: topic }]],
        ]),
      );
      expect(statements).toHaveLength(2);
      const variables = functionResource(name).Properties.Environment.Variables;
      expect(variables.EVENT_BUS_NAME).toEqual({ Ref: bus });
      expect(variables.ALERT_TOPIC_ARN).toEqual({ Ref: topic });
    },
  );

  it('runs every minute on EventBridge Scheduler, through a role that may invoke only it', () => {
    // Prepare
    const job = logicalIdOf(synth.stateless.functions.scheduledJob, synth.stateless);

    // Assess
    synth.statelessTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [job, 'Arn'] },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
      }),
    });
  });

  it('hears of every execution of this stage that fails, times out or is aborted', () => {
    // Prepare
    const job = logicalIdOf(synth.stateless.functions.scheduledJob, synth.stateless);

    // Assess
    synth.statelessTemplate.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: Match.objectLike({ status: ['FAILED', 'TIMED_OUT', 'ABORTED'] }),
      }),
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [job, 'Arn'] } })],
    });
  });
});

describe('the HTTP API', () => {
  it('serves the $default stage with access logs and throttling', () => {
    synth.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
    });
  });

  it("has no authorizer: the app verifies the product's own tokens itself", () => {
    synth.statelessTemplate.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
  });

  it('sends every route to the app without an API Gateway authorizer, pages and sign-in included', () => {
    // Act
    const routes = Object.values(synth.statelessTemplate.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => (route as { Properties: { RouteKey: string; AuthorizationType?: string } }).Properties,
    );

    // Assess
    const byKey = Object.fromEntries(routes.map((route) => [route.RouteKey, route.AuthorizationType]));
    expect(byKey).toEqual(Object.fromEntries(APP_ROUTES.map((path) => [`ANY ${path}`, 'NONE'])));
  });
});

describe('the session token signing key', () => {
  it('is read by the API function only, from the secret the stateful stack generated', () => {
    // Prepare
    const reads = (s: PolicyStatementJson) => actionsOf(s).some((a) => a.startsWith('secretsmanager:'));

    const signingKey = (s: PolicyStatementJson) => reads(s) && JSON.stringify(s).includes('SigningKey');

    // Act
    const api = statementsOf('api').filter(signingKey);
    const others = (['callbackTask', 'finishStage', 'scheduledJob'] as const).flatMap((name) =>
      statementsOf(name).filter(signingKey),
    );

    // Assess
    expect(api).toHaveLength(1);
    expect(actionsOf(api[0] as PolicyStatementJson).sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    expect(resourcesOf(api[0] as PolicyStatementJson)).toEqual([
      { 'Fn::ImportValue': expect.stringMatching(/^Daiban-test-Stateful:.*SigningKey/) },
    ]);
    expect(others).toEqual([]);
    expect(functionResource('api').Properties.Environment.Variables.SIGNING_KEY_SECRET_ARN).toEqual({
      'Fn::ImportValue': expect.stringMatching(/^Daiban-test-Stateful:.*SigningKey/),
    });
    expect(functionResource('callbackTask').Properties.Environment.Variables).not.toHaveProperty(
      'SIGNING_KEY_SECRET_ARN',
    );
  });
});

describe('the page-cursor key', () => {
  it('is read at cold start by the API function and the scheduled job only, from a generated secret', () => {
    // Prepare
    const cursorKey = (s: PolicyStatementJson) =>
      actionsOf(s).some((a) => a.startsWith('secretsmanager:')) && JSON.stringify(s).includes('CursorKey');
    const importOfCursorKey = {
      'Fn::ImportValue': expect.stringMatching(/^Daiban-test-Stateful:.*CursorKey/),
    };

    // Act
    const readers = (['api', 'callbackTask', 'finishStage', 'scheduledJob'] as const).filter(
      (name) => statementsOf(name).filter(cursorKey).length > 0,
    );

    // Assess
    expect(readers).toEqual(['api', 'scheduledJob']);
    for (const name of readers) {
      const [statement, ...more] = statementsOf(name).filter(cursorKey);
      expect(more).toEqual([]);
      expect(actionsOf(statement as PolicyStatementJson).sort()).toEqual([
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ]);
      expect(resourcesOf(statement as PolicyStatementJson)).toEqual([importOfCursorKey]);
      expect(functionResource(name).Properties.Environment.Variables.CURSOR_KEY_SECRET_ARN).toEqual(
        importOfCursorKey,
      );
      // the key itself is never in the template
      expect(functionResource(name).Properties.Environment.Variables).not.toHaveProperty(
        'CURSOR_SIGNING_KEY',
      );
    }
    expect(functionResource('finishStage').Properties.Environment.Variables).not.toHaveProperty(
      'CURSOR_KEY_SECRET_ARN',
    );
  });
});

describe('monitoring', () => {
  it('alarms on failed executions of the state machine', () => {
    // Prepare
    const { id } = onlyStateMachine();

    // Assess
    synth.statelessTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: id } }],
      Threshold: 1,
    });
  });

  it.each(FUNCTION_NAMES)('alarms on errors of %s', (name) => {
    synth.statelessTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [
        {
          Name: 'FunctionName',
          Value: { Ref: logicalIdOf(synth.stateless.functions[name], synth.stateless) },
        },
      ],
    });
  });

  it('alarms on timed-out executions of the state machine', () => {
    // Prepare
    const { id } = onlyStateMachine();

    // Assess
    synth.statelessTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsTimedOut',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: id } }],
    });
  });

  it('alarms on signals pending too long, on a failing sweep and on a sweep that stopped running', () => {
    // Assess
    const daiban = { Namespace: 'Daiban', Dimensions: [{ Name: 'service', Value: 'daiban' }] };
    synth.statelessTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...daiban,
      MetricName: 'SignalsPending',
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    synth.statelessTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...daiban,
      MetricName: 'SweepFailures',
    });
    synth.statelessTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...daiban,
      MetricName: 'SweepDuration',
      Statistic: 'SampleCount',
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('has a dashboard', () => {
    synth.statelessTemplate.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});
