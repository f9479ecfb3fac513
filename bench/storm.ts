import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_AWS, type RunningDynamoDb, startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { InProcessClient } from '../infra/local/in-process-client.js';
import { createLocalSystem, type LocalTable, openLocalTable } from '../infra/local/system.js';
import { ManualClock } from '../shared/app/clock.js';
import { silentLogger } from '../shared/app/logger.js';
import type { JobReport } from '../shared/app/scheduled-job.js';
import type { TransactItem } from '../shared/store/dynamo-encoding.js';
import type { StoreOp } from '../shared/store/store.port.js';
import { toTransactItems } from '../shared/store/transact-items.js';
import { describeMachine } from './lib/machine.js';
import { inParallel } from './lib/progress.js';
import { type Latency, latency, ms, ratio, round2 } from './lib/stats.js';
import { STORM_AT, seedStorm } from './lib/storm-seed.js';
import { unconditioned } from './lib/unconditioned.js';

/**
 * `npm run bench:storm`: a storm of due items, on both runtimes.
 * (a) Embedded: N projects with step 1 long overdue (yellow, breach, first rung and 超时默认 due at once), the clock
 *     moved 30 days, one run of the scheduled job in the background as `POST /admin/clock` starts it: the drain
 *     time and items a second; beside it the bare TransactWriteItems of the same items (the sweep's transactions
 *     replayed after the drain as they were sent, each condition made one that always holds, at the same
 *     concurrency; and, for comparison, puts of as many items, as large, to fresh keys); and the p99 of a progress read (GET /projects/{id}) while
 *     the storm drains against its p99 at rest. Goals: ≤ 2 min for 10,000; ≥ 50% of bare; p99 ≤ 5×.
 * (b) AWS-shaped: a backlog of M such items worked by the scheduled job's Lambda handler (functions/jobs) on an
 *     AWS context against DynamoDB Local (Step Functions a recording fake), with the Lambda's time limit simulated
 *     (`getRemainingTimeInMillis`), invoked again until drained, as EventBridge Scheduler does every minute.
 */
const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '10000' },
    backlog: { type: 'string' },
    'lambda-limit-s': { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '16' },
    /** `adaptive` (the product's default) or `fixed` at --concurrency */
    pool: { type: 'string', default: 'adaptive' },
    quick: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const ITEMS = quick ? 30 : Number(values.items);
const BACKLOG = quick ? 30 : Number(values.backlog ?? values.items);
const LIMIT_MS = (quick ? 15 : Number(values['lambda-limit-s'])) * 1000;
const CONCURRENCY = Number(values.concurrency);
const POOL = values.pool === 'fixed' ? 'fixed' : 'adaptive';
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? join(import.meta.dirname, 'results');

export type StormFigure = {
  items: number;
  concurrency: number;
  drainS: number;
  perSecond: number;
  failures: number;
  transactions: number;
  /** CPU a drained item cost: this process (the sweep, the engine, the API's reads meanwhile) and DynamoDB Local */
  cpuPerItem?: { nodeMs: number; javaMs: number };
  /** the same for a bare transaction */
  bareCpuPerTransaction: { nodeMs: number; javaMs: number };
  /**
   * the baseline of the goal: the sweep's own transactions, replayed after the drain as they were sent (the same
   * items: keys, attributes, index keys, update expressions), each condition made one that always holds, at the
   * same concurrency
   */
  sameItems: { perSecond: number; ratio: number; cpuPerTransaction: { nodeMs: number; javaMs: number } };
  /** 10,000 items at this run's rate: a projection, not a measurement */
  projected10kS: number;
  opsPerTransaction: number;
  /** puts of as many items, as large, to fresh keys (no index keys, no conditions): a lower bound, for comparison */
  barePerSecond: number;
  /** sweep items a second / bare puts a second */
  bareRatio: number;
  readAtRest: Latency;
  readDuringStorm: Latency;
  p99Ratio: number;
  goals: { drainS: number; bareRatio: number; p99Ratio: number };
  met: { drain: boolean; bare: boolean; p99: boolean };
};

