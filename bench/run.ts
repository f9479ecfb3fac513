import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type RunningDynamoDb, startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { type DecisionFigure, measureDecision } from './figures/decision.js';
import {
  type CpuPerOperation,
  measureProgressRead,
  type ProgressReadFigure,
} from './figures/progress-read.js';
import { measureRegistration, type RegistrationFigure } from './figures/registration.js';
import { measureScale, type ScaleFigure } from './figures/scale.js';
import { listRows, type TableRow } from './figures/scale-rows.js';
import { measureWorkbench, WORKBENCH_CALLS_GOAL, type WorkbenchFigure } from './figures/workbench.js';
import { type BenchSystem, startBenchSystem } from './lib/bench-system.js';
import { describeCalls } from './lib/dynamo-calls.js';
import { currentLoad, describeMachine } from './lib/machine.js';
import { ms, perSecond, ratio } from './lib/stats.js';
import type { BacklogFigure, StormFigure } from './storm.js';

/**
 * `npm run bench`: every figure of the README's "Performance" table, each measured side by side with its baseline
 * in the same run (interleaved, so a busy machine slows both alike), on the embedded runtime (DynamoDB Local, the
 * local engine). Prints the table at the end and writes everything to bench/results/bench-<time>.json and
 * bench/results/latest.json. `--quick` runs every part small, to check that it still works (CI): its figures are
 * not timings to quote.
 */
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'restart-projects': { type: 'string' },
    'storm-items': { type: 'string' },
    out: { type: 'string' },
    only: { type: 'string' },
  },
});
if (values.only !== undefined && values.only !== 'registration') {
  throw new Error(`--only takes 'registration' (the one figure that can run alone), not '${values.only}'`);
}
/** `--only registration`: just the registration figure, printed and written to registration-<time>.json */
const onlyRegistration = values.only === 'registration';
const quick = values.quick;
const RESULTS_DIR = values.out ?? join(import.meta.dirname, 'results');

const SIZES = quick
  ? {
      registration: { slices: 2, perSlice: 8, concurrency: 4 },
      read: { rounds: 20, concurrency: 4, sliceMs: 200, slices: 2 },
      decisions: 4,
      scale: { small: 10, medium: 20, large: 40, listRounds: 2, due: 5, sweepRounds: 2 },
      restartProjects: 10,
      workbench: { projects: 40, rounds: 10 },
    }
  : {
      registration: { slices: 20, perSlice: 40, concurrency: 8 },
      read: { rounds: 300, concurrency: 8, sliceMs: 1500, slices: 6 },
      decisions: 100,
      scale: { small: 100, medium: 1_000, large: 10_000, listRounds: 40, due: 50, sweepRounds: 5 },
      // the 10,000 in flight: seeded in about 2 minutes on a 2-core machine (one project registered, then
      // cloned), so the whole run stays well inside its ten minutes; `--restart-projects` takes another number
      restartProjects: 10_000,
      // issue 23: one agent with 1,000 projects (one registered, cloned)
      workbench: { projects: 1_000, rounds: 300 },
    };

type Restart = {
  projects: number;
  resumed: number;
  recoveryReportedS: number;
  startToResumedS: number;
  firstHealthAfterListeningMs: number;
  peakRssMb: { runtime: number; dynamoDbLocal: number };
  memoryGoalMb: number;
  /** of the resumed: parked (made resident at their first signal) and started (replayed at once) or renewed */
  parked?: number;
  started?: number;
  /** the first decision on a parked project (made resident, replayed, moved on), then one on it resident */
  coldDecision?: { samples: number; p50Ms: number; maxMs: number };
  warmDecision?: { samples: number; p50Ms: number; maxMs: number };
};
type Storm = { storm: StormFigure; backlog: BacklogFigure };
type Cost = {
  status: string;
  transitions: number;
  transitionTarget: number;
  usdPerProject: { total: number };
  /** a project with an efficiency complaint, a deemed approval, a supplement request and a meeting, beside the happy path */
  eventful?: { status: string; transitions: number; usd: { total: number } };
};

/** Runs another bench script as its own process (a restart must be one), its output shown as it comes. */
function runScript(script: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, script), ...args], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, BENCH_RESULTS_DIR: RESULTS_DIR },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`bench/${script} exited with ${code ?? 'a signal'}`)),
    );
  });
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(RESULTS_DIR, file), 'utf8')) as T;

