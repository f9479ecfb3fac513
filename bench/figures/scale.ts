import { performance } from 'node:perf_hooks';
import { InProcessClient } from '../../infra/local/in-process-client.js';
import { createLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import { silentLogger } from '../../shared/app/logger.js';
import { runScheduledJob } from '../../shared/app/scheduled-job.js';
import { ensureWeeklyReport } from '../../shared/app/weekly-report.js';
import { type CallCounts, DynamoCalls, totalCalls } from '../lib/dynamo-calls.js';
import { interleavedLatency } from '../lib/interleave.js';
import { currentLoad } from '../lib/machine.js';
import { progressBar } from '../lib/progress.js';
import { seedRealisticProjects } from '../lib/realistic-seed.js';
import { addDueProjects, SCALE_NOW } from '../lib/scale-seed.js';
import { type Latency, latency, ratio, round2 } from '../lib/stats.js';

/** the week before SCALE_NOW (Thursday 26 November 2026): the weekly report the scheduled job has generated */
const WEEK = '2026-W47';
const SIZES = ['small', 'medium', 'large'] as const;
type Size = (typeof SIZES)[number];

/** The first page of each list, as the people who read it ask for it. */
export const LISTS: ReadonlyArray<{ name: string; path: string; as: string }> = [
  { name: 'GET /projects (leader: every active project)', path: '/projects?limit=20', as: 'leader-zhang' },
  { name: 'GET /projects (agent: own projects)', path: '/projects?limit=20', as: 'agent-wang' },
  { name: 'GET /departments/ENV/inbox', path: '/departments/ENV/inbox?limit=20', as: 'officer-env' },
  { name: 'GET /projects/{id}/events', path: '/projects/BENCH00000007N/events?limit=20', as: 'agent-wang' },
  { name: 'GET /me/notifications (agent)', path: '/me/notifications?limit=20', as: 'agent-wang' },
  { name: 'GET /me/notifications (officer)', path: '/me/notifications?limit=20', as: 'officer-env' },
  { name: 'GET /meetings (leader)', path: '/meetings?limit=20', as: 'leader-zhang' },
  { name: 'GET /me/work (agent)', path: '/me/work', as: 'agent-wang' },
  {
    name: 'GET /reports/departments',
    path: '/reports/departments?from=2026-11&to=2026-11',
    as: 'leader-zhang',
  },
  { name: 'GET /reports/weekly/{week}', path: `/reports/weekly/${WEEK}`, as: 'leader-zhang' },
];

export type ListFigure = {
  name: string;
  small: Latency & { calls: number };
  /** the size between (1,000 when small is 100 and large 10,000) */
  medium: Latency & { calls: number };
  large: Latency & { calls: number };
  /** the load average (1 min) when its rounds were done */
  load: number;
  /** large p50 / small p50 */
  p50Ratio: number;
  met: boolean;
};

export type SweepFigure = {
  due: number;
  rounds: number;
  smallMedianMs: number;
  largeMedianMs: number;
  ratio: number;
  /** DynamoDB requests of one sweep, small and large */
  calls: { small: CallCounts; large: CallCounts };
  goal: number;
  met: boolean;
};

/** What the seed wrote at one size, and the weekly report the scheduled job generated from it. */
export type SeededSize = {
  projects: number;
  items: number;
  meetings: number;
  notifications: { agent: number; officer: number };
  seedS: number;
  /** the scheduled job's weekly report of the week before: its time and DynamoDB calls */
  weeklyReport: { ms: number; calls: number };
};

export type ScaleFigure = {
  smallProjects: number;
  mediumProjects: number;
  largeProjects: number;
  seeded: { small: SeededSize; medium: SeededSize; large: SeededSize };
  lists: ListFigure[];
  sweep: SweepFigure;
  goal: number;
};

export const SCALE_GOAL = 1.5;

/**
 * Lists at three sizes and the SLA sweep at two, side by side: three tables on the same DynamoDB Local, with
 * `small`, `medium` and `large` active projects, each with a step in review at ENV and what such a project carries
 * (its events, notifications, meetings, counters: bench/lib/realistic-seed.ts), and the weekly report the scheduled
 * job generates from them (timed). Each list's first page is read from the three in interleaved rounds; then the
 * sweeps run interleaved on the small and large tables, each round with the same `due` steps come due in both, so
 * the sweep's cost is seen to follow what is due, not what exists (DESIGN.md decision 4).
 */
export async function measureScale(given: {
  endpoint: string;
  small: number;
  /** the size between (none: a table of no projects, when only the sweep is measured) */
  medium?: number;
  large: number;
  listRounds: number;
  due: number;
  sweepRounds: number;
  lists?: boolean;
}): Promise<ScaleFigure> {
  const options = { ...given, medium: given.medium ?? 0 };
  const clock = new ManualClock(SCALE_NOW);
  const calls = new DynamoCalls();
  const systems: LocalSystem[] = [];
  try {
    const make = async (tableName: string) => {
      const system = await createLocalSystem({
        endpoint: options.endpoint,
        tableName,
        clock,
        log: silentLogger,
        wrapDocumentClient: calls.wrap,
      });
      systems.push(system);
      return system;
    };
    const tables = {} as Record<Size, { system: LocalSystem; tableName: string }>;
    const seeded = {} as Record<Size, SeededSize>;
    for (const size of SIZES) {
      const tableName = `scale-${size}-${Date.now()}`;
      const system = await make(tableName);
      tables[size] = { system, tableName };
      const started = performance.now();
      const written = await seedRealisticProjects(system, {
        endpoint: options.endpoint,
        tableName,
        total: options[size],
        label: `active projects written with their events, notifications and meetings (BatchWriteItem)`,
      });
      const seedS = round2((performance.now() - started) / 1000);
      // the scheduled job's weekly report of the week before: it reads every project changed since that week began
      const generating = performance.now();
      await calls.tagged(`weekly ${size}`, () =>
        ensureWeeklyReport(system.ctx, SCALE_NOW, { stopBy: Number.POSITIVE_INFINITY }),
      );
      const weeklyMs = round2(performance.now() - generating);
      seeded[size] = {
        projects: options[size],
        ...written,
        seedS,
        weeklyReport: { ms: weeklyMs, calls: totalCalls(calls.counts(`weekly ${size}`)) },
      };
    }
    const small = tables.small.system;
    const large = tables.large.system;
    const clients = {
      small: new InProcessClient(small.app),
      medium: new InProcessClient(tables.medium.system.app),
      large: new InProcessClient(large.app),
    };

    const lists: ListFigure[] = [];
    if (options.lists !== false) {
      const bar = progressBar(
        'list pages read at three sizes, interleaved',
        LISTS.length * options.listRounds,
      );
      let done = 0;
      for (const list of LISTS) {
        const read = (size: Size) => async () => {
          const res = await calls.tagged(`${size} ${list.name}`, () =>
            clients[size].call('GET', list.path, list.as),
          );
          if (res.status !== 200) throw new Error(`${list.name}: ${res.status} ${JSON.stringify(res.body)}`);
        };
        // warm up both (tokens, caches, JIT)
        for (let i = 0; i < 3; i += 1) await Promise.all(SIZES.map((size) => read(size)()));
        calls.reset();
        const samples = await interleavedLatency(
          { small: read('small'), medium: read('medium'), large: read('large') },
          options.listRounds,
          () => bar.tick(++done),
        );
        const callsPerRead = (size: string) =>
          round2(totalCalls(calls.counts(`${size} ${list.name}`)) / options.listRounds);
        const s = { ...latency(samples.small), calls: callsPerRead('small') };
        const m = { ...latency(samples.medium), calls: callsPerRead('medium') };
        const l = { ...latency(samples.large), calls: callsPerRead('large') };
        const p50Ratio = ratio(l.p50, s.p50);
        lists.push({
          name: list.name,
          small: s,
          medium: m,
          large: l,
          load: currentLoad(),
          p50Ratio,
          met: p50Ratio <= SCALE_GOAL,
        });
      }
      bar.done();
    }

    const times = { small: [] as number[], large: [] as number[] };
    calls.reset();
    const bar = progressBar('SLA sweeps at both sizes, interleaved', options.sweepRounds);
    for (let round = 0; round < options.sweepRounds; round += 1) {
      const order = round % 2 === 0 ? (['small', 'large'] as const) : (['large', 'small'] as const);
      for (const size of order) {
        const system = size === 'small' ? small : large;
        await addDueProjects(system, round, options.due);
        const started = performance.now();
        // the sweep alone: the audit slice (a fixed number of projects a run) is not what grows
        const report = await calls.tagged(`sweep ${size}`, () =>
          runScheduledJob(system.ctx, { audit: false }),
        );
        times[size].push(performance.now() - started);
        if (report.sla !== options.due) {
          throw new Error(`the ${size} sweep acted on ${report.sla} steps, not ${options.due}`);
        }
      }
      bar.tick(round + 1);
    }
    bar.done();
    const perSweep = (size: string): CallCounts =>
      Object.fromEntries(
        Object.entries(calls.counts(`sweep ${size}`)).map(([op, n]) => [op, round2(n / options.sweepRounds)]),
      );
    const smallMedianMs = round2(latency(times.small).p50);
    const largeMedianMs = round2(latency(times.large).p50);
    const sweepRatio = ratio(largeMedianMs, smallMedianMs);
    return {
      smallProjects: options.small,
      mediumProjects: options.medium,
      largeProjects: options.large,
      seeded,
      lists,
      sweep: {
        due: options.due,
        rounds: options.sweepRounds,
        smallMedianMs,
        largeMedianMs,
        ratio: sweepRatio,
        calls: { small: perSweep('small'), large: perSweep('large') },
        goal: SCALE_GOAL,
        met: sweepRatio <= SCALE_GOAL,
      },
      goal: SCALE_GOAL,
    };
  } finally {
    for (const system of systems) await system.stop();
  }
}