export type BacklogFigure = {
  items: number;
  lambdaLimitS: number;
  runs: number;
  /** the runs back to back */
  workS: number;
  /** on the schedule (one run a minute) */
  scheduleMinutes: number;
  longestRunS: number;
  withinLimit: boolean;
  perRun: Array<{ seconds: number; sla: number; remaining: number; failures: number }>;
};

/** `STORM_DEBUG=1`: the job's warnings, each kind counted (why pieces of work failed). */
const warnings = new Map<string, number>();
const benchLog = {
  ...silentLogger,
  warn: (message: string, fields?: Record<string, unknown>) => {
    if (!process.env.STORM_DEBUG) return;
    const key = `${message}: ${String(fields?.error ?? '').slice(0, 160)}`;
    warnings.set(key, (warnings.get(key) ?? 0) + 1);
  },
};

/** The CPU time (user + system) a process has used, in ms (Linux /proc; 0 elsewhere or without a pid). */
function javaCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime, fields 14 and 15 of the line (11 and 12 after the command's closing parenthesis), in ticks
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

const sleep = (msDelay: number) => new Promise((resolve) => setTimeout(resolve, msDelay));

async function freshTable(
  endpoint: string,
  label: string,
): Promise<{ tableName: string; table: LocalTable }> {
  const tableName = `storm-${label}-${Date.now()}`;
  return { tableName, table: await openLocalTable({ endpoint, tableName }) };
}

/** Times GET /projects/{id} one after another until `until` says stop (at least `min` reads). */
async function readLatencies(
  client: InProcessClient,
  projectId: string,
  until: () => boolean,
  min: number,
): Promise<number[]> {
  const samples: number[] = [];
  while (samples.length < min || !until()) {
    const started = performance.now();
    const res = await client.call('GET', `/projects/${projectId}`, 'agent-wang');
    if (res.status !== 200) throw new Error(`progress read answered ${res.status}`);
    samples.push(performance.now() - started);
    await sleep(20);
  }
  return samples;
}

async function embeddedStorm(endpoint: string, javaPid: number | undefined): Promise<StormFigure> {
  const { tableName, table } = await freshTable(endpoint, 'embedded');
  console.log(
    `\n(a) embedded: ${ITEMS} projects, step 1 due 30 days ago, pool ${POOL} (at most ${CONCURRENCY})`,
  );
  await seedStorm({ endpoint, tableName, table, projects: ITEMS });
  const system = await createLocalSystem({
    endpoint,
    tableName,
    table,
    clock: new ManualClock(STORM_AT),
    log: benchLog,
    sweepConcurrency: CONCURRENCY,
    sweepPool: POOL,
  });
  try {
    const client = new InProcessClient(system.app);
    const probe = (await system.ctx.store.listProjects({ status: 'active' }, { limit: 1 })).items[0]
      ?.projectId;
    if (!probe) throw new Error('no project seeded');
    const atRest = await readLatencies(client, probe, () => true, quick ? 20 : 200);
    // what each of the sweep's transactions writes: as many items, as large (the bare baseline replays them)
    const store = system.ctx.store;
    const commit = store.commit.bind(store);
    const shapes: Array<{ items: number; bytes: number }> = [];
    const sent: TransactItem[][] = [];
    store.commit = async (ops: StoreOp[]) => {
      // as DynamoDB gets it: the items of the transaction (several operations may make one item: a project's events,
      // a token's checks)
      const { items } = toTransactItems(tableName, ops);
      shapes.push({ items: items.length, bytes: JSON.stringify(items).length });
      try {
        const committed = await commit(ops);
        sent.push(items);
        return committed;
      } catch (error) {
        if (process.env.STORM_DEBUG) {
          const failed = (error as { failed?: StoreOp[] }).failed ?? [];
          const what = failed.map((op) => JSON.stringify(op).slice(0, 200)).join(' | ');
          benchLog.warn('commit failed', { error: `${String(error).slice(0, 60)} ${what}` });
        }
        throw error;
      }
    };
    const started = performance.now();
    const wallStarted = Date.now();
    const cpuAtStart = { node: process.cpuUsage(), java: javaCpuMs(javaPid) };
    let cpu: { nodeMs: number; javaMs: number } | undefined;
    const { run, done } = system.jobs.start();
    // the CPU both processes spent until the due work drained (the run's audit slice left out)
    const drained = setInterval(() => {
      if (!run.workedAt && run.state === 'running') return;
      clearInterval(drained);
      const node = process.cpuUsage(cpuAtStart.node);
      cpu = { nodeMs: (node.user + node.system) / 1000, javaMs: javaCpuMs(javaPid) - cpuAtStart.java };
    }, 20);
    const reads = readLatencies(client, probe, () => run.state !== 'running', quick ? 5 : 50);
    const timer = setInterval(() => {
      console.log(`  … ${run.done}/${run.due} worked, ${run.perSecond}/s, ${run.failures} failed`);
    }, 10_000);
    const report = await done;
    // the due work drained (the run then audits a slice of projects and ends)
    const drainS = (Date.parse(run.workedAt ?? new Date().toISOString()) - wallStarted) / 1000;
    const runS = (performance.now() - started) / 1000;
    clearInterval(timer);
    clearInterval(drained);
    const during = await reads;
    store.commit = commit;
    console.log(
      `  drained in ${drainS.toFixed(1)} s (the run with its audit slice: ${runS.toFixed(1)} s): ${JSON.stringify(report)}`,
    );
    // the executions the audit started run before the baseline is measured
    await system.caughtUp();
    for (const [warning, count] of warnings) console.log(`  warned ${count}×: ${warning}`);

    // the bare baseline: the same transactions' shapes to fresh keys, at the same concurrency
    const bareStarted = performance.now();
    const bareCpuAtStart = { node: process.cpuUsage(), java: javaCpuMs(javaPid) };
    await inParallel(
      shapes.map((shape, i) => ({ ...shape, i })),
      CONCURRENCY,
      async ({ items, bytes, i }) => {
        const payload = 'x'.repeat(Math.max(1, Math.floor(bytes / items) - 40));
        await table.doc.send(
          new TransactWriteCommand({
            TransactItems: Array.from({ length: items }, (_, j) => ({
              Put: { TableName: tableName, Item: { PK: `BARE#${i}`, SK: `ITEM#${j}`, payload } },
            })),
          }),
        );
      },
    );
    const bareS = (performance.now() - bareStarted) / 1000;
    const bareNode = process.cpuUsage(bareCpuAtStart.node);
    const bareJavaMs = javaCpuMs(javaPid) - bareCpuAtStart.java;

    // the goal's baseline: the sweep's own transactions again, as sent, their conditions always holding
    const replayStarted = performance.now();
    const replayCpuAtStart = { node: process.cpuUsage(), java: javaCpuMs(javaPid) };
    await inParallel(sent, CONCURRENCY, async (items) => {
      await table.doc.send(new TransactWriteCommand({ TransactItems: items.map(unconditioned) }));
    });
    const replayS = (performance.now() - replayStarted) / 1000;
    const replayNode = process.cpuUsage(replayCpuAtStart.node);
    const replayed = Math.max(1, sent.length);
    const sameItemsPerSecond = round2(sent.length / replayS);
    const sameItems = {
      perSecond: sameItemsPerSecond,
      ratio: round2(ratio(run.done / drainS, sameItemsPerSecond)),
      cpuPerTransaction: {
        nodeMs: round2((replayNode.user + replayNode.system) / 1000 / replayed),
        javaMs: round2((javaCpuMs(javaPid) - replayCpuAtStart.java) / replayed),
      },
    };
    const bareCpu = {
      nodeMs: round2((bareNode.user + bareNode.system) / 1000 / Math.max(1, shapes.length)),
      javaMs: round2(bareJavaMs / Math.max(1, shapes.length)),
    };
    const worked = run.done;
    const cpuPerItem = cpu
      ? { nodeMs: round2(cpu.nodeMs / Math.max(1, worked)), javaMs: round2(cpu.javaMs / Math.max(1, worked)) }
      : undefined;
    const perSecond = round2(worked / drainS);
    const barePerSecond = round2(shapes.length / bareS);
    const readAtRest = latency(atRest);
    const readDuringStorm = latency(during);
    const bareRatio = round2(ratio(perSecond, barePerSecond));
    const p99Ratio = round2(ratio(readDuringStorm.p99, readAtRest.p99));
    const goals = { drainS: (120 * ITEMS) / 10_000, bareRatio: 0.5, p99Ratio: 5 };
    return {
      items: worked,
      concurrency: CONCURRENCY,
      drainS: round2(drainS),
      perSecond,
      failures: report.failures,
      transactions: shapes.length,
      ...(cpuPerItem ? { cpuPerItem } : {}),
      bareCpuPerTransaction: bareCpu,
      sameItems,
      projected10kS: round2(10_000 / Math.max(0.01, worked / drainS)),
      opsPerTransaction: round2(shapes.reduce((sum, s) => sum + s.items, 0) / Math.max(1, shapes.length)),
      barePerSecond,
      bareRatio,
      readAtRest,
      readDuringStorm,
      p99Ratio,
      goals,
      met: {
        drain: drainS <= goals.drainS,
        bare: sameItems.ratio >= goals.bareRatio,
        p99: p99Ratio <= goals.p99Ratio,
      },
    };
  } finally {
    await system.stop();
    table.close();
  }
}

/** A Step Functions client whose requests never leave the process: every call answers as if accepted. */
function acceptingSfnClient(): SFNClient {
  const client = new SFNClient(LOCAL_AWS);
  client.middlewareStack.add(
    () => async () => ({ output: { $metadata: { httpStatusCode: 200 }, status: 'RUNNING' }, response: {} }),
    { step: 'initialize', name: 'acceptInsteadOfSending' },
  );
  return client;
}

async function lambdaBacklog(endpoint: string): Promise<BacklogFigure> {
  const { tableName, table } = await freshTable(endpoint, 'lambda');
  console.log(
    `\n(b) AWS-shaped: a backlog of ${BACKLOG}, the scheduled job's Lambda handler, ${LIMIT_MS / 1000} s a run`,
  );
  await seedStorm({ endpoint, tableName, table, projects: BACKLOG });
  table.close();
  // the handler module builds its own context from the Lambda environment when loaded (cold start)
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    STATE_MACHINE_NAME_PREFIX: 'Daiban-bench-',
    AWS_ACCOUNT_ID: '111122223333',
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const { createAwsContext } = await import('../functions/commons/aws-context.js');
  const { createScheduledJobHandler } = await import('../functions/jobs/scheduled-job.js');
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  const sfn = acceptingSfnClient();
  const ctx = createAwsContext(
    process.env,
    { dynamo, sfn },
    { clock: new ManualClock(STORM_AT), log: silentLogger },
  );
  const handler = createScheduledJobHandler(ctx, { concurrency: CONCURRENCY });
  const perRun: BacklogFigure['perRun'] = [];
  const started = performance.now();
  try {
    for (let runs = 1; runs <= 100; runs += 1) {
      const runStarted = performance.now();
      const deadline = Date.now() + LIMIT_MS;
      const report = (await handler(
        { 'detail-type': 'Scheduled Event', source: 'aws.scheduler', detail: {} },
        { getRemainingTimeInMillis: () => deadline - Date.now() },
      )) as JobReport;
      const seconds = round2((performance.now() - runStarted) / 1000);
      perRun.push({ seconds, sla: report.sla, remaining: report.remaining, failures: report.failures });
      console.log(
        `  run ${runs}: ${seconds} s, ${report.sla} SLA actions, ${report.remaining} left, ${report.failures} failed`,
      );
      if (!report.skipped && report.remaining === 0) break;
    }
  } finally {
    dynamo.destroy();
    sfn.destroy();
  }
  const workS = round2((performance.now() - started) / 1000);
  const longestRunS = Math.max(...perRun.map((r) => r.seconds));
  return {
    items: BACKLOG,
    lambdaLimitS: LIMIT_MS / 1000,
    runs: perRun.length,
    workS,
    scheduleMinutes: perRun.length,
    longestRunS,
    withinLimit: longestRunS * 1000 <= LIMIT_MS,
    perRun,
  };
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const machine = describeMachine();
  console.log(
    `Storm benchmark${quick ? ' (--quick: checks that it runs; not timings to quote)' : ''}: ${machine.cpuModel}, ${machine.cpus} CPU(s), load average ${machine.loadAverage.start}`,
  );
  let dynamo: RunningDynamoDb | undefined;
  try {
    dynamo = await startDynamoDbLocal();
    const storm = await embeddedStorm(dynamo.endpoint, dynamo.pid);
    const backlog = await lambdaBacklog(dynamo.endpoint);
    const yes = (met: boolean) => (met ? 'met' : 'NOT MET');
    console.log(`
| Figure | Measured | Baseline (same run) | Ratio | Goal | |
| --- | --- | --- | --- | --- | --- |
| Storm: ${storm.items} due items drained, embedded, ${storm.concurrency} at once | ${storm.drainS} s (${storm.perSecond}/s, ${storm.failures} failed) | | | ≤ ${storm.goals.drainS} s | ${yes(storm.met.drain)} |
| Storm: sweep items/s vs bare TransactWriteItems of the same items (its ${storm.transactions} transactions replayed as sent, ${storm.opsPerTransaction} items each, conditions always holding) | ${storm.perSecond}/s | ${storm.sameItems.perSecond}/s | ${Math.round(storm.sameItems.ratio * 100)}% | ≥ 50% | ${yes(storm.met.bare)} |
| Storm: the same vs bare puts of as many items, as large, to fresh keys (no index keys, no conditions; for comparison) | ${storm.perSecond}/s | ${storm.barePerSecond}/s | ${Math.round(storm.bareRatio * 100)}% | | |
| Storm: CPU per drained item (Node: sweep, engine, API reads; DynamoDB Local) | ${storm.cpuPerItem ? `Node ${storm.cpuPerItem.nodeMs} ms, DynamoDB Local ${storm.cpuPerItem.javaMs} ms` : 'not measured'} | a transaction replayed: Node ${storm.sameItems.cpuPerTransaction.nodeMs} ms, DynamoDB Local ${storm.sameItems.cpuPerTransaction.javaMs} ms; bare puts: Node ${storm.bareCpuPerTransaction.nodeMs} ms, DynamoDB Local ${storm.bareCpuPerTransaction.javaMs} ms | | | |
| Storm: 10,000 items at this run's rate (a projection, not a measurement) | ${storm.projected10kS} s | | | ≤ 120 s | |
| Storm: progress read GET /projects/{id} p50 / p99 during the storm | ${ms(storm.readDuringStorm.p50)} / ${ms(storm.readDuringStorm.p99)} | at rest ${ms(storm.readAtRest.p50)} / ${ms(storm.readAtRest.p99)} | p99 ${storm.p99Ratio}× | ≤ 5× | ${yes(storm.met.p99)} |
| Backlog on AWS: ${backlog.items} due items, scheduled job's Lambda handler, ${backlog.lambdaLimitS} s limit | ${backlog.runs} run(s), ${backlog.workS} s of work (≈ ${backlog.scheduleMinutes} min on the 1-minute schedule); longest run ${backlog.longestRunS} s | | | every run inside its limit | ${yes(backlog.withinLimit)} |`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(
      join(RESULTS_DIR, 'storm.json'),
      `${JSON.stringify({ measuredAt: new Date().toISOString(), quick, machine, storm, backlog }, null, 2)}\n`,
    );
  } finally {
    await dynamo?.stop();
  }
}

main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
