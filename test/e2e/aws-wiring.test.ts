import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  ExecutionDoesNotExist,
  SFNClient,
  StateMachineDoesNotExist,
  TaskDoesNotExist,
} from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { awsDynamoClient, createAwsContext, withSecrets } from '../../functions/commons/aws-context.js';
import { SecretsManagerSigningKey } from '../../functions/commons/secrets-manager-signing-key.js';
import { eventBridgeSweepStarter } from '../../functions/commons/sweep-job-starter.js';
import { createAdmin } from '../../infra/aws/create-admin.js';
import { type ApiCaller, driveOverHttp, type ProjectView } from '../../infra/local/drive-over-http.js';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.js';
import { seedReferenceData, seedUsers } from '../../infra/local/seed-reference.js';
import { type Clock, ManualClock } from '../../shared/app/clock.js';
import { silentLogger } from '../../shared/app/logger.js';
import { ScryptPasswordHasher } from '../../shared/auth/scrypt-password-hasher.js';
import { IMPORT_JOB_QUEUED } from '../../shared/domain/import-job.js';
import { sampleImportCsv } from '../../shared/domain/project-import-sample.js';
import { referenceChain } from '../../shared/domain/reference/industrial-chain.js';
import { chinaDate } from '../../shared/domain/working-days.js';
import { LocalWorkflowEngine } from '../../shared/engine/local-engine.js';
import { ensureTable } from '../../shared/store/create-table.js';
import { DynamoDaibanStore } from '../../shared/store/dynamo-store.js';
import { PARTITION_PLACEHOLDER } from '../../shared/workflow/asl.js';
import {
  AslSubstitutions,
  type CallbackTaskInput,
  type FinishStageInput,
} from '../../shared/workflow/task-contract.js';
import { answeringInProcess, recordingDynamo } from '../infra/aws-fakes.js';
import { type AwsRequest, deniedRequests } from '../infra/aws-requests.js';
import { type CfnTemplate, DeployedTemplates } from '../infra/iam-policy.js';
import { synthDaiban, TEST_ENV } from '../infra/synth-daiban.js';
import { projectRegistration } from '../support/fixtures.js';

/**
 * Daiban on AWS, run on this machine: the stacks are synthesized, and every Lambda function is its entry point's
 * handler with the environment its template gives it, on DynamoDB Local. The state machines are the templates'
 * definitions run by the local engine, whose Lambda tasks invoke the functions the definitions name. Step
 * Functions' API, Secrets Manager, EventBridge and SNS answer in process; every request any function makes (and
 * every invocation a machine makes) is checked against what its role's policies in the template allow.
 */

const PASSWORD = 'aws-wiring-password-1';
const fakeCredentials = {
  AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
};
const PLACE = { partition: 'aws', region: TEST_ENV.region, account: TEST_ENV.account };

type LambdaResult = {
  statusCode: number;
  body: string;
  headers?: Record<string, string>;
  cookies?: string[];
};

/** An HTTP API (payload 2.0) event for the route the template sends it to (no authorizer: none is deployed). */
function httpApiEvent(
  routeKey: string,
  method: string,
  pathAndQuery: string,
  options: { token?: string; body?: unknown } = {},
): LambdaEvent {
  const [path = '/', query = ''] = pathAndQuery.split('?');
  const now = new Date();
  const domainName = `abc123.execute-api.${TEST_ENV.region}.amazonaws.com`;
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: query,
    headers: {
      host: domainName,
      'content-type': 'application/json',
      'x-forwarded-proto': 'https',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    ...(query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) } : {}),
    requestContext: {
      accountId: TEST_ENV.account,
      apiId: 'abc123',
      domainName,
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'aws-wiring' },
      requestId: `req-${now.getTime()}-${Math.random().toString(36).slice(2)}`,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    isBase64Encoded: false,
  };
  return event as unknown as LambdaEvent;
}

