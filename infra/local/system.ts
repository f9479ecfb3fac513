import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createApp, type DaibanApp } from '../../functions/app.js';
import { authenticateWith } from '../../functions/http/session-token.js';
import { handleCallbackTasks } from '../../shared/app/callback-task.js';
import { ChainCatalog } from '../../shared/app/chain-catalog.js';
import { type Clock, systemClock } from '../../shared/app/clock.js';
import type { ClockControl } from '../../shared/app/clock-control.js';
import {
  type AppContext,
  type DaibanConfig,
  DEFAULT_SPINE,
  type SpineSettings,
  ulidFactory,
} from '../../shared/app/context.js';
import { reconcileProject } from '../../shared/app/executions.js';
import { finishStage } from '../../shared/app/finish-stage.js';
import { BackgroundImports } from '../../shared/app/import-worker.js';
import { LiveSettings } from '../../shared/app/live-settings.js';
import type { Logger } from '../../shared/app/logger.js';
import type { Metrics } from '../../shared/app/metrics.js';
import {
  type JobReport,
  type ReconcileAllResult,
  reconcileAll,
  runRecord,
  runScheduledJob,
} from '../../shared/app/scheduled-job.js';
import { SerialBlocks } from '../../shared/app/serial-blocks.js';
import { LocalSignIn } from '../../shared/app/sign-in.js';
import { JobRuns } from '../../shared/app/sweep-runs.js';
import {
  DEFAULT_HASHING,
  DEFAULT_SCRYPT,
  type HashingBound,
  type ScryptParams,
  ScryptPasswordHasher,
} from '../../shared/auth/scrypt-password-hasher.js';
import { SessionTokens } from '../../shared/auth/session-tokens.js';
import { calendarDataWith, chineseDaysCalendar } from '../../shared/calendar/chinese-days-calendar.js';
import { chainKey } from '../../shared/domain/chain.js';
import type { User } from '../../shared/domain/project.js';
import type { WorkingDayCalendar } from '../../shared/domain/working-days.js';
import { LocalWorkflowEngine } from '../../shared/engine/local-engine.js';
import type { WorkflowEngine } from '../../shared/engine/workflow-engine.port.js';
import { concurrencyLimit } from '../../shared/lib/concurrency-limit.js';
import { LocalChannels } from '../../shared/notify/local-channels.js';
import { ensureTable } from '../../shared/store/create-table.js';
import { cursorKeyFrom } from '../../shared/store/dynamo-codec.js';
import type { RetryPolicy } from '../../shared/store/dynamo-retry.js';
import { type DocumentSender, DynamoDaibanStore } from '../../shared/store/dynamo-store.js';
import { markLayoutCurrent } from '../../shared/store/layout-upgrade.js';
import { withoutSdkRequestLog } from '../../shared/store/sdk-request-log.js';
import { encodeSnapshot, type SnapshotHeader, scanTable } from '../../shared/store/snapshot.js';
import { chainToAslJson } from '../../shared/workflow/asl.js';
import type { CallbackTaskInput } from '../../shared/workflow/task-contract.js';
import { consoleLogger } from './console-logger.js';
import { LOCAL_AUTH, LOCAL_AWS } from './dynamodb-local.js';
import { applyInstallation, planInstallation, type RuntimeMode } from './installation.js';
import { queuedSender } from './queued-sender.js';
import { seedReferenceData } from './seed-reference.js';
import { SharedReadsStore } from './shared-reads-store.js';
import { taskBatches } from './task-batches.js';
import { writeBarrier } from './write-barrier.js';

export const DEFAULT_CONFIG: DaibanConfig = { regionCode: '320115', industryCode: '39', typeCode: '01' };

