import type { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ChainCatalog } from '../../shared/app/chain-catalog.js';
import { type Clock, systemClock } from '../../shared/app/clock.js';
import { type AppContext, type DaibanConfig, DEFAULT_SPINE, ulidFactory } from '../../shared/app/context.js';
import { LiveSettings } from '../../shared/app/live-settings.js';
import { jsonLogger, type Logger } from '../../shared/app/logger.js';
import type { Metrics } from '../../shared/app/metrics.js';
import { SerialBlocks } from '../../shared/app/serial-blocks.js';
import { calendarDataWith, chineseDaysCalendar } from '../../shared/calendar/chinese-days-calendar.js';
import { DEFAULT_TIME_ZONE, isTimeZone, useServiceTimeZone } from '../../shared/domain/local-time.js';
import { AwsWorkflowEngine } from '../../shared/engine/aws-engine.js';
import { AwsChannels } from '../../shared/notify/aws-channels.js';
import { cursorKeyFrom } from '../../shared/store/dynamo-codec.js';
import { DynamoDaibanStore } from '../../shared/store/dynamo-store.js';
import { withoutSdkRequestLog } from '../../shared/store/sdk-request-log.js';
import { createObservability, type Observability } from './observability.js';

/**
 * The environment every Daiban Lambda function reads (set by the CDK stateless stack).
 *
 * - `TABLE_NAME`: the single table
 * - `STATE_MACHINE_NAME_PREFIX`, `AWS_ACCOUNT_ID`, `AWS_REGION`: where the chains' state machines are
 *   (`<prefix><chain>-v<version>`)
 * - `CALLBACK_TASK_FUNCTION_ARN`, `FINISH_STAGE_FUNCTION_ARN`, `WORKFLOW_ROLE_ARN`, `WORKFLOW_LOG_GROUP_ARN`: only
 *   where chain versions are published (the API function)
 * - `AWS_PARTITION`: `aws` (default) or `aws-cn` (Beijing, Ningxia), for the ARNs the engine builds;
 *   `WORKFLOW_TRACING`: `false` where Step Functions has no X-Ray (the machines the API creates)
 * - `SIGNING_KEY_SECRET_ARN`: the API function only: the Secrets Manager secret session tokens are signed with
 * - `REGION_CODE`, `INDUSTRY_CODE`, `TYPE_CODE`: the operator's project-code segments (optional)
 * - `OUTBOX_GRACE_SECONDS`, `EXECUTION_MAX_AGE_DAYS`: the spine's timings (optional)
 * - `DAIBAN_TIME_ZONE`: the service centre's time zone, for every date people read (optional, Asia/Shanghai)
 * - `CURSOR_KEY_SECRET_ARN`: the API function and the scheduled job: the Secrets Manager secret page cursors are
 *   signed with, read at cold start ({@link withSecrets}) into `CURSOR_SIGNING_KEY`
 * - `CURSOR_SIGNING_KEY`: a secret of 32+ characters page cursors are signed with (optional; without it they are
 *   still held to their list and its keys' shape, signed with a key derived from the table name)
 */