const section = (title: string) => console.log(`\n▸ ${title}`);

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  mkdirSync(RESULTS_DIR, { recursive: true });
  const machine = describeMachine();
  const started = Date.now();
  console.log(
    `Daiban benchmarks${quick ? ' (--quick: checks that every part works; not timings to quote)' : ''}\n` +
      `${machine.cpuModel}, ${machine.cpus} CPU(s), ${machine.memoryGb} GB, Node ${machine.node}, Java ${machine.java}, ` +
      `load average ${machine.loadAverage.start}`,
  );

  let dynamo: RunningDynamoDb | undefined;
  let bench: BenchSystem | undefined;
  let registration: RegistrationFigure;
  let read: ProgressReadFigure;
  let decision: DecisionFigure;
  let scale: ScaleFigure;
  let workbench: WorkbenchFigure;
  /** the load average (1 min) as each part ended: printed beside its figures */
  const loads: Partial<Record<Part, number>> = {};
  try {
    dynamo = await startDynamoDbLocal();
    bench = await startBenchSystem({ endpoint: dynamo.endpoint, tableName: `bench-${Date.now()}` });

    section('Registration: POST /projects with its first stage handled, against a bare TransactWriteItems');
    const registered = await measureRegistration(bench, { ...SIZES.registration, dynamoDbPid: dynamo.pid });
    registration = registered.figure;
    loads.registration = currentLoad();
    if (onlyRegistration) {
      machine.loadAverage.end = currentLoad();
      const result = {
        measuredAt: new Date().toISOString(),
        quick,
        machine,
        sizes: SIZES.registration,
        registration,
      };
      const file = join(RESULTS_DIR, `registration-${result.measuredAt.replace(/[:.]/g, '-')}.json`);
      writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
      console.log(JSON.stringify(registration, null, 2));
      console.log(
        `load average ${machine.loadAverage.start} → ${machine.loadAverage.end}; written to ${file}`,
      );
      return;
    }

    section(
      'Progress read: GET /projects/{id} against a bare Query of the same partition and a bare Hono route',
    );
    read = await measureProgressRead(bench, {
      projectIds: registered.projectIds,
      ...SIZES.read,
      dynamoDbPid: dynamo.pid,
    });
    loads.read = currentLoad();

    section('Decision: POST …/decision against a bare TransactWriteItems of the same items');
    decision = await measureDecision(bench, {
      projectIds: registered.projectIds,
      decisions: SIZES.decisions,
    });
    loads.decision = currentLoad();
    await bench.stop();
    bench = undefined;

    section(
      `Lists at ${SIZES.scale.small}, ${SIZES.scale.medium} and ${SIZES.scale.large} active projects with their events, notifications, meetings and counters; the SLA sweep at ${SIZES.scale.small} and ${SIZES.scale.large}`,
    );
    scale = await measureScale({ endpoint: dynamo.endpoint, ...SIZES.scale });
    loads.scale = currentLoad();

    section(`Workbench: GET /me/work, one page, at ${SIZES.workbench.projects} projects of one agent`);
    workbench = await measureWorkbench({ endpoint: dynamo.endpoint, ...SIZES.workbench });
    loads.workbench = currentLoad();
  } finally {
    await bench?.stop();
    await dynamo?.stop();
  }

  const restartProjects = Number(values['restart-projects'] ?? SIZES.restartProjects);
  section(`Restart: the embedded runtime started again with ${restartProjects} projects in flight`);
  await runScript('restart.ts', ['--projects', String(restartProjects), '--cloned']);
  const restart = readJson<Restart>('restart.json');
  loads.restart = currentLoad();

  section('Cost: one project through the reference chain (npm run cost)');
  await runScript('cost.ts', []);
  const cost = readJson<Cost>('cost.json');
  loads.cost = currentLoad();

  const stormItems = String(values['storm-items'] ?? 10_000);
  section(
    `Storm: ${quick ? 'a few' : stormItems} due items at once, embedded and on the Lambda handler (npm run bench:storm)`,
  );
  await runScript('storm.ts', quick ? ['--quick'] : ['--items', stormItems]);
  const { storm, backlog } = readJson<Storm>('storm.json');
  loads.storm = currentLoad();

  const rows = withLoads(
    [
      ...tableRows({ registration, read, decision, scale, workbench, restart, cost }),
      ...stormRows(storm, backlog),
    ],
    loads,
  );
  const table = renderTable(rows);
  const minutes = (Date.now() - started) / 60_000;
  machine.loadAverage.end = currentLoad();
  const result = {
    measuredAt: new Date().toISOString(),
    quick,
    minutes: Math.round(minutes * 10) / 10,
    machine,
    sizes: SIZES,
    figures: { registration, read, decision, scale, workbench, restart, cost, storm, backlog },
    loads,
    table,
  };
  const file = join(RESULTS_DIR, `bench-${result.measuredAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n${table}\n`);
  console.log(
    `${minutes.toFixed(1)} min; load average ${machine.loadAverage.start} → ${machine.loadAverage.end}; written to ${file}`,
  );
  if (quick) console.log('(--quick: the figures above only show that every part runs)');
}