export type LocalSystem = {
  ctx: AppContext;
  app: DaibanApp;
  engine: LocalWorkflowEngine;
  /** demo or production (see installation.ts) */
  mode: RuntimeMode;
  /** sign-in with a password, and the identity a session token stands for */
  signIn: LocalSignIn;
  /** the password hashes running and waiting now, and the most that ran at once (see `DEFAULT_HASHING`) */
  hashing(): { running: number; waiting: number; peak: number };
  /** tests: a token for any user, as a sign-in would issue it (without the password) */
  tokens: { issue(user: User): Promise<string> };
  /** the in-process event bus and the webhook poster */
  channels: LocalChannels;
  /**
   * Resumes the executions of every in-flight project (after a start: they lived in the stopped process). One that
   * was waiting quietly is parked (resident again at its first signal), unless `lazy` is false; any other is
   * started, and replays at once.
   */
  recover(options?: {
    concurrency?: number;
    onProgress?: (done: number) => void;
    pace?: () => Promise<void>;
    lazy?: boolean;
  }): Promise<ReconcileAllResult>;
  /** task handler calls waiting for a turn (see `maxConcurrentTasks`): the work still ahead after a recovery */
  tasksWaiting(): number;
  /**
   * Resolves once the executions have caught up: no task handler runs or waits, and the engine is quiet. Polls
   * gently first (the engine's `settled()` turns the event loop without pause, which a long wait should not do).
   */
  caughtUp(): Promise<void>;
  /** one run of the scheduled job now (also what the interval runs; joins the run going on) */
  runJob(): Promise<JobReport>;
  /** the runs of the scheduled job in the background, with their progress (`GET /admin/sla-sweeps/{runId}`) */
  jobs: JobRuns;
  /** the import jobs' workers started in the background as jobs are posted (`POST /imports`) */
  imports: BackgroundImports;
  /** runs the scheduled job every `intervalMs` until stopped */
  startJobs(intervalMs: number): void;
  /**
   * A consistent snapshot of the table (shared/store/snapshot.ts), read while the runtime's writes are held still
   * (see write-barrier.ts): what `POST /admin/backup` answers.
   */
  backup(): Promise<{ bytes: Buffer; header: SnapshotHeader }>;
  /** stops the jobs, the engine and the DynamoDB client unless the table was handed in (not DynamoDB Local itself) */
  stop(): Promise<void>;
};

export type LocalSystemOptions = {
  endpoint: string;
  tableName: string;
  /** a table opened already (the runtime opens it first, to take the runtime lease before anything else) */
  table?: LocalTable;
  clock?: Clock;
  /** what `GET /health` and `POST /admin/clock` see of the clock (default: the real clock) */
  clockControl?: ClockControl;
  calendar?: WorkingDayCalendar;
  config?: DaibanConfig;
  spine?: Partial<SpineSettings>;
  /** demo (default: seeded users, dev tokens) or production (no demo users; the first admin from `adminPassword`) */
  mode?: RuntimeMode;
  /** production on an empty table: the first admin's password (`DAIBAN_ADMIN_PASSWORD`) */
  adminPassword?: string;
  /** the key session tokens are signed with (32+ bytes; `npm start` keeps one in the data folder). Default: a
   * random one for this system alone, so its tokens die with it */
  sessionSecret?: Uint8Array;
  /** how long a session token lasts (default 3600 s) */
  tokenTtlSeconds?: number;
  /** scrypt's cost for new password hashes (default `DEFAULT_SCRYPT`; tests make it cheap) */
  passwordHashing?: ScryptParams;
  /** how many password hashes run at once and may wait (default `DEFAULT_HASHING`: 2 and 32) */
  hashingBound?: HashingBound;
  log?: Logger;
  /** where the application's counts go (none published locally unless a test or benchmark listens) */
  metrics?: Metrics;
  /** tests: wrap the document client (fault injection) or the engine (a signal that fails) */
  wrapDocumentClient?: (doc: DocumentSender) => DocumentSender;
  wrapEngine?: (engine: WorkflowEngine) => WorkflowEngine;
  retry?: RetryPolicy;
  /**
   * How many task handlers run at once (as Lambda's reserved concurrency would bound them on AWS). A restart
   * resumes every project at once, each execution calling a handler per open step and gate; unbounded, they
   * would queue thousands of requests at DynamoDB Local and starve the API. Default 8.
   */
  maxConcurrentTasks?: number;
  /**
   * How many executions may be resident at once (each costs ~200 KB); beyond it idle ones are parked, resumed at
   * their next signal (see `LocalWorkflowEngine`). Default 2000.
   */
  maxResidentExecutions?: number;
  /** wraps every run of the task handlers (the benchmarks count what they cost) */
  aroundTasks?: (run: () => Promise<void>) => Promise<void>;
  /** due items the scheduled job works at once, at most (default 16) */
  sweepConcurrency?: number;
  /** `adaptive` (default): as many as DynamoDB answers without a queue, up to `sweepConcurrency`; `fixed` */
  sweepPool?: 'adaptive' | 'fixed';
  /** the scheduled job writes each week's report once the week has ended (`npm start`; tests leave it off) */
  weeklyReport?: boolean;
};