const optionalArn = z.string().startsWith('arn:').optional();
export const AwsEnvSchema = z.object({
  TABLE_NAME: z
    .string({ error: 'TABLE_NAME is required (the Daiban table name)' })
    .min(1, 'TABLE_NAME is required (the Daiban table name)'),
  STATE_MACHINE_NAME_PREFIX: z
    .string({ error: 'STATE_MACHINE_NAME_PREFIX is required (e.g. Daiban-prod-)' })
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'STATE_MACHINE_NAME_PREFIX is 1-40 letters, digits, _ or -'),
  AWS_ACCOUNT_ID: z
    .string({ error: 'AWS_ACCOUNT_ID is required' })
    .regex(/^\d{12}$/, 'AWS_ACCOUNT_ID is 12 digits'),
  AWS_REGION: z.string({ error: 'AWS_REGION is required' }).min(1),
  AWS_PARTITION: z.enum(['aws', 'aws-cn']).default('aws'),
  WORKFLOW_TRACING: z.enum(['true', 'false']).default('true'),
  SIGNING_KEY_SECRET_ARN: optionalArn,
  CURSOR_KEY_SECRET_ARN: optionalArn,
  CALLBACK_TASK_FUNCTION_ARN: optionalArn,
  FINISH_STAGE_FUNCTION_ARN: optionalArn,
  WORKFLOW_ROLE_ARN: optionalArn,
  WORKFLOW_LOG_GROUP_ARN: optionalArn,
  REGION_CODE: z
    .string()
    .regex(/^\d{6}$/, 'REGION_CODE must be a 6-digit administrative region code')
    .default('320115'),
  INDUSTRY_CODE: z
    .string()
    .regex(/^\d{2}$/, 'INDUSTRY_CODE must be 2 digits')
    .default('39'),
  TYPE_CODE: z
    .string()
    .regex(/^\d{2}$/, 'TYPE_CODE must be 2 digits')
    .default('01'),
  OUTBOX_GRACE_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
  EVENT_BUS_NAME: z.string().min(1).max(256).optional(),
  ALERT_TOPIC_ARN: optionalArn,
  EXECUTION_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(360).optional(),
  DAIBAN_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'DAIBAN_TIME_ZONE must be an IANA time zone such as Asia/Shanghai')
    .default(DEFAULT_TIME_ZONE),
  CURSOR_SIGNING_KEY: z.string().min(32, 'CURSOR_SIGNING_KEY is 32+ characters').optional(),
});
export type AwsEnv = z.infer<typeof AwsEnvSchema>;

/** The AWS SDK clients the context uses; tests hand in their own (DynamoDB Local, a fake SFN). */
export type AwsClients = {
  dynamo: DynamoDBClient;
  sfn: SFNClient;
  eventBridge?: EventBridgeClient;
  sns?: SNSClient;
  secretsManager?: SecretsManagerClient;
};

/** Reads and checks the environment; the error names every missing or malformed variable at once. */
export function readAwsEnv(env: Record<string, string | undefined>): AwsEnv {
  const parsed = AwsEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Daiban Lambda environment is invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * The DynamoDB client of the store. The store tries every call again itself (`shared/store/dynamo-retry.ts`: 5
 * attempts with jittered backoff, then a 409 or 503), so the SDK makes one attempt per call: the two retries are
 * not nested (3 SDK attempts inside each of the store's 5 would be up to 15 tries on throttling).
 */
export const awsDynamoClient = (config: DynamoDBClientConfig = {}): DynamoDBClient =>
  withoutSdkRequestLog(new DynamoDBClient({ ...config, maxAttempts: 1 }));

/**
 * The SDK clients of a Lambda process. Region and credentials come from the Lambda environment
 * (AWS_REGION, the execution role); `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL_SFN` redirect them locally.
 */
export function defaultAwsClients(tracer?: Tracer): AwsClients {
  const traced = <T>(client: T): T => (tracer ? tracer.captureAWSv3Client(client) : client);
  return {
    dynamo: traced(awsDynamoClient()),
    sfn: traced(new SFNClient({})),
    eventBridge: traced(new EventBridgeClient({})),
    sns: traced(new SNSClient({})),
    secretsManager: traced(new SecretsManagerClient({})),
  };
}

/**
 * The environment with the secrets it names read (at cold start, once per process): `CURSOR_KEY_SECRET_ARN`'s
 * current value becomes `CURSOR_SIGNING_KEY`. A secret that cannot be read fails the cold start (Lambda tries
 * again), rather than signing cursors with a key other processes do not share.
 */
export async function withSecrets(
  env: Record<string, string | undefined>,
  secretsManager: SecretsManagerClient | undefined,
): Promise<Record<string, string | undefined>> {
  const secretId = env.CURSOR_KEY_SECRET_ARN;
  if (!secretId) return env;
  if (!secretsManager)
    throw new Error('CURSOR_KEY_SECRET_ARN is set but no Secrets Manager client was given');
  const result = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }));
  const value = result.SecretString?.trim() ?? '';
  if (value.length < 32) {
    throw new Error(
      `the cursor-key secret ${secretId} holds ${value.length} characters; it needs 32+ (put a random value: see docs/deploy-aws.md)`,
    );
  }
  return { ...env, CURSOR_SIGNING_KEY: value };
}

