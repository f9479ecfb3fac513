import { SettableClock, SimulatedClock, systemClock } from '../../shared/app/clock.js';
import {
  type ClockControl,
  realClockControl,
  savedSimulatedOffset,
  simulatedClockControl,
} from '../../shared/app/clock-control.js';
import { describeHolder, RuntimeLease } from '../../shared/app/runtime-lease.js';
import { useServiceTimeZone } from '../../shared/domain/local-time.js';
import { type DynamoDbLocalOptions, type RunningDynamoDb, startDynamoDbLocal } from './dynamodb-local.js';
import { DynamoDbSupervisor } from './dynamodb-supervisor.js';
import { type HttpListener, listenHttp } from './http-listener.js';
import { DEMO_PASSWORD, FIRST_ADMIN_ID } from './installation.js';
import { makeDataPrivate, privateUmask } from './private-data.js';
import { isLoopbackHost, localUrl, type RuntimeOptions, readRuntimeOptions } from './runtime-options.js';
import { holderGoneFromThisHost, thisRuntime } from './runtime-owner.js';
import { seedDemoProjects } from './seed-demo.js';
import { seedWeeklyReports } from './seed-weekly-reports.js';
import { loadSessionSecret } from './session-secret.js';
import { createLocalSystem, type LocalSystem, type LocalTable, openLocalTable } from './system.js';

/**
 * `npm start`: the whole system on one machine. In this order, so that a start that cannot run stops before it
 * changes anything: take the HTTP port; start (or adopt) DynamoDB Local; open the table; take the runtime lease
 * (one runtime per store); then seed reference data, wire the system, serve, and resume in-flight projects in
 * the background while the API answers. Ctrl-C stops everything it started or adopted and releases the lease.
 */