/** The DynamoDB Local table and a store over it, before anything else is wired or written. */
export type LocalTable = {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  store: DynamoDaibanStore;
  /** closes the client's connections */
  close(): void;
};

/** Connects to DynamoDB Local and creates the table if it is missing (nothing else is written). */
export async function openLocalTable(options: { endpoint: string; tableName: string }): Promise<LocalTable> {
  const client = withoutSdkRequestLog(
    new DynamoDBClient({
      ...LOCAL_AWS,
      ...LOCAL_AUTH,
      endpoint: options.endpoint,
      // A database that stops answering must not hang a request: fail fast, answer 503, let the job catch up.
      requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 5000 }),
    }),
  );
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const store = new DynamoDaibanStore(doc, options.tableName);
  try {
    const table = await ensureTable(client, options.tableName);
    // a new table is written in the current layout; an older one is brought up to it before anything reads it
    if (table === 'created') await markLayoutCurrent(doc, options.tableName);
    else while (!(await store.upgradeLayout()).done);
  } catch (error) {
    client.destroy();
    throw error;
  }
  return { client, doc, store, close: () => client.destroy() };
}

/**
 * Wires the embedded runtime: the DynamoDB Local table, the store, the local Step Functions engine running the
 * generated ASL, the use cases as task handlers, the scheduled job, and the Hono app with password sign-in (and,
 * in demo mode, dev tokens). Reference data is seeded idempotently (departments, the reference chain), then the
 * users of the mode: the demo users, or the first admin of a production installation (see installation.ts).
 * A mode that does not fit the data stops here, before anything is written.
 */