type Row = TableRow;

/** The parts of the run, each measured at its own time (and load). */
type Part = 'registration' | 'read' | 'decision' | 'scale' | 'workbench' | 'restart' | 'cost' | 'storm';

/** Which part measured a row, by how its figure is named (a row that says its own load keeps it). */
const PART_OF: ReadonlyArray<[RegExp, Part]> = [
  [/^Restart/, 'restart'],
  [/^Storm|^Backlog/, 'storm'],
  [/registration/i, 'registration'],
  [/progress read|^HTTP and the Query|^CPU per operation/i, 'read'],
  [/decision/i, 'decision'],
  [/^workbench|workbench page/i, 'workbench'],
  [/^SLA sweep|^GET |^What the lists read|^Weekly report/, 'scale'],
  [/^State transitions/, 'cost'],
];

function withLoads(rows: Row[], loads: Partial<Record<Part, number>>): Row[] {
  return rows.map((row) => {
    if (row.load !== undefined) return row;
    const part = PART_OF.find(([pattern]) => pattern.test(row.figure))?.[1];
    const load = part ? loads[part] : undefined;
    return load === undefined ? row : { ...row, load };
  });
}

/** CPU per operation: all of it, then Node's and DynamoDB Local's shares. */
const cpuText = (cpu: CpuPerOperation): string =>
  `${ms(cpu.total)} (${ms(cpu.node)} + ${ms(cpu.dynamoDbLocal)})`;

const yes = (met: boolean | null) => (met === null ? '' : met ? 'met' : 'NOT MET');