/** What has been started so far, so that stopping at any point undoes exactly that. */
const running: {
  http?: HttpListener;
  dynamo?: RunningDynamoDb;
  /** restarts DynamoDB Local when it dies; its `current` is what `dynamo` then holds */
  supervisor?: DynamoDbSupervisor<RunningDynamoDb>;
  table?: LocalTable;
  lease?: RuntimeLease;
  system?: LocalSystem;
} = {};
let stopping = false;

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    console.error('Stopping took over 20 s; exiting anyway.');
    process.exit(code || 1);
  }, 20_000).unref();
  const attempt = async (what: string, work: () => unknown) => {
    try {
      await work();
    } catch (error) {
      console.warn(`  could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  running.lease?.stopRenewing();
  running.supervisor?.stop();
  running.http?.close();
  await attempt('stop the runtime', () => running.system?.stop());
  // Released only once nothing of ours drives executions any more: the next runtime may start at once.
  if (running.lease?.held) {
    await attempt('release the runtime lease (the next start takes it once it expires)', () =>
      running.lease?.release(),
    );
  }
  running.table?.close();
  const dynamo = running.supervisor && running.dynamo ? running.supervisor.current : running.dynamo;
  await attempt('stop DynamoDB Local', () => dynamo?.stop());
  process.exit(code);
}

async function main(): Promise<void> {
  // One line instead of the AWS SDK's multi-line notice; the README says which Node versions are supported.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (Number(process.versions.node.split('.')[0]) < 22) {
    console.log(
      `Node ${process.version}: fine locally; Lambda runs Node 22, and AWS SDK releases after January 2027 need it.`,
    );
  }
  const options = readRuntimeOptions(process.argv.slice(2), process.env);
  useServiceTimeZone(options.timeZone);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!stopping) console.log('\nStopping …');
      void stop(0);
    });
  }

  // 1. The HTTP port first: a port in use stops here, before DynamoDB Local starts or anything is read.
  running.http = await listenHttp({ port: options.port, host: options.host });

  // The data folder holds the password hashes and the token secret: its owner's alone, and so is all it gets later.
  privateUmask();
  for (const path of makeDataPrivate(options.dataDir)) console.log(`made ${path} private to this user`);

  // 2. DynamoDB Local: ours from a previous run is adopted, another folder's is refused.
  console.log(`Starting DynamoDB Local on port ${options.dynamoPort} (data in ${options.dataDir}) …`);
  const dynamoOptions: DynamoDbLocalOptions = {
    port: options.dynamoPort,
    dataDir: options.dataDir,
    // outlives a crash of this process on purpose: the next start adopts it (the tests' and benchmarks' do not)
    exitWithParent: false,
    log: (line) => console.log(line),
    onUnexpectedExit: (what) => {
      console.error(`${what}. The API answers 503 until it runs again; the runtime restarts it.`);
      void running.supervisor?.check();
    },
  };
  const dynamo = await startDynamoDbLocal(dynamoOptions);
  running.dynamo = dynamo;
  if (dynamo.origin === 'adopted') {
    console.log(`  a DynamoDB Local for this data folder is running already (pid ${dynamo.pid})`);
  } else if (dynamo.origin === 'reused') {
    console.log(
      `  using the DynamoDB already listening on ${dynamo.endpoint} (not ours: left running on exit)`,
    );
  }

  // 3. The table, then the lease, before anything is written.
  const table = await openLocalTable({ endpoint: dynamo.endpoint, tableName: options.tableName });
  running.table = table;
  const lease = new RuntimeLease({
    store: table.store,
    // real time even on a simulated clock: a lease's 20 seconds are real seconds
    clock: systemClock,
    owner: thisRuntime(),
    isHolderGone: holderGoneFromThisHost,
  });
  const claim = await lease.acquire();
  if (!claim.acquired) {
    console.error(refusal(options, describeHolder(claim.holder)));
    // What we adopted or reused, the runtime holding the lease uses: leave it running.
    if (dynamo.origin !== 'started') running.dynamo = undefined;
    return stop(1);
  }
  running.lease = lease;
  // A DynamoDB Local that dies (killed, crashed) is started again, with backoff, and the log says so.
  if (dynamo.origin !== 'reused') {
    const supervisor = new DynamoDbSupervisor(dynamo, {
      start: () => startDynamoDbLocal(dynamoOptions),
      log: (line) => console.error(line),
      firstDelayMs: options.dynamoRestartDelayMs,
    });
    supervisor.watch();
    running.supervisor = supervisor;
  }
  if (dynamo.origin === 'adopted') {
    console.log('  the runtime that started it is gone: this one adopts it, and stops it on Ctrl-C');
  }
  lease.startRenewing({
    onLost: (holder) => {
      console.error(
        `Another runtime took the lease over (${describeHolder(holder)}): stopping this one, so that two runtimes never drive the same projects.`,
      );
      running.supervisor?.stop();
      (running.supervisor?.current ?? dynamo).disown(); // the other runtime uses it now
      running.dynamo = undefined;
      void stop(1);
    },
    onError: warnAtMostEvery(30_000, (error) =>
      console.warn(`Could not renew the runtime lease (${String(error)}); trying again.`),
    ),
  });

  // 4. The signing secret, the clock, reference data, users (by mode) and the system.
  const session = loadSessionSecret(options.dataDir);
  if (session.created) console.log(`  made a new token-signing secret in ${session.path}`);
  const simulated =
    options.clock === 'simulated' ? new SimulatedClock(await savedSimulatedOffset(table.store)) : undefined;
  const clockControl: ClockControl = simulated
    ? simulatedClockControl(simulated, table.store)
    : realClockControl;
  const clock = new SettableClock(simulated ?? systemClock);
  const system = await createLocalSystem({
    endpoint: dynamo.endpoint,
    tableName: options.tableName,
    table,
    clock,
    clockControl,
    weeklyReport: true,
    ...(options.stuckAfterSeconds !== undefined
      ? { spine: { stuckAfterSeconds: options.stuckAfterSeconds } }
      : {}),
    mode: options.mode,
    ...(options.adminPassword ? { adminPassword: options.adminPassword } : {}),
    sessionSecret: session.secret,
    tokenTtlSeconds: options.tokenTtlSeconds,
  });
  running.system = system;

  const empty = (await system.ctx.store.listProjects({}, { limit: 1 })).items.length === 0;
  if (empty && options.seedDemo) {
    console.log('Seeding the demo: projects at different points of the reference chain …');
    const seeded = await seedDemoProjects(system, clock);
    for (const line of seeded) console.log(`  ${line}`);
    console.log(`Seeded ${seeded.length} demo projects`);
    await seedWeeklyReports(system.ctx);
  }

  // 5. Serve, then resume what was in flight while the API answers.
  running.http.serve(system.app.fetch);
  console.log(banner(running.http.port, clockControl, clock.now(), options));
  if (empty) {
    startJobs(system, options);
  } else {
    void resumeInBackground(system, options);
  }
}

/**
 * Resumes in-flight projects while the API answers: a pass finds every missing execution (a few at a time) and
 * parks it when it was waiting quietly for signals (its tokens all in DynamoDB: it becomes resident at its first
 * signal, replaying then), or starts it (it replays now; task handlers a few at a time, so the API keeps answering).
 * "Resumed" is said once every project's execution is either parked, ready for its next signal, or resident and
 * waiting where it waited before the restart.
 */
/** How many task handler calls may wait their turn before the recovery pass starts more executions. */
const MAX_TASKS_BEHIND = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function resumeInBackground(system: LocalSystem, options: RuntimeOptions): Promise<void> {
  console.log('Resuming the projects in flight; the API answers meanwhile …');
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  let checked = 0;
  const progress = setInterval(() => {
    console.log(`  … ${checked} project(s) checked, ${system.tasksWaiting()} task(s) waiting their turn`);
  }, 5000);
  try {
    const result = await system.recover({
      // a parked project costs one read; a started one is held back by `pace`
      concurrency: 8,
      // Start executions only as fast as their handlers keep up: memory stays flat, and the handlers of a live
      // decision wait behind a short queue rather than behind every project's replay.
      pace: async () => {
        while (system.tasksWaiting() > MAX_TASKS_BEHIND && !stopping) await sleep(50);
      },
      onProgress: (done) => {
        checked = done;
      },
    });
    console.log(
      `  the executions of ${result.resumed} project(s) parked or started in ${seconds()} s` +
        ` (${result.parked} parked, ${result.started + result.renewed} started); catching up …`,
    );
    await system.caughtUp();
    const { resident, parked } = system.engine.counts();
    console.log(
      `Resumed ${result.resumed} project(s) in flight in ${seconds()} s (${result.projects} checked; ` +
        `${result.parked} parked until their next signal, ${result.started} started and ${result.renewed} renewed, ` +
        `which replayed what DynamoDB holds; now ${resident} execution(s) resident, ${parked} parked` +
        `${result.failures > 0 ? `; ${result.failures} left for the scheduled job to retry` : ''}).`,
    );
  } catch (error) {
    if (stopping) return;
    console.warn(`Resuming stopped (${String(error)}); the scheduled job resumes what is left.`);
  } finally {
    clearInterval(progress);
  }
  if (!stopping) startJobs(system, options);
}

function startJobs(system: LocalSystem, options: RuntimeOptions): void {
  if (options.jobIntervalMs > 0) system.startJobs(options.jobIntervalMs);
}

/** A warning repeated by every tick of an outage is noise: say it, then at most once per `ms`. */
function warnAtMostEvery(ms: number, warn: (error: unknown) => void): (error: unknown) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (error) => {
    if (Date.now() - last < ms) return;
    last = Date.now();
    warn(error);
  };
}

function refusal(options: RuntimeOptions, holder: string): string {
  return `
Another Daiban runtime is already running on this database (table ${options.tableName}, DynamoDB Local on port ${options.dynamoPort}, data in ${options.dataDir}):
  ${holder}
Two runtimes would both drive the same projects, so this one stops here without changing anything.
Stop the other one first (Ctrl-C in its terminal), or give this one its own DAIBAN_DATA_DIR and DYNAMODB_PORT.`;
}

function banner(port: number, clockControl: ClockControl, now: Date, options: RuntimeOptions): string {
  const host = options.host;
  const base = localUrl(host, port);
  // Said out loud: in demo mode POST /auth/dev-token hands anyone a token for any user, admin included.
  const exposedLine = isLoopbackHost(host)
    ? ''
    : options.mode === 'production'
      ? `\n  exposed           HOST=${host}: other machines reach the API (sign-in with passwords); DynamoDB Local stays on 127.0.0.1`
      : `\n  exposed           HOST=${host}: other machines reach the API, and in demo mode anyone who does can sign in as any user (admin included); DynamoDB Local stays on 127.0.0.1`;
  const clockLine =
    clockControl.mode === 'simulated'
      ? `\n  clock             simulated, now ${now.toISOString()}; as admin: POST ${base}/admin/clock {"advanceDays": 7}`
      : '';
  const minutes = Math.round(options.tokenTtlSeconds / 60);
  const takeToken = `node -pe 'JSON.parse(require("fs").readFileSync(0)).token'`;
  if (options.mode === 'production') {
    return `
Daiban (代办) is running at ${base} in production mode
  web pages         ${base}/   (sign in at ${base}/sign-in)
  API description   ${base}/openapi.json
  sign in           POST ${base}/auth/login {"userId": "…", "password": "…"}: a bearer token for ${minutes} min
  users             the admin ('${FIRST_ADMIN_ID}' at first) manages them: GET/POST ${base}/admin/users${clockLine}${exposedLine}

Try:
  TOKEN=$(curl -s -X POST ${base}/auth/login -H 'content-type: application/json' -d '{"userId":"${FIRST_ADMIN_ID}","password":"'"$DAIBAN_ADMIN_PASSWORD"'"}' | ${takeToken})
  curl -s ${base}/admin/users -H "authorization: Bearer $TOKEN"

Press Ctrl-C to stop.`;
  }
  return `
Daiban (代办) is running at ${base} in DEMO mode
  demo mode         every seeded user signs in with the password '${DEMO_PASSWORD}', and POST /auth/dev-token gives
                    anyone a token for any user: for trying Daiban out, not for real data (npm start -- --production)
  web pages         ${base}/   (sign in at ${base}/sign-in)
  API description   ${base}/openapi.json
  reference chain   ${base}/chains/industrial-enterprise
  seeded users      ${base}/auth/users   (agent-wang, agent-li, officer-<dept> e.g. officer-env, investor-jinling, leader-zhang, admin)${clockLine}${exposedLine}

Try:
  TOKEN=$(curl -s -X POST ${base}/auth/login -H 'content-type: application/json' -d '{"userId":"leader-zhang","password":"${DEMO_PASSWORD}"}' | ${takeToken})
  curl -s ${base}/projects -H "authorization: Bearer $TOKEN"

Press Ctrl-C to stop.`;
}

main().catch((error: unknown) => {
  if (stopping) return; // a Ctrl-C during the start: stop() finishes the job
  console.error(error instanceof Error ? error.message : error);
  void stop(1);
});