export async function createLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const table = options.table ?? (await openLocalTable(options));
  // Writes pass a barrier a backup holds while it reads the table (outside the queue: a held write takes no turn).
  const doc = writeBarrier(
    queuedSender(options.wrapDocumentClient ? options.wrapDocumentClient(table.doc) : table.doc),
  );
  const backup = async () =>
    encodeSnapshot(await doc.hold(() => scanTable(table.client, options.tableName)), {
      table: options.tableName,
      createdAt: ctx.clock.now(),
      consistency: 'write-barrier',
    });
  // Overlapping reads of a project share one Query: safe because one process writes the table (see the class).
  const sessionSecret = options.sessionSecret ?? randomBytes(32);
  // page cursors are signed with a key of their own, derived from the secret the installation keeps
  const store = new SharedReadsStore(doc, options.tableName, options.retry, cursorKeyFrom(sessionSecret));
  const log = options.log ?? consoleLogger;
  const mode = options.mode ?? 'demo';
  const passwords = new ScryptPasswordHasher(
    options.passwordHashing ?? DEFAULT_SCRYPT,
    options.hashingBound ?? DEFAULT_HASHING,
  );
  try {
    const installation = await planInstallation(store, { mode, adminPassword: options.adminPassword });
    await seedReferenceData(store);
    for (const note of await applyInstallation(store, passwords, installation, new Date())) log.info(note);
  } catch (error) {
    if (!options.table) table.close();
    throw error;
  }

  // Executions that fail are reconciled by the next run of the job (on AWS an EventBridge rule does the same).
  const failed = new Set<string>();
  // every version: a project stays on the chain version it was registered on, and must resume on it
  const chains = await store.listChainVersions();
  const localEngine = new LocalWorkflowEngine({
    definitions: Object.fromEntries(chains.map((chain) => [chainKey(chain), chainToAslJson(chain)])),
    maxResident: options.maxResidentExecutions ?? 2000,
    onExecutionFailed: (execution, error) => {
      log.warn('execution failed; the scheduled job reconciles the project', {
        execution: execution.name,
        error: String(error),
      });
      failed.add(execution.projectId);
    },
  });
  const engine = options.wrapEngine ? options.wrapEngine(localEngine) : localEngine;
  const calendar = options.calendar ?? chineseDaysCalendar();
  const channels = new LocalChannels((line) => log.info(line));
  const ctx: AppContext = {
    store,
    engine,
    chains: new ChainCatalog(store),
    serials: new SerialBlocks(store),
    clock: options.clock ?? systemClock,
    calendar,
    settings: new LiveSettings(calendar, calendarDataWith),
    channels,
    newId: ulidFactory(),
    config: options.config ?? DEFAULT_CONFIG,
    spine: { ...DEFAULT_SPINE, ...options.spine },
    log,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  };
  const taskTurns = concurrencyLimit(options.maxConcurrentTasks ?? 8);
  const around = options.aroundTasks ?? ((run: () => Promise<void>) => run());
  // The tasks of one project that arrive together (a stage starting) are handled as one read and one write.
  const callbackTask = taskBatches(
    (input: CallbackTaskInput) => input.projectId,
    (batch) => around(() => handleCallbackTasks(ctx, batch)),
    taskTurns,
  );
  localEngine.bindHandlers({
    callbackTask,
    finishStage: (input) => taskTurns(() => around(() => finishStage(ctx, input))),
  });

  // One run at a time, in the background (a run asked for during one joins it); its progress readable meanwhile.
  const jobs = new JobRuns(
    async (record) => {
      for (const projectId of [...failed]) {
        try {
          await reconcileProject(ctx, projectId);
          failed.delete(projectId);
        } catch (error) {
          log.warn('could not reconcile a failed execution yet', { projectId, error: String(error) });
        }
      }
      return runScheduledJob(ctx, {
        weeklyReport: options.weeklyReport ?? false,
        record,
        ...(options.sweepConcurrency ? { concurrency: options.sweepConcurrency } : {}),
        ...(options.sweepPool ? { pool: options.sweepPool } : {}),
      });
    },
    () => ctx.newId(),
    () => ctx.clock.now(),
    (run) => runRecord(ctx, run),
  );
  const runJob = (): Promise<JobReport> => jobs.start().done;
  const imports = new BackgroundImports(ctx);
  let timer: ReturnType<typeof setInterval> | undefined;

  const sessionTokens = new SessionTokens(sessionSecret, {
    ttlSeconds: options.tokenTtlSeconds ?? 3600,
  });
  const signIn = new LocalSignIn({ store, passwords, tokens: sessionTokens, log });
  const app = createApp({
    ctx,
    authenticate: authenticateWith((token) => signIn.identify(token)),
    accounts: { signIn, passwords },
    ...(mode === 'demo' ? { issueDevToken: (user: User) => signIn.issue(user) } : {}),
    engineHealthy: () => localEngine.running,
    ...(options.clockControl ? { clock: options.clockControl } : {}),
    runScheduledJob: runJob,
    jobs,
    importWorker: (jobId) => imports.start(jobId),
    backup: async () => (await backup()).bytes,
  });

  return {
    ctx,
    app,
    engine: localEngine,
    mode,
    signIn,
    hashing: () => passwords.load,
    tokens: { issue: async (user) => (await sessionTokens.issue(user)).token },
    channels,
    recover: ({ lazy = true, ...recoverOptions } = {}) =>
      reconcileAll(ctx, {
        ...recoverOptions,
        ...(lazy
          ? { park: (request: Parameters<LocalWorkflowEngine['park']>[0]) => localEngine.park(request) }
          : {}),
      }),
    tasksWaiting: () => taskTurns.waiting,
    async caughtUp() {
      await taskTurns.idle();
      await localEngine.settled();
    },
    runJob,
    jobs,
    imports,
    backup,
    startJobs(intervalMs) {
      timer ??= setInterval(() => {
        runJob().catch((error: unknown) => log.warn('scheduled job failed', { error: String(error) }));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await imports.stop();
      await jobs.idle();
      localEngine.stop();
      // a table handed in is closed by whoever opened it (the runtime still releases its lease through it)
      if (!options.table) table.close();
    },
  };
}