function tableRows(f: {
  registration: RegistrationFigure;
  read: ProgressReadFigure;
  decision: DecisionFigure;
  scale: ScaleFigure;
  workbench: WorkbenchFigure;
  restart: Restart;
  cost: Cost;
}): Row[] {
  const { registration: reg, read, decision, scale, workbench: work, restart, cost } = f;
  const rows: Row[] = [
    {
      figure: 'Progress read GET /projects/{id}, p50 / p99',
      measured: `${ms(read.read.p50)} / ${ms(read.read.p99)}`,
      baseline: `bare Query ${ms(read.query.p50)} / ${ms(read.query.p99)}`,
      ratio: `p99 ${read.p99Ratio}×`,
      goal: 'p99 ≤ 2×',
      met: read.met.p99,
    },
    {
      figure: `Progress read throughput, ${read.concurrency} at once`,
      measured: perSecond(read.read.perSecond),
      baseline: `bare Query ${perSecond(read.query.perSecond)}; bare Hono ${perSecond(read.bareHono.perSecond)}`,
      ratio: `${Math.round(read.throughputRatio * 100)}%`,
      goal: '≥ 80%',
      met: read.met.throughput,
    },
    {
      figure: `HTTP and the Query alone (a bare Hono route answering the Query’s items), ${read.concurrency} at once; its CPU`,
      measured: `${perSecond(read.queryOverHttp.perSecond)}; ${cpuText(read.cpuMs.queryOverHttp)}`,
      baseline: `bare Query ${perSecond(read.query.perSecond)}`,
      ratio: `${Math.round(ratio(read.queryOverHttp.perSecond, read.query.perSecond) * 100)}%`,
      goal: '',
      met: null,
    },
    {
      figure: 'CPU per operation in those slices: Node (client and API) + DynamoDB Local',
      measured: cpuText(read.cpuMs.read),
      baseline: `bare Query ${cpuText(read.cpuMs.query)}`,
      ratio: `${Math.round(read.cpuMs.cpuBound * 100)}%`,
      goal: '',
      met: null,
    },
    {
      figure: 'DynamoDB calls per progress read',
      measured: `${read.callsPerRead.total} (${describeCalls(withoutTotal(read.callsPerRead))})`,
      baseline: 'bare Query 1',
      ratio: '',
      goal: '',
      met: null,
    },
    {
      figure: 'Decision POST …/decision, p50 / p99',
      measured: `${ms(decision.decision.p50)} / ${ms(decision.decision.p99)}`,
      baseline: `same TransactWriteItems ${ms(decision.transaction.p50)} / ${ms(decision.transaction.p99)}`,
      ratio: `p99 ${decision.p99Ratio}×`,
      goal: 'p99 ≤ 3×',
      met: decision.met,
    },
    {
      figure: 'Per decision: transactions, signals owed / sent, after commit p50 / p99',
      measured: `${decision.perDecision.transactions}; ${decision.perDecision.signalsOwed} / ${decision.perDecision.signalsSent}; ${ms(decision.afterCommit.p50)} / ${ms(decision.afterCommit.p99)}`,
      baseline: '',
      ratio: '',
      goal: '1 transaction',
      met: decision.perDecision.transactions === 1,
    },
    {
      figure: `Registration rate, ${reg.concurrency} at once (first stage handled)`,
      measured: perSecond(reg.perSecond),
      baseline: `bare TransactWriteItems of all it writes (${reg.itemsWritten.request} + ${reg.itemsWritten.tasks} items, ${reg.itemsWritten.transactions} transactions) ${perSecond(reg.baselinePerSecond)}`,
      ratio: `${Math.round(reg.ratio * 100)}%`,
      goal: `≥ ${reg.goal}/s and ≥ ${Math.round(reg.ratioGoal * 100)}%`,
      met: reg.met,
    },
    {
      figure: 'DynamoDB calls per registration (request + stage-1 tasks)',
      measured: `${reg.calls.total} (${describeCalls(reg.calls.request)} + ${describeCalls(reg.calls.tasks)})`,
      baseline: '',
      ratio: '',
      goal: '',
      met: null,
    },
  ];
  rows.push(...listRows(scale));
  rows.push(
    {
      figure: `Workbench GET /me/work page of ${work.pageSize} at ${work.projects} projects of one agent, p50 / p99`,
      measured: `${ms(work.page.p50)} / ${ms(work.page.p99)}`,
      baseline: `bare Query of the same index page ${ms(work.query.p50)} / ${ms(work.query.p99)}`,
      ratio: `p99 ${work.p99Ratio}×`,
      goal: `p99 ≤ ${work.goal}×`,
      met: work.met.p99,
    },
    {
      figure: 'DynamoDB calls per workbench page',
      measured: `${work.callsPerPage.total} (${describeCalls(withoutTotal(work.callsPerPage))})`,
      baseline: 'bare Query 1',
      ratio: '',
      goal: `≤ ${WORKBENCH_CALLS_GOAL}`,
      met: work.met.calls,
    },
    {
      figure: `SLA sweep, ${scale.sweep.due} steps due, median`,
      measured: `${ms(scale.sweep.largeMedianMs)} at ${scale.largeProjects}`,
      baseline: `${ms(scale.sweep.smallMedianMs)} at ${scale.smallProjects}`,
      ratio: `${scale.sweep.ratio}×`,
      goal: `≤ ${scale.sweep.goal}×`,
      met: scale.sweep.met,
    },
    {
      figure: `Restart with ${restart.projects} in flight: RSS Node + DynamoDB Local (peak)`,
      measured: `${Math.round(restart.peakRssMb.runtime)} + ${Math.round(restart.peakRssMb.dynamoDbLocal)} MB`,
      baseline: '',
      ratio: '',
      goal: `≤ ${(restart.memoryGoalMb / 1024).toFixed(1)} GB`,
      met: restart.peakRssMb.runtime + restart.peakRssMb.dynamoDbLocal <= restart.memoryGoalMb,
    },
    {
      figure: 'Restart: start → every execution resumed',
      measured: `${restart.startToResumedS.toFixed(1)} s (${restart.resumed} resumed: ${restart.parked ?? '?'} parked until their next signal, ${restart.started ?? '?'} replayed at once)`,
      baseline: '',
      ratio: '',
      goal: '≤ 60 s',
      met: restart.startToResumedS <= 60 && restart.resumed === restart.projects,
    },
    ...(restart.coldDecision && restart.warmDecision
      ? [
          {
            figure: 'Restart: first decision on a parked project (made resident and replayed), p50 / max',
            measured: `${ms(restart.coldDecision.p50Ms)} / ${ms(restart.coldDecision.maxMs)} (${restart.coldDecision.samples})`,
            baseline: `next decision, resident ${ms(restart.warmDecision.p50Ms)} / ${ms(restart.warmDecision.maxMs)}`,
            ratio: `p50 ${ratio(restart.coldDecision.p50Ms, restart.warmDecision.p50Ms)}×`,
            goal: '',
            met: null,
          },
        ]
      : []),
    {
      figure: 'State transitions and cost per project',
      measured: `${cost.transitions}; $${cost.usdPerProject.total.toFixed(4)}`,
      baseline: cost.eventful
        ? `with a complaint, a deemed approval, a supplement and a meeting: ${cost.eventful.transitions}; $${cost.eventful.usd.total.toFixed(4)}`
        : '',
      ratio: cost.eventful ? `${ratio(cost.eventful.usd.total, cost.usdPerProject.total)}×` : '',
      goal: `≤ ${cost.transitionTarget}`,
      met:
        cost.transitions <= cost.transitionTarget &&
        cost.status === 'completed' &&
        (cost.eventful?.status ?? 'completed') === 'completed',
    },
  );
  return rows;
}