/**
 * The context of a Lambda handler module, with Powertools: its logger, its metrics, its AWS clients traced, the
 * secrets its environment names read (a top-level await at cold start).
 *
 * @example const { ctx, obs } = await observedAwsContext(); export const handler = observed(obs, keysOfTask, …(ctx));
 */
export async function observedAwsContext(): Promise<{
  ctx: AppContext;
  obs: Observability;
  clients: AwsClients;
}> {
  const obs = createObservability();
  const clients = defaultAwsClients(obs.tracer);
  const ctx = createAwsContext(await withSecrets(process.env, clients.secretsManager), clients, {
    log: obs.log,
    metrics: obs.appMetrics,
  });
  return { ctx, obs, clients };
}

/**
 * The AWS composition root: the same use cases as the local runtime, on DynamoDB and Step Functions.
 * Call it once per process (at cold start, in the handler module) so clients and the chain cache are reused
 * across invocations. Nothing is read from the environment until it is called.
 *
 * @example
 * const ctx = createAwsContext(); // in a Lambda: TABLE_NAME, STATE_MACHINE_NAME_PREFIX… from the function's env
 * const ctx = createAwsContext(env, { dynamo: localDynamo, sfn: fakeSfn }); // in a test
 */
export function createAwsContext(
  env: Record<string, string | undefined> = process.env,
  clients: AwsClients = defaultAwsClients(),
  options: { clock?: Clock; log?: Logger; metrics?: Metrics } = {},
): AppContext {
  const config = readAwsEnv(env);
  useServiceTimeZone(config.DAIBAN_TIME_ZONE);
  const doc = DynamoDBDocumentClient.from(clients.dynamo, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const store = new DynamoDaibanStore(
    doc,
    config.TABLE_NAME,
    undefined,
    config.CURSOR_SIGNING_KEY ? cursorKeyFrom(config.CURSOR_SIGNING_KEY) : undefined,
  );
  const daibanConfig: DaibanConfig = {
    regionCode: config.REGION_CODE,
    industryCode: config.INDUSTRY_CODE,
    typeCode: config.TYPE_CODE,
  };
  const calendar = chineseDaysCalendar();
  const publish =
    config.CALLBACK_TASK_FUNCTION_ARN &&
    config.FINISH_STAGE_FUNCTION_ARN &&
    config.WORKFLOW_ROLE_ARN &&
    config.WORKFLOW_LOG_GROUP_ARN
      ? {
          callbackTaskFunctionArn: config.CALLBACK_TASK_FUNCTION_ARN,
          finishStageFunctionArn: config.FINISH_STAGE_FUNCTION_ARN,
          roleArn: config.WORKFLOW_ROLE_ARN,
          logGroupArn: config.WORKFLOW_LOG_GROUP_ARN,
        }
      : undefined;
  return {
    store,
    engine: new AwsWorkflowEngine({
      client: clients.sfn,
      settings: {
        partition: config.AWS_PARTITION,
        tracing: config.WORKFLOW_TRACING === 'true',
        region: config.AWS_REGION,
        account: config.AWS_ACCOUNT_ID,
        namePrefix: config.STATE_MACHINE_NAME_PREFIX,
        ...(publish ? { publish } : {}),
      },
    }),
    chains: new ChainCatalog(store),
    serials: new SerialBlocks(store),
    clock: options.clock ?? systemClock,
    calendar,
    settings: new LiveSettings(calendar, calendarDataWith),
    newId: ulidFactory(),
    config: daibanConfig,
    spine: {
      ...DEFAULT_SPINE,
      ...(config.OUTBOX_GRACE_SECONDS ? { outboxGraceSeconds: config.OUTBOX_GRACE_SECONDS } : {}),
      ...(config.EXECUTION_MAX_AGE_DAYS ? { executionMaxAgeDays: config.EXECUTION_MAX_AGE_DAYS } : {}),
    },
    ...(config.EVENT_BUS_NAME && clients.eventBridge && clients.sns
      ? {
          channels: new AwsChannels(
            { eventBridge: clients.eventBridge, sns: clients.sns },
            {
              busName: config.EVENT_BUS_NAME,
              ...(config.ALERT_TOPIC_ARN ? { alertTopicArn: config.ALERT_TOPIC_ARN } : {}),
            },
          ),
        }
      : {}),
    log: options.log ?? jsonLogger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  };
}
