import { performance } from 'node:perf_hooks';
import { InProcessClient } from '../../infra/local/in-process-client.js';
import { createLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import { silentLogger } from '../../shared/app/logger.js';
import { runScheduledJob } from '../../shared/app/scheduled-job.js';
import { type CallCounts, DynamoCalls, totalCalls } from '../lib/dynamo-calls.js';
import { interleavedLatency } from '../lib/interleave.js';
import { progressBar } from '../lib/progress.js';
import { addDueProjects, SCALE_NOW, seedActiveProjects } from '../lib/scale-seed.js';
import { type Latency, latency, ratio, round2 } from '../lib/stats.js';

/** The first page of each list, as the people who read it ask for it. */
export const LISTS: ReadonlyArray<{ name: string; path: string; as: string }> = [
  { name: 'GET /projects (leader: every active project)', path: '/projects?limit=20', as: 'leader-zhang' },
  { name: 'GET /projects (agent: own projects)', path: '/projects?limit=20', as: 'agent-wang' },
  { name: 'GET /departments/ENV/inbox', path: '/departments/ENV/inbox?limit=20', as: 'officer-env' },
  { name: 'GET /projects/{id}/events', path: '/projects/BENCH00000007N/events?limit=20', as: 'agent-wang' },
  { name: 'GET /me/notifications', path: '/me/notifications?limit=20', as: 'agent-wang' },
  { name: 'GET /meetings', path: '/meetings?limit=20', as: 'leader-zhang' },
  {
    name: 'GET /reports/departments',
    path: '/reports/departments?from=2026-11&to=2026-11',
    as: 'leader-zhang',
  },
];

export type ListFigure = {
  name: string;
  small: Latency & { calls: number };
  large: Latency & { calls: number };
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

export type ScaleFigure = {
  smallProjects: number;
  largeProjects: number;
  lists: ListFigure[];
  sweep: SweepFigure;
  goal: number;
};

export const SCALE_GOAL = 1.5;

/**
 * Lists and the SLA sweep at two sizes, side by side: two tables on the same DynamoDB Local, one with `small`
 * active projects and one with `large`, each project with a step in review at ENV. Each list's first page is read
 * from both in interleaved rounds; then the sweeps run interleaved, each round with the same `due` steps come due
 * in both tables, so the sweep's cost is seen to follow what is due, not what exists (DESIGN.md decision 4).
 */
export async function measureScale(options: {
  endpoint: string;
  small: number;
  large: number;
  listRounds: number;
  due: number;
  sweepRounds: number;
  lists?: boolean;
}): Promise<ScaleFigure> {
  const clock = new ManualClock(SCALE_NOW);
  const calls = new DynamoCalls();
  const systems: LocalSystem[] = [];
  try {
    const make = async (label: string) => {
      const system = await createLocalSystem({
        endpoint: options.endpoint,
        tableName: `scale-${label}-${Date.now()}`,
        clock,
        log: silentLogger,
        wrapDocumentClient: calls.wrap,
      });
      systems.push(system);
      return system;
    };
    const small = await make('small');
    const large = await make('large');
    await seedActiveProjects(small, options.small, `active projects written (small table)`);
    await seedActiveProjects(large, options.large, `active projects written (large table)`);
    const clients = { small: new InProcessClient(small.app), large: new InProcessClient(large.app) };

    const lists: ListFigure[] = [];
    if (options.lists !== false) {
      const bar = progressBar(
        'list pages read at both sizes, interleaved',
        LISTS.length * options.listRounds,
      );
      let done = 0;
      for (const list of LISTS) {
        const read = (size: 'small' | 'large') => async () => {
          const res = await calls.tagged(`${size} ${list.name}`, () =>
            clients[size].call('GET', list.path, list.as),
          );
          if (res.status !== 200) throw new Error(`${list.name}: ${res.status} ${JSON.stringify(res.body)}`);
        };
        // warm up both (tokens, caches, JIT)
        for (let i = 0; i < 3; i += 1) await Promise.all([read('small')(), read('large')()]);
        calls.reset();
        const samples = await interleavedLatency(
          { small: read('small'), large: read('large') },
          options.listRounds,
          () => bar.tick(++done),
        );
        const callsPerRead = (size: string) =>
          round2(totalCalls(calls.counts(`${size} ${list.name}`)) / options.listRounds);
        const s = { ...latency(samples.small), calls: callsPerRead('small') };
        const l = { ...latency(samples.large), calls: callsPerRead('large') };
        const p50Ratio = ratio(l.p50, s.p50);
        lists.push({ name: list.name, small: s, large: l, p50Ratio, met: p50Ratio <= SCALE_GOAL });
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
      largeProjects: options.large,
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
