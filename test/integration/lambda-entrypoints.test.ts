import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { SecretsManagerSigningKey } from '../../functions/commons/secrets-manager-signing-key.js';
import { createAdmin } from '../../infra/aws/create-admin.js';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.js';
import { demoEnterprises, seedReferenceData, seedUsers } from '../../infra/local/seed-reference.js';
import type { AppContext } from '../../shared/app/context.js';
import { ScryptPasswordHasher } from '../../shared/auth/scrypt-password-hasher.js';
import { ensureTable } from '../../shared/store/create-table.js';
import { DynamoDaibanStore } from '../../shared/store/dynamo-store.js';
import { APPROVAL } from '../support/fixtures.js';

const STATE_MACHINE_ARN =
  'arn:aws:states:local:111122223333:stateMachine:Daiban-test-industrial-enterprise-v2';

type SfnCall = { command: string; input: Record<string, unknown> };

/**
 * A real SFNClient whose requests never leave the process: a middleware records each command and answers
 * like Step Functions would. The AWS cloud is the one boundary faked here.
 */
function recordingSfnClient(calls: SfnCall[]): SFNClient {
  const client = new SFNClient(LOCAL_AWS);
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      calls.push({ command: String(context.commandName), input: args.input as Record<string, unknown> });
      const output =
        context.commandName === 'StartExecutionCommand'
          ? { executionArn: `${STATE_MACHINE_ARN}:execution`, startDate: new Date() }
          : context.commandName === 'DescribeExecutionCommand'
            ? // the first generation of every execution failed; later ones run
              {
                status: String((args.input as { executionArn?: string }).executionArn).endsWith('-g1')
                  ? 'FAILED'
                  : 'RUNNING',
              }
            : context.commandName === 'DescribeStateMachineCommand'
              ? { stateMachineArn: STATE_MACHINE_ARN }
              : {};
      return { output: { $metadata: { httpStatusCode: 200 }, ...output }, response: {} };
    },
    { step: 'initialize', name: 'recordInsteadOfSending' },
  );
  return client;
}

const SIGNING_KEY_SECRET_ARN =
  'arn:aws:secretsmanager:local:111122223333:secret:Daiban-test-SigningKey-AbCdEf';

/**
 * A real SecretsManagerClient whose GetSecretValue never leaves the process: it answers with `secret.value`
 * (version `secret.version`), as Secrets Manager answers for the secret the stateful stack generated.
 */
function fakeSecretsManager(secret: { value: string; version: string; reads: number }): SecretsManagerClient {
  const client = new SecretsManagerClient(LOCAL_AWS);
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      if (context.commandName !== 'GetSecretValueCommand') throw new Error(String(context.commandName));
      expect((args.input as { SecretId?: string }).SecretId).toBe(SIGNING_KEY_SECRET_ARN);
      secret.reads += 1;
      return {
        output: {
          $metadata: { httpStatusCode: 200 },
          ARN: SIGNING_KEY_SECRET_ARN,
          SecretString: secret.value,
          VersionId: secret.version,
        },
        response: {},
      };
    },
    { step: 'initialize', name: 'answerInsteadOfSending' },
  );
  return client;
}

/** The password every user of this table signs in with (made here; nothing is shared with AWS). */
const PASSWORD = 'lambda-entrypoints-pw';

/**
 * An API Gateway HTTP API (payload 2.0) event on the `$default` stage. The API has no authorizer: the request carries
 * the product's own bearer token (`token`) and the function verifies it. `jwtClaims` adds the block a JWT authorizer
 * would have added, to show the function never trusts it.
 */
function httpEvent(
  method: string,
  path: string,
  options: {
    token?: string;
    body?: unknown;
    jwtClaims?: Record<string, string>;
    headers?: Record<string, string>;
    cookies?: string[];
  } = {},
): LambdaEvent {
  const now = new Date();
  const routeKey = path === '/' ? 'ANY /' : 'ANY /{proxy+}';
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: {
      host: 'abc123.execute-api.eu-central-1.amazonaws.com',
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.cookies ? { cookies: options.cookies } : {}),
    requestContext: {
      accountId: '111122223333',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-central-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'vitest' },
      requestId: `req-${now.getTime()}`,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(options.jwtClaims
        ? {
            authorizer: {
              principalId: '',
              integrationLatency: 0,
              jwt: { claims: options.jwtClaims, scopes: [] },
            },
          }
        : {}),
    },
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
    isBase64Encoded: false,
  };
  return event as unknown as LambdaEvent;
}

