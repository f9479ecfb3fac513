import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'hono';
import { createApp, type DaibanApp } from '../../functions/api/app.js';
import { handleCallbackTask } from '../../shared/app/callback-task.js';
import { ChainCatalog } from '../../shared/app/chain-catalog.js';
import { type Clock, systemClock } from '../../shared/app/clock.js';
import { type AppContext, type DaibanConfig, ulidFactory } from '../../shared/app/context.js';
import { finishProject } from '../../shared/app/finish-project.js';
import { recoverExecutions } from '../../shared/app/recover.js';
import { DevTokens } from '../../shared/auth/dev-tokens.js';
import { chineseDaysCalendar } from '../../shared/calendar/chinese-days-calendar.js';
import { chainKey } from '../../shared/domain/chain.js';
import { UnauthenticatedError } from '../../shared/domain/errors.js';
import type { WorkingDayCalendar } from '../../shared/domain/working-days.js';
import { LocalWorkflowEngine } from '../../shared/engine/local-engine.js';
import { ensureTable } from '../../shared/store/create-table.js';
import { DynamoDaibanStore } from '../../shared/store/dynamo-store.js';
import { chainToAslJson } from '../../shared/workflow/asl.js';
import { LOCAL_AWS } from './dynamodb-local.js';
import { seedReferenceData } from './seed-reference.js';

export const DEFAULT_CONFIG: DaibanConfig = { regionCode: '320115', industryCode: '39', typeCode: '01' };

export type LocalSystem = {
  ctx: AppContext;
  app: DaibanApp;
  engine: LocalWorkflowEngine;
  tokens: DevTokens;
  /** restarts executions of unfinished projects (after a restart) */
  recover(): Promise<number>;
  /** stops the engine and the DynamoDB client (not DynamoDB Local itself) */
  stop(): Promise<void>;
};

export type LocalSystemOptions = {
  endpoint: string;
  tableName: string;
  clock?: Clock;
  calendar?: WorkingDayCalendar;
  config?: DaibanConfig;
  devSecret?: string;
};

/**
 * Wires the embedded runtime: DynamoDB Local table, store, the local Step Functions engine running the generated
 * ASL, the use cases as task handlers, and the Hono app with local dev tokens. Reference data is seeded
 * idempotently (departments, the reference chain, users).
 */
export async function createLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: options.endpoint });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  await ensureTable(client, options.tableName);
  const store = new DynamoDaibanStore(doc, options.tableName);
  await seedReferenceData(store);

  // every version: a project stays on the chain version it was registered on, and must resume on it
  const chains = await store.listChainVersions();
  const engine = new LocalWorkflowEngine({
    definitions: Object.fromEntries(chains.map((chain) => [chainKey(chain), chainToAslJson(chain)])),
  });
  const ctx: AppContext = {
    store,
    engine,
    chains: new ChainCatalog(store),
    clock: options.clock ?? systemClock,
    calendar: options.calendar ?? chineseDaysCalendar(),
    newId: ulidFactory(),
    config: options.config ?? DEFAULT_CONFIG,
  };
  engine.bindHandlers({
    callbackTask: (input) => handleCallbackTask(ctx, input),
    finishProject: (input) => finishProject(ctx, input),
  });

  const tokens = new DevTokens(options.devSecret ?? 'daiban-local-dev-secret');
  const app = createApp({
    ctx,
    authenticate: async (c: Context) => {
      const header = c.req.header('authorization') ?? '';
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (!match?.[1]) {
        throw new UnauthenticatedError(
          'sign in: send Authorization: Bearer <token> (locally from POST /auth/dev-token)',
        );
      }
      return tokens.verify(match[1]);
    },
    issueDevToken: (user) => tokens.issue(user),
  });

  return {
    ctx,
    app,
    engine,
    tokens,
    recover: () => recoverExecutions(ctx),
    async stop() {
      engine.stop();
      client.destroy();
    },
  };
}