/** The storm's figures (bench/storm.ts): drain time, against bare transactions, reads meanwhile, the backlog. */
function stormRows(storm: StormFigure, backlog: BacklogFigure): Row[] {
  return [
    {
      figure: `Storm: ${storm.items} due items drained, embedded, ${storm.concurrency} at once`,
      measured: `${storm.drainS} s (${perSecond(storm.perSecond)}, ${storm.failures} failed)`,
      baseline: '',
      ratio: '',
      goal: `≤ ${storm.goals.drainS} s`,
      met: storm.met.drain,
    },
    {
      figure: `Storm: sweep items/s vs bare TransactWriteItems of the same items (its transactions replayed as sent, ${storm.opsPerTransaction} items each, conditions always holding)`,
      measured: perSecond(storm.perSecond),
      baseline: perSecond(storm.sameItems.perSecond),
      ratio: `${Math.round(storm.sameItems.ratio * 100)}%`,
      goal: '≥ 50%',
      met: storm.met.bare,
    },
    {
      figure:
        'Storm: the same vs bare puts of as many items, as large, to fresh keys (no index keys, no conditions)',
      measured: perSecond(storm.perSecond),
      baseline: perSecond(storm.barePerSecond),
      ratio: `${Math.round(storm.bareRatio * 100)}%`,
      goal: '',
      met: null,
    },
    {
      figure: 'Storm: progress read GET /projects/{id} p50 / p99 while it drains',
      measured: `${ms(storm.readDuringStorm.p50)} / ${ms(storm.readDuringStorm.p99)}`,
      baseline: `at rest ${ms(storm.readAtRest.p50)} / ${ms(storm.readAtRest.p99)}`,
      ratio: `p99 ${storm.p99Ratio}×`,
      goal: '≤ 5×',
      met: storm.met.p99,
    },
    {
      figure: `Backlog of ${backlog.items} on AWS: the scheduled job's Lambda handler, ${backlog.lambdaLimitS} s a run`,
      measured: `${backlog.runs} run(s), ${backlog.workS} s of work (≈ ${backlog.scheduleMinutes} min on its 1-minute schedule)`,
      baseline: '',
      ratio: '',
      goal: 'each run inside its limit',
      met: backlog.withinLimit,
    },
  ];
}

const withoutTotal = ({ total: _total, ...counts }: Record<string, number>) => counts;

/** A Markdown table (the README quotes it as it is). */
function renderTable(rows: Row[]): string {
  const lines = [
    '| Figure | Measured | Baseline (same run) | Ratio | Goal | | Load |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.figure} | ${r.measured} | ${r.baseline} | ${r.ratio} | ${r.goal} | ${yes(r.met)} | ${r.load ?? ''} |`,
    ),
  ];
  return lines.join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
