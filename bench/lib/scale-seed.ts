import { demoEnterprises } from '../../infra/local/seed-reference.js';
import type { LocalSystem } from '../../infra/local/system.js';
import type { Project, ProjectStep } from '../../shared/domain/project.js';
import { referenceChain } from '../../shared/domain/reference/industrial-chain.js';
import { clockDue, startClock } from '../../shared/domain/step-clock.js';
import type { StoreOp } from '../../shared/store/store.port.js';
import { inParallel, progressBar } from './progress.js';

/** Thursday 26 November 2026, 12:00 in Beijing: the instant the scale figures run at (a manual clock). */
export const SCALE_NOW = new Date('2026-11-26T04:00:00Z');

/**
 * A project with its EIA (step 7, ENV, 15 working days) in review, accepted long ago (due now: the sweep turns its
 * light yellow) or today (not due). Written straight into the table: what the lists and the sweep read is real, the
 * registration path is measured on its own.
 */
export function projectOps(system: LocalSystem, index: number, due: boolean): StoreOp[] {
  const ctx = system.ctx;
  const projectId = `BENCH${String(index).padStart(8, '0')}${due ? 'D' : 'N'}`;
  const at = SCALE_NOW.toISOString();
  const accepted = due ? new Date('2026-11-05T02:00:00Z') : SCALE_NOW;
  const clock = startClock(ctx.calendar, accepted, { promisedDays: 15, legalDays: 60 });
  const dueDates = clockDue(ctx.calendar, clock);
  const project: Project = {
    projectId,
    code: `2026-320115-39-01-${String(index).padStart(6, '0')}X`,
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
    slaCheckAt: due ? new Date(SCALE_NOW.getTime() - 3_600_000).toISOString() : '2026-12-14T16:00:00.000Z',
    submittedAt: accepted.toISOString(),
    updatedAt: at,
  };
  return [
    { op: 'create_project', project },
    { op: 'put_item', item: step },
  ];
}

/** `total` active projects, none due, written 16 at a time with a progress bar. */
export async function seedActiveProjects(system: LocalSystem, total: number, label: string): Promise<void> {
  const bar = progressBar(label, total);
  let done = 0;
  await inParallel(
    Array.from({ length: total }, (_, i) => i),
    16,
    async (i) => {
      await system.ctx.store.commit(projectOps(system, i, false));
      done += 1;
      if (done % 100 === 0 || done === total) bar.tick(done);
    },
  );
  bar.done();
}

/** `due` projects whose step comes due now (fresh ones each round, so every sweep has the same work). */
export async function addDueProjects(system: LocalSystem, round: number, due: number): Promise<void> {
  for (let i = 0; i < due; i += 1) {
    await system.ctx.store.commit(projectOps(system, 1_000_000 + round * 10_000 + i, true));
  }
}
