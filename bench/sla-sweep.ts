import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type RunningDynamoDb, startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { demoEnterprises } from '../infra/local/seed-reference.js';
import { createLocalSystem, type LocalSystem } from '../infra/local/system.js';
import { ManualClock } from '../shared/app/clock.js';
import { silentLogger } from '../shared/app/logger.js';
import { runScheduledJob } from '../shared/app/scheduled-job.js';
import type { Project, ProjectStep } from '../shared/domain/project.js';
import { referenceChain } from '../shared/domain/reference/industrial-chain.js';
import { clockDue, startClock } from '../shared/domain/step-clock.js';
import type { StoreOp } from '../shared/store/store.port.js';

/**
 * `npm run bench:sla`: the SLA sweep's cost grows with what is due, not with what exists (DESIGN.md decision 4).
 * Two tables side by side, one with 100 active projects and one with 10,000, each with the same number of steps
 * due (a yellow light); the sweeps run interleaved, the due steps reset between rounds, so the ratio holds on a
 * noisy machine. The projects are written straight into the table (a project item and its EIA step in review):
 * what the sweep reads is real, the registration path is measured elsewhere.
 */
const { values } = parseArgs({
  options: {
    small: { type: 'string', default: '100' },
    large: { type: 'string', default: '10000' },
    due: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '7' },
    quick: { type: 'boolean', default: false },
  },
});
const SMALL = Number(values.quick ? 50 : values.small);
const LARGE = Number(values.quick ? 500 : values.large);
const DUE = Number(values.quick ? 10 : values.due);
const ROUNDS = Number(values.quick ? 3 : values.rounds);

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const NOW = new Date('2026-11-26T04:00:00Z'); // Thursday 26 November 2026, 12:00 in Beijing

/** A project with its EIA (step 7, 15 working days) in review: accepted long ago (due now) or today (not due). */
function projectOps(system: LocalSystem, index: number, due: boolean): StoreOp[] {
  const ctx = system.ctx;
  const projectId = `BENCH${String(index).padStart(8, '0')}${due ? 'D' : 'N'}`;
  const at = NOW.toISOString();
  const accepted = due ? new Date('2026-11-05T02:00:00Z') : NOW;
  const clock = startClock(ctx.calendar, accepted, { promisedDays: 15, legalDays: 60 });
  const dueDates = clockDue(ctx.calendar, clock);
  const project: Project = {
    projectId,
    code: `2026-320115-39-01-${String(index).padStart(5, '0')}X`,
    name: `基准项目 ${index}`,
    enterpriseName: demoEnterprises.jinling.name,
    enterpriseId: demoEnterprises.jinling.creditCode,
    investmentCny: 1e8,
    chainId: referenceChain.id,
    chainVersion: referenceChain.version,
    attributes: {},
    agentId: 'agent-wang',
    status: 'active',
    currentStageIndex: 0,
    departments: ['ENV'],
    execution: { name: `${projectId}-s0-g1`, stageIndex: 0, generation: 1, startedAt: at },
    renewAt: '2027-09-22T00:00:00.000Z',
    createdAt: at,
    updatedAt: at,
    stepsTotal: 40,
    stepsClosed: 1,
    decisions: 1,
    supplements: 0,
  };
  const step: ProjectStep = {
    projectId,
    stepId: '7',
    stageIndex: 0,
    departmentId: 'ENV',
    kind: 'approval',
    status: 'in_review',
    version: 3,
    round: 1,
    supplementRounds: 0,
    clock,
    dueDate: dueDates?.dueDate,
    dueAt: dueDates?.dueAt,
    legalDueDate: dueDates?.legalDueDate,
    // due steps come due now; the others in three weeks
    slaCheckAt: due ? new Date(NOW.getTime() - 3_600_000).toISOString() : '2026-12-14T16:00:00.000Z',
    submittedAt: accepted.toISOString(),
    updatedAt: at,
  };
  return [
    { op: 'create_project', project },
    { op: 'put_item', item: step },
  ];
}

async function seed(system: LocalSystem, total: number, label: string): Promise<void> {
  const queue = Array.from({ length: total }, (_, i) => i);
  let done = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        await system.ctx.store.commit(projectOps(system, i, false));
        done += 1;
        if (done % 500 === 0 || done === total) {
          process.stdout.write(
            `\r  seeding ${label}: ${done}/${total} ${'#'.repeat(Math.round((done / total) * 30)).padEnd(30, '.')}`,
          );
        }
      }
    }),
  );
  process.stdout.write('\n');
}

/** Puts the due steps back as they were before a sweep (deleting what the sweep wrote to them is not needed). */
async function resetDue(system: LocalSystem, round: number): Promise<void> {
  for (let i = 0; i < DUE; i += 1) {
    const ops = projectOps(system, 1_000_000 + round * 10_000 + i, true);
    await system.ctx.store.commit(ops);
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

async function main(): Promise<void> {
  let dynamo: RunningDynamoDb | undefined;
  const systems: LocalSystem[] = [];
  try {
    dynamo = await startDynamoDbLocal();
    const clock = new ManualClock(NOW);
    const make = (name: string) =>
      createLocalSystem({ endpoint: dynamo?.endpoint ?? '', tableName: name, clock, log: silentLogger });
    const small = await make(`sla-small-${Date.now()}`);
    const large = await make(`sla-large-${Date.now()}`);
    systems.push(small, large);
    console.log(
      `SLA sweep: ${SMALL} and ${LARGE} active projects, ${DUE} steps due in each, ${ROUNDS} rounds interleaved`,
    );
    await seed(small, SMALL, `${SMALL} projects`);
    await seed(large, LARGE, `${LARGE} projects`);
    const times: Record<'small' | 'large', number[]> = { small: [], large: [] };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [label, system] of [
        ['small', small],
        ['large', large],
      ] as const) {
        await resetDue(system, round);
        const started = performance.now();
        // the sweep alone: the audit slice (a fixed 100 projects a run) is measured with the restart benchmark
        const report = await runScheduledJob(system.ctx, { audit: false });
        times[label].push(performance.now() - started);
        if (report.sla !== DUE)
          throw new Error(`the ${label} sweep acted on ${report.sla} steps, not ${DUE}`);
      }
      process.stdout.write(`\r  round ${round + 1}/${ROUNDS}`);
    }
    process.stdout.write('\n');
    const result = {
      smallProjects: SMALL,
      largeProjects: LARGE,
      due: DUE,
      rounds: ROUNDS,
      smallMedianMs: Math.round(percentile(times.small, 50)),
      largeMedianMs: Math.round(percentile(times.large, 50)),
      ratio: Math.round((percentile(times.large, 50) / percentile(times.small, 50)) * 100) / 100,
      goal: 1.5,
    };
    console.log(`
| active projects | steps due | sweep median (ms) |
| --- | --- | --- |
| ${SMALL} | ${DUE} | ${result.smallMedianMs} |
| ${LARGE} | ${DUE} | ${result.largeMedianMs} |

ratio ${LARGE} / ${SMALL}: ${result.ratio} (goal ≤ ${result.goal}: ${result.ratio <= result.goal ? 'MET' : 'NOT MET'})`);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/sla-sweep.json', `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const system of systems) await system.stop();
    await dynamo?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