const logicalIdOf = (stack: Stack, construct: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

describe('Daiban on AWS, wired as the templates deploy it', () => {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `aws-wiring-${process.pid}-${Date.now()}`;
  const requests: AwsRequest[] = [];
  const failedExecutions: string[] = [];
  const clients: Array<{ destroy(): void }> = [];
  let deployed: DeployedTemplates;
  let roles: Record<string, string>;
  let engine: LocalWorkflowEngine;
  /** execution name → its state machine's ARN (as Step Functions knows which machine a token belongs to) */
  const machineOfExecution = new Map<string, string>();
  let api: (event: LambdaEvent) => Promise<LambdaResult>;
  let scheduledJob: (event: unknown) => Promise<unknown>;
  let jobFunctionArn: string;
  let busName: string;
  let scheduledJobLater: (event: unknown) => Promise<unknown>;
  let schedulerEvent: Record<string, unknown>;
  let routeKeys: string[];
  let synthStateless: ReturnType<typeof synthDaiban>['stateless'];
  const tokens = new Map<string, string>();

  const machineOfToken = (taskToken: string): string => {
    const execution = /^local:([^:]+):/.exec(taskToken)?.[1] ?? '';
    const machine = machineOfExecution.get(execution);
    if (!machine) throw new Error(`a token of no known execution: ${taskToken}`);
    return machine;
  };

  /** What API Gateway routes a request to, from the template's routes (`ANY /` and `ANY /{proxy+}`). */
  const routeOf = (path: string): string => {
    const route = path === '/' ? 'ANY /' : 'ANY /{proxy+}';
    if (!routeKeys.includes(route)) throw new Error(`the HTTP API has no route ${route}`);
    return route;
  };

  const call = async (method: string, path: string, options: { token?: string; body?: unknown } = {}) => {
    const result = await api(httpApiEvent(routeOf(path.split('?')[0] ?? '/'), method, path, options));
    return { status: result.statusCode, body: result.body ? (JSON.parse(result.body) as any) : undefined };
  };

  /** Signs in by password through the API function (POST /auth/login), once per user. */
  const tokenOf = async (userId: string): Promise<string> => {
    const known = tokens.get(userId);
    if (known) return known;
    const signedIn = await call('POST', '/auth/login', { body: { userId, password: PASSWORD } });
    if (signedIn.status !== 200)
      throw new Error(`sign-in of ${userId}: ${signedIn.status} ${JSON.stringify(signedIn.body)}`);
    tokens.set(userId, String(signedIn.body.token));
    return String(signedIn.body.token);
  };

  const asUser: ApiCaller = {
    call: async <T>(method: string, path: string, as?: string, body?: unknown) => {
      const response = await call(method, path, { ...(as ? { token: await tokenOf(as) } : {}), body });
      return response as { status: number; body: T };
    },
  };

  beforeAll(async () => {
    // Prepare: the stacks as `cdk deploy` would deploy them, resolved to one deployment's names
    const synth = synthDaiban({ bundle: false });
    const tableId = logicalIdOf(synth.stateful, synth.stateful.table);
    deployed = new DeployedTemplates(
      [synth.statefulTemplate.toJSON() as CfnTemplate, synth.statelessTemplate.toJSON() as CfnTemplate],
      PLACE,
      { [tableId]: tableName },
    );
    const { stateless } = synth;
    synthStateless = stateless;
    const functions = stateless.functions;
    roles = {
      ...Object.fromEntries(
        Object.entries(functions).map(([key, fn]) => [key, logicalIdOf(stateless, fn.role as never)]),
      ),
      Workflows: logicalIdOf(stateless, stateless.workflows.role as never),
    };
    // every route goes to the API function, with payload 2.0 (the events below), and no authorizer
    const integrations = deployed.resourcesOfType('AWS::ApiGatewayV2::Integration');
    expect(
      integrations.map(([, i]) => [
        deployed.string(i.Properties?.IntegrationUri),
        i.Properties?.PayloadFormatVersion,
      ]),
    ).toEqual([[deployed.arn('lambda', `function:${logicalIdOf(stateless, functions.api)}`), '2.0']]);
    for (const [, route] of deployed.resourcesOfType('AWS::ApiGatewayV2::Route')) {
      expect(route.Properties?.AuthorizationType ?? 'NONE').toBe('NONE');
    }
    routeKeys = deployed
      .resourcesOfType('AWS::ApiGatewayV2::Route')
      .map(([, route]) => String(route.Properties?.RouteKey));

    // The data an operator loads (infra/aws/load-reference-data.ts) and the first admin (create-admin.ts)
    const dynamo = awsDynamoClient({ ...LOCAL_AWS, endpoint });
    clients.push(dynamo);
    await ensureTable(dynamo, tableName);
    const operatorStore = new DynamoDaibanStore(
      DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
      tableName,
    );
    await seedReferenceData(operatorStore);
    await createAdmin(operatorStore, new ScryptPasswordHasher(), {
      userId: 'admin',
      name: '系统管理员',
      password: PASSWORD,
    });

    // The secrets as Secrets Manager holds them, by ARN (the stateful stack generates them)
    const secrets = new Map(
      deployed
        .resourcesOfType('AWS::SecretsManager::Secret')
        .map(([id], index) => [
          deployed.arn('secretsmanager', `secret:${id}-AbCdEf`),
          `S${index}`.padEnd(64, 'x7Q'),
        ]),
    );

    // The state machines: each template definition, its partition filled; its functions by the ARNs substituted
    const machines = deployed.resourcesOfType('AWS::StepFunctions::StateMachine').map(([id, resource]) => {
      const substitutions = deployed.resolve(resource.Properties?.DefinitionSubstitutions) as Record<
        string,
        string
      >;
      const definition = deployed
        .string(resource.Properties?.DefinitionString)
        .replaceAll(`\${${PARTITION_PLACEHOLDER}}`, String(substitutions[PARTITION_PLACEHOLDER]));
      const name = String(resource.Properties?.StateMachineName);
      const workflow = stateless.workflows.machines.find((m) => m.stateMachineName === name);
      if (!workflow) throw new Error(`no chain for the machine ${id}`);
      return {
        arn: deployed.arn('states', `stateMachine:${name}`),
        name,
        chainKey: workflow.chainKey,
        definition,
        substitutions,
      };
    });
    const machineByArn = new Map(machines.map((m) => [m.arn, m]));
    const invokedBy = (machine: (typeof machines)[number]) => ({
      callback: machine.substitutions[AslSubstitutions.callbackTaskFunctionArn],
      finish: machine.substitutions[AslSubstitutions.finishStageFunctionArn],
    });
    engine = new LocalWorkflowEngine({
      definitions: Object.fromEntries(machines.map((m) => [m.chainKey, m.definition])),
      retryDelayMs: 5,
      onExecutionFailed: (execution, error) => failedExecutions.push(`${execution.name}: ${String(error)}`),
    });

    /** The SDK clients of one function: DynamoDB Local (recorded), the rest answered in process (recorded). */
    const sdkOf = (caller: string) => {
      const sfn = answeringInProcess(
        new SFNClient(LOCAL_AWS),
        caller,
        'states',
        requests,
        async (operation, input) => {
          switch (operation) {
            case 'StartExecution': {
              const machine = machineByArn.get(String(input.stateMachineArn));
              if (!machine)
                throw new StateMachineDoesNotExist({ message: String(input.stateMachineArn), $metadata: {} });
              machineOfExecution.set(String(input.name), machine.arn);
              await engine.startExecution({
                name: String(input.name),
                chainKey: machine.chainKey,
                input: JSON.parse(String(input.input)),
              });
              return {
                executionArn: `${machine.arn.replace(':stateMachine:', ':execution:')}:${input.name}`,
                startDate: new Date(),
              };
            }
            case 'DescribeStateMachine': {
              const machine = machineByArn.get(String(input.stateMachineArn));
              if (!machine)
                throw new StateMachineDoesNotExist({ message: String(input.stateMachineArn), $metadata: {} });
              return { stateMachineArn: machine.arn, name: machine.name, status: 'ACTIVE' };
            }
            case 'DescribeExecution':
            case 'StopExecution': {
              const arn = String(input.executionArn);
              const [machineName = '', name = ''] = arn.split(':execution:')[1]?.split(':') ?? [];
              const machine = machines.find((m) => m.name === machineName);
              if (!machine) throw new ExecutionDoesNotExist({ message: arn, $metadata: {} });
              const request = { name, chainKey: machine.chainKey };
              const status = await engine.describeExecution(request);
              if (status === 'NOT_FOUND') throw new ExecutionDoesNotExist({ message: arn, $metadata: {} });
              if (operation === 'StopExecution') {
                await engine.stopExecution(request);
                return { stopDate: new Date() };
              }
              return { executionArn: arn, stateMachineArn: machine.arn, status, startDate: new Date() };
            }
            case 'SendTaskSuccess':
            case 'SendTaskFailure': {
              const token = String(input.taskToken);
              const delivered =
                operation === 'SendTaskSuccess'
                  ? await engine.sendTaskSuccess(token, JSON.parse(String(input.output)))
                  : await engine.sendTaskFailure(token, String(input.error), String(input.cause));
              if (!delivered)
                throw new TaskDoesNotExist({ message: 'Task does not exist anymore', $metadata: {} });
              return {};
            }
            default:
              throw new Error(`Step Functions ${operation} is not answered here`);
          }
        },
      );
      const secretsManager = answeringInProcess(
        new SecretsManagerClient(LOCAL_AWS),
        caller,
        'secretsmanager',
        requests,
        (operation, input) => {
          const value = secrets.get(String(input.SecretId));
          if (operation !== 'GetSecretValue' || value === undefined) {
            throw new ResourceNotFoundException({ message: `${operation} ${input.SecretId}`, $metadata: {} });
          }
          return { ARN: input.SecretId, SecretString: value, VersionId: 'v1' };
        },
      );
      const eventBridge = answeringInProcess(
        new EventBridgeClient(LOCAL_AWS),
        caller,
        'events',
        requests,
        (_op, input) => ({
          FailedEntryCount: 0,
          Entries: (input.Entries as unknown[]).map((_, i) => ({ EventId: `event-${i}` })),
        }),
      );
      const sns = answeringInProcess(new SNSClient(LOCAL_AWS), caller, 'sns', requests, () => ({
        MessageId: 'message-1',
      }));
      const functionDynamo = recordingDynamo(awsDynamoClient({ ...LOCAL_AWS, endpoint }), caller, requests);
      clients.push(sfn, secretsManager, eventBridge, sns, functionDynamo);
      return { dynamo: functionDynamo as DynamoDBClient, sfn, eventBridge, sns, secretsManager };
    };

    /** A function's context from the environment its template sets (AWS_REGION is set by Lambda itself). */
    const contextOf = async (caller: keyof typeof functions, clock?: Clock) => {
      const resource = deployed.resource(logicalIdOf(stateless, functions[caller]));
      const env: Record<string, string> = {
        ...(deployed.resolve(resource.Properties?.Environment?.Variables) as Record<string, string>),
        AWS_REGION: TEST_ENV.region,
      };
      const sdk = sdkOf(caller);
      // as the handler module does at cold start: the secrets its environment names are read first
      const ctx = createAwsContext(await withSecrets(env, sdk.secretsManager), sdk, {
        log: silentLogger,
        ...(clock ? { clock } : {}),
      });
      return { ctx, env, sdk };
    };

    const apiFn = await contextOf('api');
    // The handler modules wire themselves from the Lambda environment when loaded (cold start): the API's here
    // (but for the cursor-key secret: the module's own clients would ask the real Secrets Manager for it)
    const { CURSOR_KEY_SECRET_ARN: _readAbove, ...moduleEnv } = apiFn.env;
    for (const [name, value] of Object.entries({ ...moduleEnv, ...fakeCredentials })) vi.stubEnv(name, value);
    const { createApiHandler } = await import('../../functions/api/handler.js');
    const { createCallbackTaskHandler } = await import('../../functions/tasks/callback-task.js');
    const { createFinishStageHandler } = await import('../../functions/tasks/finish-stage.js');
    const { createScheduledJobHandler } = await import('../../functions/jobs/scheduled-job.js');
    const keys = new SecretsManagerSigningKey({
      client: apiFn.sdk.secretsManager,
      secretId: String(apiFn.env.SIGNING_KEY_SECRET_ARN),
    });
    // a sweep an admin asks for goes on the stage's bus, as the handler module wires it from its environment
    const startSweepJob = eventBridgeSweepStarter(apiFn.sdk.eventBridge, String(apiFn.env.EVENT_BUS_NAME));
    api = createApiHandler(apiFn.ctx, keys, undefined, startSweepJob) as unknown as typeof api;
    const callbackTask = createCallbackTaskHandler((await contextOf('callbackTask')).ctx);
    const finishStage = createFinishStageHandler((await contextOf('finishStage')).ctx);
    scheduledJob = createScheduledJobHandler((await contextOf('scheduledJob')).ctx);
    // the same function two months on (an instance whose clock is moved: the sweep finds what is overdue by then)
    const later = new ManualClock(new Date());
    later.advanceDays(60);
    scheduledJobLater = createScheduledJobHandler((await contextOf('scheduledJob', later)).ctx);

    // Lambda: a function by its ARN, invoked with the payload as JSON (what a machine's role must be allowed)
    const byArn = new Map<string, (event: unknown) => Promise<unknown>>([
      [deployed.arn('lambda', `function:${logicalIdOf(stateless, functions.callbackTask)}`), callbackTask],
      [deployed.arn('lambda', `function:${logicalIdOf(stateless, functions.finishStage)}`), finishStage],
    ]);
    const invoke = async (functionArn: string | undefined, payload: CallbackTaskInput | FinishStageInput) => {
      requests.push({
        caller: 'Workflows',
        service: 'lambda',
        operation: 'InvokeFunction',
        input: { FunctionName: functionArn },
      });
      const fn = functionArn ? byArn.get(functionArn) : undefined;
      if (!fn) throw new Error(`the machine invokes ${functionArn}, which is no Daiban function`);
      await fn(JSON.parse(JSON.stringify(payload)));
    };
    const machineOf = (execution: string) => {
      const machine = machineByArn.get(machineOfExecution.get(execution) ?? '');
      if (!machine) throw new Error(`no machine runs ${execution}`);
      return invokedBy(machine);
    };
    engine.bindHandlers({
      callbackTask: (payload) => invoke(machineOf(payload.execution).callback, payload),
      finishStage: (payload) => invoke(machineOf(payload.execution).finish, payload),
    });

    jobFunctionArn = deployed.arn('lambda', `function:${logicalIdOf(stateless, functions.scheduledJob)}`);
    busName = String(apiFn.env.EVENT_BUS_NAME);
    // EventBridge Scheduler's default notification (the schedule has no Input) for the job function
    const [[scheduleId, schedule] = []] = deployed.resourcesOfType('AWS::Scheduler::Schedule');
    expect(deployed.string(schedule?.Properties?.Target?.Arn)).toBe(
      deployed.arn('lambda', `function:${logicalIdOf(stateless, functions.scheduledJob)}`),
    );
    expect(schedule?.Properties?.Target?.Input).toBeUndefined();
    schedulerEvent = {
      version: '0',
      id: 'b6f0a1d3-0000-4000-8000-000000000001',
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: TEST_ENV.account,
      time: new Date().toISOString(),
      region: TEST_ENV.region,
      resources: [deployed.arn('scheduler', `schedule/default/${scheduleId}`)],
      detail: '{}',
    };
    // synthesis, the first admin's password hash and four cold starts: slow on a loaded machine
  }, 240_000);

  afterAll(() => {
    vi.unstubAllEnvs();
    engine?.stop();
    for (const client of clients) client.destroy();
  });

  it('completes a project from registration, every user signed in by password through the API function', {
    timeout: 300_000,
  }, async () => {
    // Prepare: the first admin signs in and makes the users, as on a fresh deployment
    const admin = await tokenOf('admin');
    for (const user of seedUsers().filter((u) => u.userId !== 'admin')) {
      const { userId, name, role, departmentId, enterpriseId } = user;
      const created = await call('POST', '/admin/users', {
        token: admin,
        body: {
          userId,
          name,
          role,
          password: PASSWORD,
          ...(departmentId ? { departmentId } : {}),
          ...(enterpriseId ? { enterpriseId } : {}),
        },
      });
      expect(created.status, `create ${userId}: ${JSON.stringify(created.body)}`).toBe(201);
    }

    // Act: registration, then every step submitted and decided through the API function until nothing is left
    const registered = await asUser.call<{ projectId: string }>(
      'POST',
      '/projects',
      'agent-wang',
      projectRegistration(),
    );
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const projectId = registered.body.projectId;
    const view: ProjectView = await driveOverHttp(asUser, () => engine.settled(), projectId);
    await engine.settled();
    const job = await scheduledJob(schedulerEvent);
    const lookup = await call('GET', `/public/projects/${encodeURIComponent(view.project.code)}`);

    // Assess
    expect(view.project.status).toBe('completed');
    expect(failedExecutions).toEqual([]);
    expect(job).toMatchObject({ failures: 0 });
    expect(lookup.status).toBe(200);
    const operations = new Set(requests.map((r) => `${r.caller} ${r.service}:${r.operation}`));
    expect(operations).toContain('api states:StartExecution');
    expect(operations).toContain('api states:SendTaskSuccess');
    expect(operations).toContain('api secretsmanager:GetSecretValue');
    expect(operations).toContain('scheduledJob secretsmanager:GetSecretValue');
    expect(operations).toContain('finishStage states:StartExecution');
    expect(operations).toContain('Workflows lambda:InvokeFunction');
    expect(operations).toContain('callbackTask dynamodb:TransactWriteItems');
  });

  it("sends the sweep's notices of an overdue step to the event bus, from the job run by the scheduler", async () => {
    // Prepare: a second project whose first step waits in review
    const registered = await asUser.call<{ projectId: string }>(
      'POST',
      '/projects',
      'agent-wang',
      projectRegistration({ name: '超期提醒测试项目' }),
    );
    expect(registered.status).toBe(201);
    const projectId = registered.body.projectId;
    await driveOverHttp(asUser, () => engine.settled(), projectId, {
      stop: (view) => view.stages.some((stage) => stage.steps.some((step) => step.status === 'in_review')),
      leave: ['1'],
    });
    await engine.settled();
    const before = requests.length;

    // Act: the scheduler's notification two months on
    const job = await scheduledJobLater(schedulerEvent);
    await engine.settled();

    // Assess
    expect(job).toMatchObject({ failures: 0 });
    const sent = requests.slice(before).filter((r) => r.service === 'events');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.caller === 'scheduledJob')).toBe(true);
  }, 300_000);

  it('runs a sweep an admin asks for through the API function: the bus rule invokes the job function, which claims the run, and its progress reads back through the API', async () => {
    // Prepare
    const admin = await tokenOf('admin');
    const before = requests.length;

    // Act: the API records the run as queued and puts the request on the bus
    const started = await call('POST', '/admin/sla-sweeps', { token: admin, body: {} });
    const queued = await call('GET', String(started.body.progress), { token: admin });
    const put = requests
      .slice(before)
      .find((r) => r.caller === 'api' && r.service === 'events' && r.operation === 'PutEvents');
    const entry = put?.input.Entries?.[0] as Record<string, string>;
    // the rule of the template that matches the event, on that bus: EventBridge invokes its target with the event
    const rules = deployed.resourcesOfType('AWS::Events::Rule').filter(([, rule]) => {
      const pattern = rule.Properties?.EventPattern ?? {};
      return (
        deployed.string(rule.Properties?.EventBusName ?? 'default') === entry.EventBusName &&
        pattern.source?.includes(entry.Source) &&
        pattern['detail-type']?.includes(entry.DetailType)
      );
    });
    const targets = rules.flatMap(([, rule]) =>
      (rule.Properties?.Targets ?? []).map((t: { Arn: unknown }) => deployed.string(t.Arn)),
    );
    const job = await scheduledJob({
      version: '0',
      id: 'b6f0a1d3-0000-4000-8000-000000000002',
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: TEST_ENV.account,
      time: new Date().toISOString(),
      region: TEST_ENV.region,
      resources: [],
      detail: JSON.parse(entry.Detail ?? '{}'),
    });
    const again = await scheduledJob({
      'detail-type': entry.DetailType,
      detail: JSON.parse(entry.Detail ?? '{}'),
    });
    const read = await call('GET', String(started.body.progress), { token: admin });
    const current = await call('GET', '/admin/sla-sweeps/current', { token: admin });
    const listed = await call('GET', '/admin/sla-sweeps?limit=5', { token: admin });

    // Assess
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const runId = String(started.body.run.runId);
    expect(started.body.progress).toBe(`/admin/sla-sweeps/${runId}`);
    expect(queued.body.run).toMatchObject({ runId, state: 'queued', trigger: 'sla-sweeps', by: 'admin' });
    expect(entry).toMatchObject({ EventBusName: busName, Source: 'daiban' });
    expect(targets).toEqual([jobFunctionArn]);
    expect(job).toMatchObject({ failures: 0 });
    // a second delivery of the same event (EventBridge delivers at least once) finds the run taken: nothing done
    expect(again).toMatchObject({ skipped: true });
    expect(read.status).toBe(200);
    expect(read.body.run).toMatchObject({
      runId,
      state: 'done',
      trigger: 'sla-sweeps',
      by: 'admin',
      failures: 0,
    });
    expect(current.body.run.runId).toBe(runId);
    expect(listed.body.runs.map((r: { runId: string }) => r.runId)).toContain(runId);
  }, 120_000);

  it('imports a file as a background job: the API answers 202 and raises its event, the rule sends it to the job function, which imports every row', {
    timeout: 300_000,
  }, async () => {
    // Prepare: a file of three projects in flight, and the rule on the stage's bus that sends its event on
    const csv = sampleImportCsv(referenceChain, {
      count: 3,
      today: chinaDate(new Date()),
      agentId: 'agent-wang',
      firstSerial: 70_000,
    });
    const rule = deployed
      .resourcesOfType('AWS::Events::Rule')
      .map(([, r]) => r)
      .find((r) => JSON.stringify(r?.Properties?.EventPattern ?? {}).includes(IMPORT_JOB_QUEUED));
    expect(deployed.string(rule?.Properties?.Targets?.[0]?.Arn)).toBe(
      deployed.arn(
        'lambda',
        `function:${logicalIdOf(synthStateless, synthStateless.functions.scheduledJob)}`,
      ),
    );
    const before = requests.length;

    // Act: the file posted through the API function, then the event as the rule delivers it to the job function
    const posted = await asUser.call<{ jobId: string; status: string }>('POST', '/imports', 'admin', {
      chainId: referenceChain.id,
      fileName: '在办项目.csv',
      csv,
    });
    const raised = requests.slice(before).filter((r) => r.service === 'events' && r.caller === 'api');
    const ran = await scheduledJob({
      version: '0',
      id: 'b6f0a1d3-0000-4000-8000-000000000002',
      'detail-type': IMPORT_JOB_QUEUED,
      source: 'daiban',
      account: TEST_ENV.account,
      time: new Date().toISOString(),
      region: TEST_ENV.region,
      resources: [],
      detail: { kind: IMPORT_JOB_QUEUED },
    });
    await engine.settled();
    const job = await asUser.call<{ status: string; imported: number }>(
      'GET',
      `/imports/${posted.body.jobId}`,
      'admin',
    );

    // Assess
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    expect(raised.length).toBe(1);
    expect(ran).toMatchObject({ imports: [{ jobId: posted.body.jobId, outcome: 'finished' }] });
    expect(job.body).toMatchObject({ status: 'done', imported: 3 });
  });

  it("makes no request its function's role does not allow", () => {
    // Assess
    expect(requests.length).toBeGreaterThan(100);
    expect(deniedRequests(requests, deployed, roles, machineOfToken)).toEqual([]);
  });
});
