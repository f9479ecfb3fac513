import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { allSteps, approvalOf, officerOf, type ProjectView } from '../infra/local/drive-over-http.js';
import { freePort, startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { readRecord } from '../infra/local/dynamodb-record.js';
import { demoEnterprises } from '../infra/local/seed-reference.js';
import { createLocalSystem, openLocalTable } from '../infra/local/system.js';
import type { AppContext } from '../shared/app/context.js';
import { createProject } from '../shared/app/create-project.js';
import { silentLogger } from '../shared/app/logger.js';
import { decideStep, submitStep } from '../shared/app/step-actions.js';
import { findStep } from '../shared/domain/chain-graph.js';
import type { Principal } from '../shared/domain/principal.js';
import { cloneProject } from './lib/clone-projects.js';
import { cpuSecondsOf, memoryOf } from './lib/machine.js';
import { inParallel, progressBar } from './lib/progress.js';

/**
 * `npm run bench:restart -- --projects 1000`: how the embedded runtime comes back after a restart with many
 * projects in flight. Seeds N projects (registered through the use case, step 1 submitted and approved so several
 * stage-1 steps are open) in a data folder, stops, then starts `npm start`'s entry point as a child process and
 * measures: the start until the API serves, /health latency while the projects resume in the background, the time
 * until every project is resumed, and the peak memory of the runtime and of DynamoDB Local.
 * Goals: the API answers within 1 s of listening, every project resumed within 60 s, the runtime and DynamoDB Local
 * together under 1.5 GB. `--cloned` registers one project and clones it (fast: `npm run bench` seeds its 10,000 so).
 */

const TABLE = 'daiban-bench';
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? join(import.meta.dirname, 'results');
/** the runtime and DynamoDB Local together, peak RSS */
const MEMORY_GOAL_MB = 1536;
const CHAIN = 'industrial-enterprise';
const agent: Principal = { userId: 'agent-wang', role: 'agent', name: '王代办' };
const filingOfficer: Principal = {
  userId: 'officer-drc',
  role: 'officer',
  name: '发改局窗口',
  departmentId: 'DRC',
};

const registration = (i: number) => ({
  name: `重启基准项目 ${i + 1}`,
  enterprise: { ...demoEnterprises.jinling },
  investmentCny: 100_000_000 + i,
  chainId: CHAIN,
  attributes: {},
  agentId: agent.userId,
});

/**
 * N projects in flight: registered (their first stage's tasks and gates waiting) and step 1 (filing) submitted and
 * approved, its dependents open; or with `cloned`, one project registered and cloned N-1 times in the table (its
 * first stage waiting), which seeds 10,000 in a minute or two.
 */
async function seed(dataDir: string, projects: number, cloned: boolean): Promise<number> {
  const started = performance.now();
  const dynamo = await startDynamoDbLocal({ port: await freePort(), dataDir });
  const table = await openLocalTable({ endpoint: dynamo.endpoint, tableName: TABLE });
  const system = await createLocalSystem({
    endpoint: dynamo.endpoint,
    tableName: TABLE,
    table,
    log: silentLogger,
  });
  try {
    const ctx: AppContext = system.ctx;
    if (cloned) {
      const { project } = await createProject(ctx, agent, registration(0));
      await system.caughtUp();
      const copy = await cloneProject(table.doc, TABLE, project);
      const bar = progressBar('projects in flight written (one registered, cloned)', projects);
      let done = 1;
      await inParallel(
        Array.from({ length: projects - 1 }, (_, i) => i + 2),
        16,
        async (serial) => {
          await copy(serial);
          done += 1;
          if (done % 100 === 0 || done === projects) bar.tick(done);
        },
      );
      bar.done();
      return (performance.now() - started) / 1000;
    }
    const chain = await ctx.chains.latest(CHAIN);
    const materials = findStep(chain, '1')?.step.materials.map((m) => m.id) ?? [];
    const ids: string[] = [];
    const registered = progressBar('projects registered', projects);
    await inParallel(
      Array.from({ length: projects }, (_, i) => i),
      8,
      async (i) => {
        const { project } = await createProject(ctx, agent, registration(i));
        ids.push(project.projectId);
        registered.tick(ids.length);
      },
    );
    await system.caughtUp();
    registered.done();
    // In rounds, as the demo driver does: the engine answers each change before the next one comes.
    await inParallel(ids, 8, async (projectId) => {
      await submitStep(ctx, agent, projectId, '1', { materials });
    });
    await system.engine.settled();
    await inParallel(ids, 8, async (projectId) => {
      await decideStep(ctx, filingOfficer, projectId, { stepId: '1' }, approvalOf('DRC', '1', undefined));
    });
    await system.engine.settled();
  } finally {
    await system.stop();
    table.close();
    await dynamo.stop();
  }
  return (performance.now() - started) / 1000;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);

/** How many decisions on parked projects the bench times after the restart (cold resume), and on the same projects again once resident. */
const SIGNAL_SAMPLES = 5;

type Latencies = { samples: number; p50Ms: number; maxMs: number };

type Restart = {
  listeningS: number;
  firstHealthAfterListeningMs: number;
  healthDuringRecovery: { polls: number; p50Ms: number; p95Ms: number; maxMs: number; non200: number };
  resumed: number;
  /** of the resumed: parked (resident at their first signal) and started (replayed at once) or renewed */
  parked: number;
  started: number;
  /** executions resident / parked when the runtime said "Resumed" */
  residentAtResumed: number;
  parkedAtResumed: number;
  /**
   * A decision through the API on a project whose execution was parked (its POST answers once the signal is
   * delivered: the execution made resident, replayed and moved on), then a decision on the same project resident.
   */
  coldDecision: Latencies;
  warmDecision: Latencies;
  recoveryReportedS: number;
  startToResumedS: number;
  peakRssMb: { runtime: number; dynamoDbLocal: number };
  /** CPU seconds used from the start until every project was resumed */
  cpuSeconds: { runtime: number; dynamoDbLocal: number };
};

/** Starts the runtime on the seeded data and watches it until every project is resumed. */
async function restart(dataDir: string): Promise<Restart> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    cwd: join(import.meta.dirname, '..'),
    env: {
      ...process.env,
      PORT: String(port),
      DYNAMODB_PORT: String(await freePort()),
      DAIBAN_DATA_DIR: dataDir,
      TABLE_NAME: TABLE,
      DAIBAN_SEED_DEMO: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let listeningAt: number | undefined;
  let resumedAt: number | undefined;
  const onOutput = (chunk: Buffer) => {
    output += chunk.toString();
    if (listeningAt === undefined && output.includes('is running at')) listeningAt = performance.now();
    if (resumedAt === undefined && /Resumed \d+ project\(s\) in flight in/.test(output)) {
      resumedAt = performance.now();
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const peaks = { runtime: 0, dynamoDbLocal: 0 };
  const cpu = { runtime: 0, dynamoDbLocal: 0 };
  const sampleMemory = () => {
    const javaPid = readRecord(dataDir)?.pid;
    cpu.runtime = Math.max(cpu.runtime, cpuSecondsOf(child.pid));
    cpu.dynamoDbLocal = Math.max(cpu.dynamoDbLocal, cpuSecondsOf(javaPid));
    const runtime = memoryOf(child.pid);
    const java = memoryOf(javaPid);
    peaks.runtime = Math.max(peaks.runtime, runtime?.peak ?? 0, runtime?.rss ?? 0);
    peaks.dynamoDbLocal = Math.max(peaks.dynamoDbLocal, java?.peak ?? 0, java?.rss ?? 0);
  };
  const sampler = setInterval(sampleMemory, 250);

  const latencies: number[] = [];
  let decisions: { cold: number[]; warm: number[] } = { cold: [], warm: [] };
  let non200 = 0;
  let firstHealthAfterListening: number | undefined;
  // generous: 10,000 projects on a small machine take minutes; the figure says how many
  const deadline = performance.now() + 1_800_000;
  try {
    while (resumedAt === undefined) {
      if (child.exitCode !== null) throw new Error(`the runtime exited:\n${output}`);
      if (performance.now() > deadline)
        throw new Error(`not every project resumed in 30 minutes:\n${output}`);
      const sentAt = performance.now();
      const listening = listeningAt !== undefined;
      let status = 0;
      try {
        const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(10_000) });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        status = 0;
      }
      const answeredAt = performance.now();
      if (listening && status !== 0) {
        firstHealthAfterListening ??= answeredAt - (listeningAt ?? answeredAt);
        if (resumedAt === undefined) {
          latencies.push(answeredAt - sentAt);
          if (status !== 200) non200 += 1;
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    sampleMemory();
    decisions = await decideAfterRestart(base);
    sampleMemory();
  } finally {
    clearInterval(sampler);
    child.kill('SIGINT');
    await exited;
  }
  writeFileSync(join(RESULTS_DIR, 'restart-runtime.log'), output);
  const match = /Resumed (\d+) project\(s\) in flight in ([\d.]+) s/.exec(output);
  const counts =
    /(\d+) parked until their next signal, (\d+) started and (\d+) renewed.*?now (\d+) execution\(s\) resident, (\d+) parked/.exec(
      output,
    );
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    listeningS: ((listeningAt ?? started) - started) / 1000,
    firstHealthAfterListeningMs: firstHealthAfterListening ?? Number.NaN,
    healthDuringRecovery: {
      polls: sorted.length,
      p50Ms: percentile(sorted, 50),
      p95Ms: percentile(sorted, 95),
      maxMs: sorted.at(-1) ?? 0,
      non200,
    },
    resumed: Number(match?.[1] ?? 0),
    parked: Number(counts?.[1] ?? 0),
    started: Number(counts?.[2] ?? 0) + Number(counts?.[3] ?? 0),
    residentAtResumed: Number(counts?.[4] ?? 0),
    parkedAtResumed: Number(counts?.[5] ?? 0),
    coldDecision: latencyOf(decisions.cold),
    warmDecision: latencyOf(decisions.warm),
    recoveryReportedS: Number(match?.[2] ?? Number.NaN),
    startToResumedS: ((resumedAt ?? started) - started) / 1000,
    peakRssMb: peaks,
    cpuSeconds: cpu,
  };
}

function latencyOf(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  return { samples: sorted.length, p50Ms: percentile(sorted, 50), maxMs: sorted.at(-1) ?? 0 };
}

/**
 * Once every project is resumed: on a few projects (parked, as the restart left them), the agent submits a ready
 * step and its department approves it, timed (the first signal since the restart: a cold resume); then the same on
 * another ready step of the same project, now resident (warm).
 */
async function decideAfterRestart(base: string): Promise<{ cold: number[]; warm: number[] }> {
  const tokens = new Map<string, string>();
  const call = async <T>(method: string, path: string, as: string, body?: unknown): Promise<T> => {
    let token = tokens.get(as);
    if (!token) {
      const res = await fetch(`${base}/auth/dev-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: as }),
      });
      token = ((await res.json()) as { token: string }).token;
      tokens.set(as, token);
    }
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await res.json()) as T;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  /** submits a ready approval step of the project and times its decision */
  const decideOne = async (projectId: string): Promise<number | undefined> => {
    // the steps a decision opens open as the execution moves on: wait a little for one
    let step: ReturnType<typeof allSteps>[number] | undefined;
    for (let attempt = 0; attempt < 50 && !step; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 100));
      const view = await call<ProjectView>('GET', `/projects/${projectId}`, 'leader-zhang');
      step = allSteps(view).find((s) => s.status === 'ready' && s.kind === 'approval' && s.departmentId);
    }
    if (!step?.departmentId) return undefined;
    const path = `/projects/${projectId}/steps/${step.stepId}`;
    await call('POST', `${path}/submission`, agent.userId, { materials: step.materials });
    const started = performance.now();
    await call('POST', `${path}/decision`, officerOf(step.departmentId), {
      ...approvalOf(step.departmentId, step.stepId, undefined),
    });
    return performance.now() - started;
  };
  const list = await call<{ projects: Array<{ projectId: string }> }>(
    'GET',
    `/projects?limit=${SIGNAL_SAMPLES * 4}`,
    'leader-zhang',
  );
  const cold: number[] = [];
  const warm: number[] = [];
  // one project at a time, spread over the list: each decision alone, as a person's would be
  for (const { projectId } of list.projects.filter((_, i) => i % 4 === 0).slice(0, SIGNAL_SAMPLES)) {
    const first = await decideOne(projectId);
    if (first !== undefined) cold.push(first);
    const second = await decideOne(projectId);
    if (second !== undefined) warm.push(second);
  }
  return { cold, warm };
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: {
      projects: { type: 'string', default: '1000' },
      cloned: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  // A folder seeded by an earlier run (--data-dir … --keep) is measured again as it is: every restart finds its
  // projects without executions, as the first one did.
  const given = values['data-dir'];
  const dataDir = given ?? mkdtempSync(join(tmpdir(), 'daiban-bench-restart-'));
  const keep = values.keep || given !== undefined;
  mkdirSync(RESULTS_DIR, { recursive: true });
  const marker = join(dataDir, 'bench-seed.json');
  try {
    let projects = Number(values.projects);
    let seedS = Number.NaN;
    if (existsSync(marker)) {
      projects = Number(JSON.parse(readFileSync(marker, 'utf8')).projects);
      console.log(`Using the ${projects} project(s) seeded earlier in ${dataDir} …`);
    } else {
      if (!Number.isInteger(projects) || projects < 1)
        throw new Error('--projects takes a whole number above 0');
      console.log(`Seeding ${projects} in-flight project(s) in ${dataDir} …`);
      // Seeded in memory-backed storage where there is some (DynamoDB Local writes every item to disk with a sync,
      // which makes seeding thousands slow), then copied to the data folder: the restart itself reads and writes
      // on disk, as a real one does.
      const seedDir = existsSync('/dev/shm') ? mkdtempSync(join('/dev/shm', 'daiban-bench-seed-')) : dataDir;
      try {
        seedS = await seed(seedDir, projects, values.cloned);
        if (seedDir !== dataDir) cpSync(seedDir, dataDir, { recursive: true });
      } finally {
        if (seedDir !== dataDir) rmSync(seedDir, { recursive: true, force: true });
      }
      writeFileSync(marker, JSON.stringify({ projects }));
      console.log(`  seeded in ${seedS.toFixed(1)} s; restarting the runtime on it …`);
    }
    const result = await restart(dataDir);
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    const mb = (n: number) => `${n.toFixed(0)} MB`;
    const rows: Array<[string, string, string]> = [
      ['projects in flight', String(projects), ''],
      ['start → API serving ("is running at")', `${result.listeningS.toFixed(2)} s`, ''],
      [
        'serving → first /health answer',
        ms(result.firstHealthAfterListeningMs),
        result.firstHealthAfterListeningMs < 1000 ? 'goal < 1 s: met' : 'goal < 1 s: MISSED',
      ],
      [
        '/health while resuming: p50 / p95 / max',
        `${ms(result.healthDuringRecovery.p50Ms)} / ${ms(result.healthDuringRecovery.p95Ms)} / ${ms(result.healthDuringRecovery.maxMs)}`,
        `${result.healthDuringRecovery.polls} polls, ${result.healthDuringRecovery.non200} not 200`,
      ],
      [
        'projects resumed',
        String(result.resumed),
        result.resumed === projects ? 'all' : `MISSING ${projects - result.resumed}`,
      ],
      [
        'of them parked / started (or renewed)',
        `${result.parked} / ${result.started}`,
        `then ${result.residentAtResumed} resident, ${result.parkedAtResumed} parked`,
      ],
      [
        'recovery (as the runtime reports it)',
        `${result.recoveryReportedS.toFixed(1)} s`,
        result.recoveryReportedS < 60 ? 'goal < 60 s: met' : 'goal < 60 s: MISSED',
      ],
      ['start → every project resumed', `${result.startToResumedS.toFixed(1)} s`, ''],
      [
        'first decision on a parked project (cold resume): p50 / max',
        `${ms(result.coldDecision.p50Ms)} / ${ms(result.coldDecision.maxMs)}`,
        `${result.coldDecision.samples} decisions, one at a time`,
      ],
      [
        'next decision, project resident: p50 / max',
        `${ms(result.warmDecision.p50Ms)} / ${ms(result.warmDecision.maxMs)}`,
        `${result.warmDecision.samples} decisions`,
      ],
      ['peak RSS: runtime (Node)', mb(result.peakRssMb.runtime), ''],
      [
        'peak RSS: DynamoDB Local (Java)',
        mb(result.peakRssMb.dynamoDbLocal),
        result.peakRssMb.runtime + result.peakRssMb.dynamoDbLocal <= MEMORY_GOAL_MB
          ? 'together ≤ 1.5 GB: met'
          : 'together ≤ 1.5 GB: MISSED',
      ],
      [
        'CPU used until resumed: runtime / DynamoDB Local',
        `${result.cpuSeconds.runtime.toFixed(0)} s / ${result.cpuSeconds.dynamoDbLocal.toFixed(0)} s`,
        `${cpus().length} CPU(s), load average ${loadavg()[0]?.toFixed(1)} at the end`,
      ],
    ];
    const width = Math.max(...rows.map((r) => r[0].length));
    console.log('');
    for (const [what, value, note] of rows)
      console.log(`${what.padEnd(width)}  ${value.padStart(22)}  ${note}`);
    const resultsDir = RESULTS_DIR;
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, 'restart.json');
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          measuredAt: new Date().toISOString(),
          node: process.version,
          cpus: cpus().length,
          loadAverage: loadavg()[0],
          projects,
          cloned: values.cloned,
          seedS,
          memoryGoalMb: MEMORY_GOAL_MB,
          ...result,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`\nWritten to ${file}`);
  } finally {
    if (keep) console.log(`Data kept in ${dataDir} (measure again: --data-dir ${dataDir})`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