type ApiHandler = (event: LambdaEvent) => Promise<{
  statusCode: number;
  body: string;
  headers?: Record<string, string>;
  cookies?: string[];
}>;

const json = (response: { body: string }) => JSON.parse(response.body) as Record<string, any>;

describe('the Lambda entry points against DynamoDB Local', () => {
  const tableName = `lambda-entrypoints-${process.pid}-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  const sfnCalls: SfnCall[] = [];
  const sfn = recordingSfnClient(sfnCalls);
  let ctx: AppContext;
  let api: ApiHandler;
  let callbackTask: (event: unknown) => Promise<void>;
  let finishStage: (event: unknown) => Promise<void>;
  let scheduledJob: (event: unknown) => Promise<unknown>;
  let lambdaHandler: ApiHandler;
  let projectId: string;
  /** the signing-key secret as Secrets Manager holds it, and the time the key source reads by */
  const secret = { value: 'k'.repeat(8) + 'Aa1'.repeat(20), version: 'v1', reads: 0 };
  let nowMs = Date.now();
  const tokens = new Map<string, string>();
  /** Signs in through the Lambda handler (POST /auth/login) with the user's password; the token is kept. */
  const tokenOf = async (userId: string): Promise<string> => {
    const known = tokens.get(userId);
    if (known) return known;
    const response = await api(httpEvent('POST', '/auth/login', { body: { userId, password: PASSWORD } }));
    expect(response.statusCode).toBe(200);
    const token = String(json(response).token);
    tokens.set(userId, token);
    return token;
  };
  const stepOne = () => ({
    projectId,
    stepId: '1',
    kind: 'step',
    stageIndex: 0,
    execution: `${projectId}-s0-g1`,
  });

  beforeAll(async () => {
    // Prepare: a table like the stateful stack's, with the reference data loaded
    await ensureTable(dynamo, tableName);
    const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
    const store = new DynamoDaibanStore(doc, tableName);
    await seedReferenceData(store);
    // Users and password hashes live in the table, on AWS as locally. The first admin is made by the one-off
    // command (infra/aws/create-admin.ts); the other users as an admin would make them.
    const passwords = new ScryptPasswordHasher();
    await createAdmin(store, passwords, { userId: 'admin', name: '系统管理员', password: PASSWORD });
    const passwordHash = await passwords.hash(PASSWORD);
    for (const user of seedUsers().filter((u) => u.userId !== 'admin')) {
      await store.commit([
        { op: 'create_user', user },
        {
          op: 'put_credential',
          credential: { userId: user.userId, passwordHash, setAt: new Date().toISOString(), setBy: 'admin' },
          expect: 'absent',
        },
      ]);
    }

    // The handler modules build their context from the Lambda environment when loaded (cold start).
    vi.stubEnv('TABLE_NAME', tableName);
    vi.stubEnv('STATE_MACHINE_NAME_PREFIX', 'Daiban-test-');
    vi.stubEnv('AWS_ACCOUNT_ID', '111122223333');
    vi.stubEnv('AWS_REGION', LOCAL_AWS.region);
    vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_AWS.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_AWS.credentials.secretAccessKey);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
    vi.stubEnv('SIGNING_KEY_SECRET_ARN', SIGNING_KEY_SECRET_ARN);
    const apiModule = await import('../../functions/api/handler.js');
    const callbackModule = await import('../../functions/tasks/callback-task.js');
    const finishModule = await import('../../functions/tasks/finish-stage.js');
    const jobModule = await import('../../functions/jobs/scheduled-job.js');
    const { createAwsContext } = await import('../../functions/commons/aws-context.js');

    // The same handlers, on a context whose Step Functions client records instead of calling AWS.
    ctx = createAwsContext(process.env, { dynamo, sfn });
    // The signing key from a Secrets Manager client that answers in process, on a clock the test moves.
    const keys = new SecretsManagerSigningKey({
      client: fakeSecretsManager(secret),
      secretId: SIGNING_KEY_SECRET_ARN,
      now: () => nowMs,
    });
    api = apiModule.createApiHandler(ctx, keys) as unknown as ApiHandler;
    callbackTask = callbackModule.createCallbackTaskHandler(ctx);
    finishStage = finishModule.createFinishStageHandler(ctx);
    scheduledJob = jobModule.createScheduledJobHandler(ctx);
    lambdaHandler = apiModule.handler as unknown as ApiHandler;
  });

  afterAll(() => {
    vi.unstubAllEnvs();
    dynamo.destroy();
    sfn.destroy();
  });

  it('serves public routes through the exported handler, wired from the environment alone', async () => {
    // Act
    const health = await lambdaHandler(httpEvent('GET', '/health'));
    const departments = await lambdaHandler(httpEvent('GET', '/departments'));

    // Assess
    expect(health.statusCode).toBe(200);
    expect(json(health).status).toBe('ok');
    expect(departments.statusCode).toBe(200);
    expect(json(departments).departments.map((d: { id: string }) => d.id)).toContain('DRC');
  });

  it("refuses a protected route without the product's token", async () => {
    // Act
    const response = await api(httpEvent('GET', '/projects'));

    // Assess
    expect(response.statusCode).toBe(401);
    expect(json(response).error.code).toBe('AUTH.UNAUTHENTICATED');
    expect(json(response).error.message).toMatch(/POST \/auth\/login/);
  });

  it('never takes the user from JWT authorizer claims: an admin claimed there, without our token, is refused', async () => {
    // Act
    const response = await api(
      httpEvent('GET', '/admin/users', {
        jwtClaims: { sub: 'admin', name: 'admin', 'custom:role': 'admin', token_use: 'id' },
      }),
    );

    // Assess
    expect(response.statusCode).toBe(401);
  });

  it('signs in with a password through the Lambda handler (POST /auth/login) and uses the token', async () => {
    // Act
    const wrong = await api(
      httpEvent('POST', '/auth/login', { body: { userId: 'agent-wang', password: 'not-the-password' } }),
    );
    const signedIn = await api(
      httpEvent('POST', '/auth/login', { body: { userId: 'agent-wang', password: PASSWORD } }),
    );
    const token = String(json(signedIn).token);
    const projects = await api(httpEvent('GET', '/projects', { token }));
    const forged = await api(httpEvent('GET', '/projects', { token: `${token.slice(0, -4)}AAAA` }));

    // Assess
    expect(wrong.statusCode).toBe(401);
    expect(json(wrong).error.code).toBe('AUTH.SIGN_IN_FAILED');
    expect(signedIn.statusCode).toBe(200);
    expect(json(signedIn)).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 3600,
      user: { userId: 'agent-wang' },
    });
    expect(projects.statusCode).toBe(200);
    expect(forged.statusCode).toBe(401);
    expect(secret.reads).toBeGreaterThanOrEqual(1);
    tokens.set('agent-wang', token);
  });

  it('serves the pages through the same handler: a form sign-in sets the session cookie a page then reads', async () => {
    // Prepare
    const origin = 'https://abc123.execute-api.eu-central-1.amazonaws.com';

    // Act
    const page = await api(httpEvent('GET', '/sign-in'));
    const signedIn = await api(
      httpEvent('POST', '/sign-in', {
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: `userId=agent-wang&password=${PASSWORD}`,
      }),
    );
    const session = (signedIn.cookies ?? []).find((cookie) => cookie.startsWith('daiban_session='));
    const home = await api(
      httpEvent('GET', '/app', {
        cookies: [String(session?.split(';')[0])],
        headers: { accept: 'text/html' },
      }),
    );

    // Assess
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="password"');
    expect(signedIn.statusCode).toBe(303);
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/Secure/i);
    expect(home.statusCode).toBe(303);
    expect(home.headers?.location).not.toMatch(/sign-in/);
  });

  it('lets the first admin (made by create-admin) create a user, who then signs in', async () => {
    // Prepare
    const admin = await tokenOf('admin');

    // Act
    const created = await api(
      httpEvent('POST', '/admin/users', {
        token: admin,
        body: { userId: 'agent-zhao', name: '赵代办', role: 'agent', password: 'zhao-initial-pw' },
      }),
    );
    const signedIn = await api(
      httpEvent('POST', '/auth/login', { body: { userId: 'agent-zhao', password: 'zhao-initial-pw' } }),
    );

    // Assess
    expect(created.statusCode).toBe(201);
    expect(signedIn.statusCode).toBe(200);
    expect(json(signedIn).user).toMatchObject({ userId: 'agent-zhao', role: 'agent' });
  });

  it('fails at cold start, naming every missing variable, when the environment is incomplete', async () => {
    // Prepare
    const { createAwsContext } = await import('../../functions/commons/aws-context.js');

    // Act + Assess
    expect(() => createAwsContext({ REGION_CODE: '32011' }, { dynamo, sfn })).toThrow(
      /TABLE_NAME.*STATE_MACHINE_NAME_PREFIX.*AWS_ACCOUNT_ID.*REGION_CODE/,
    );
    expect(() =>
      createAwsContext(
        { TABLE_NAME: 't', STATE_MACHINE_NAME_PREFIX: 'bad prefix!', AWS_ACCOUNT_ID: '1', AWS_REGION: 'x' },
        { dynamo, sfn },
      ),
    ).toThrow(/STATE_MACHINE_NAME_PREFIX is 1-40.*AWS_ACCOUNT_ID is 12 digits/);
  });

  it("registers a project for an agent signed in with the product's token and starts its first stage's execution", async () => {
    // Act
    const response = await api(
      httpEvent('POST', '/projects', {
        token: await tokenOf('agent-wang'),
        body: {
          name: '智能装备产业园一期',
          enterprise: { ...demoEnterprises.jinling },
          investmentCny: 350_000_000,
          chainId: 'industrial-enterprise',
          agentId: 'agent-wang',
        },
      }),
    );

    // Assess
    expect(response.statusCode).toBe(201);
    projectId = json(response).projectId;
    expect(json(response).project).toMatchObject({ agentId: 'agent-wang', status: 'active' });
    expect(sfnCalls.filter((c) => c.command === 'StartExecutionCommand')).toEqual([
      {
        command: 'StartExecutionCommand',
        input: {
          stateMachineArn: STATE_MACHINE_ARN,
          name: `${projectId}-s0-g1`,
          input: JSON.stringify({ projectId, stageIndex: 0 }),
        },
      },
    ]);
  });

  it('opens a step when the state machine calls the callback task, and stores its token', async () => {
    // Act: the payload lambda:invoke.waitForTaskToken delivers for step 1 of stage 1
    await callbackTask({ ...stepOne(), taskToken: 'token-step-1' });

    // Assess
    const record = await ctx.store.loadProject(projectId);
    expect(record?.items.find((i) => i.stepId === '1')?.status).toBe('ready');
    expect(record?.tokens.get('1')?.task).toEqual({ token: 'token-step-1', execution: `${projectId}-s0-g1` });
  });

  it('signals the waiting task when the department decides the step', async () => {
    // Prepare
    sfnCalls.length = 0;
    const submitted = await api(
      httpEvent('POST', `/projects/${projectId}/steps/1/submission`, {
        token: await tokenOf('agent-wang'),
        body: { materials: ['business-licence', 'project-basic-information', 'compliance-declaration'] },
      }),
    );
    expect(submitted.statusCode).toBe(200);

    // Act
    const decided = await api(
      httpEvent('POST', `/projects/${projectId}/steps/1/decision`, {
        token: await tokenOf('officer-drc'),
        body: APPROVAL,
      }),
    );

    // Assess
    expect(decided.statusCode).toBe(200);
    expect(json(decided).step).toMatchObject({ stepId: '1', status: 'approved' });
    expect(sfnCalls).toContainEqual({
      command: 'SendTaskSuccessCommand',
      input: { taskToken: 'token-step-1', output: JSON.stringify({ stepId: '1', outcome: 'approved' }) },
    });
  });

  it('answers a replayed callback task of a decided step at once (redrive, restart)', async () => {
    // Prepare
    sfnCalls.length = 0;

    // Act
    await callbackTask({ ...stepOne(), taskToken: 'token-step-1-again' });

    // Assess
    expect(sfnCalls).toEqual([
      {
        command: 'SendTaskSuccessCommand',
        input: {
          taskToken: 'token-step-1-again',
          output: JSON.stringify({ stepId: '1', outcome: 'approved' }),
        },
      },
    ]);
  });

  it('fails the task on a payload that breaks the task contract, before touching the table', async () => {
    // Act + Assess
    await expect(callbackTask({ ...stepOne(), stepId: '2', taskToken: undefined })).rejects.toThrow(
      /taskToken/,
    );
    await expect(callbackTask({ ...stepOne(), stepId: '2', extra: 1, taskToken: 't' })).rejects.toThrow();
    // step 2, derived from the chain since registration (which writes no step items), is still not written
    const record = await ctx.store.loadProject(projectId);
    expect(record?.items.find((i) => i.stepId === '2')).toBeUndefined();
  });

  it('reconciles a project whose execution failed, as the EventBridge rule reports it: the next generation', async () => {
    // Prepare
    sfnCalls.length = 0;

    // Act: the rule's event; DescribeExecution answers FAILED for the first generation
    const result = await scheduledJob({
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      detail: {
        status: 'FAILED',
        name: `${projectId}-s0-g1`,
        input: JSON.stringify({ projectId, stageIndex: 0 }),
      },
    });

    // Assess
    expect(result).toEqual({ reconciled: 'renewed' });
    expect(sfnCalls.map((c) => c.command)).toEqual([
      'DescribeExecutionCommand',
      'StopExecutionCommand',
      'StartExecutionCommand',
    ]);
    expect(sfnCalls[2]?.input.name).toBe(`${projectId}-s0-g2`);
  });

  it('runs the scheduled job on a schedule event, and a stage end of a renewed execution changes nothing', async () => {
    // Act
    const report = await scheduledJob({ source: 'aws.scheduler' });
    await finishStage({
      projectId,
      execution: `${projectId}-s0-g1`,
      stageIndex: 0,
      outcome: 'stage_completed',
    });
    const project = json(
      await api(httpEvent('GET', `/projects/${projectId}`, { token: await tokenOf('leader-zhang') })),
    ).project;

    // Assess
    expect(report).toMatchObject({ failures: 0, audited: 1, reconciled: 0 });
    expect(project.currentStageIndex).toBe(0);
    expect(project.execution.name).toBe(`${projectId}-s0-g2`);
  });

  it('refuses tokens signed with the old key once the key is rotated, and signs in with the new one', async () => {
    // Prepare
    const old = await tokenOf('leader-zhang');
    expect((await api(httpEvent('GET', `/projects/${projectId}`, { token: old }))).statusCode).toBe(200);

    // Act: an operator puts a new value (docs/deploy-aws.md); the key source reads it when its cache lapses
    secret.value = 'r'.repeat(4) + 'Bb2'.repeat(20);
    secret.version = 'v2';
    nowMs += 5 * 60_000 + 1;
    const refused = await api(httpEvent('GET', `/projects/${projectId}`, { token: old }));
    tokens.delete('leader-zhang');
    const fresh = await tokenOf('leader-zhang');
    const accepted = await api(httpEvent('GET', `/projects/${projectId}`, { token: fresh }));

    // Assess
    expect(refused.statusCode).toBe(401);
    expect(json(refused).error.message).toMatch(/signed with another key/);
    expect(accepted.statusCode).toBe(200);
  });
});
