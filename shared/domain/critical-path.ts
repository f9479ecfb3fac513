import type { Chain, Stage, StepDefinition } from './chain.js';
import { inStagePrerequisitesOf } from './chain-graph.js';
import { itemKey, type ProjectStep } from './project.js';
import { readClock } from './step-clock.js';
import { isPassed } from './step-status.js';
import type { ProjectState } from './transition.js';
import { chinaDate, type WorkingDayCalendar } from './working-days.js';

/**
 * The longest path through a chain in working days (DOMAIN.md: the national target is 120). Stages run one after
 * another; inside a stage steps run in parallel as their prerequisites allow, so a stage takes its longest path.
 */
export type StagePath = { stageId: string; workingDays: number; criticalSteps: string[] };

/**
 * The steps of a stage with every step after its in-stage prerequisites, whatever order the chain lists them in
 * (stage order among equals). A cycle (which validation refuses, but a preview still draws) is cut where it closes.
 */
export function stageOrder(stage: Stage): StepDefinition[] {
  const byId = new Map(stage.steps.map((s) => [s.id, s]));
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const order: StepDefinition[] = [];
  const place = (step: StepDefinition): void => {
    if (placed.has(step.id) || visiting.has(step.id)) return;
    visiting.add(step.id);
    for (const id of inStagePrerequisitesOf(stage, step)) {
      const prerequisite = byId.get(id);
      if (prerequisite) place(prerequisite);
    }
    visiting.delete(step.id);
    placed.add(step.id);
    order.push(step);
  };
  for (const step of stage.steps) place(step);
  return order;
}

function longestPath(stage: Stage, duration: (step: StepDefinition) => number): StagePath {
  const finish = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  for (const step of stageOrder(stage)) {
    let start = 0;
    let from: string | undefined;
    for (const prerequisite of inStagePrerequisitesOf(stage, step)) {
      // not finished yet: the prerequisite closes a cycle (a preview's), cut here so the path cannot loop
      const end = finish.get(prerequisite);
      if (end === undefined) continue;
      if (from === undefined || end > start) {
        start = end;
        from = prerequisite;
      }
    }
    finish.set(step.id, start + duration(step));
    via.set(step.id, from);
  }
  let last: string | undefined;
  let longest = -1;
  for (const [id, end] of finish) {
    if (end > longest) {
      longest = end;
      last = id;
    }
  }
  const critical: string[] = [];
  for (let id = last; id !== undefined; id = via.get(id)) critical.unshift(id);
  return { stageId: stage.id, workingDays: Math.max(0, longest), criticalSteps: critical };
}

const promised = (step: StepDefinition) => step.promisedDays ?? 0;
const legal = (step: StepDefinition) => step.legalDays ?? 0;
/** Each approval counted once: a joint review's parts each with their own days. */
const everyApproval = (
  step: StepDefinition,
  days: (d: { promisedDays: number | null; legalDays: number | null }) => number,
) => (step.parts ? step.parts.reduce((n, part) => n + days(part), 0) : days(step));

/** The chain's critical path by promised limits, against all approvals in series and the legal limits. */
export function chainCriticalPath(chain: Chain) {
  const stages = chain.stages.map((stage) => longestPath(stage, promised));
  const legalStages = chain.stages.map((stage) => longestPath(stage, legal));
  const steps = chain.stages.flatMap((s) => s.steps);
  return {
    workingDays: stages.reduce((n, s) => n + s.workingDays, 0),
    criticalSteps: stages.flatMap((s) => s.criticalSteps),
    stages,
    /** if every approval ran one after another */
    seriesWorkingDays: steps.reduce((n, s) => n + everyApproval(s, (d) => d.promisedDays ?? 0), 0),
    /** the critical path by legal limits (法定时限) */
    legalWorkingDays: legalStages.reduce((n, s) => n + s.workingDays, 0),
    targetWorkingDays: chain.targetWorkingDays,
  };
}

/** Working days a step of a project still needs, as things stand at `now`. */
function remainingDays(
  state: ProjectState,
  calendar: WorkingDayCalendar,
  now: Date,
  step: StepDefinition,
): number {
  const item = state.items.get(step.id);
  if (!item || isPassed(item.status) || item.blocked || item.status === 'withdrawn') return 0;
  const left = (i: ProjectStep, fallback: number) =>
    i.clock && !i.decidedAt
      ? Math.max(0, readClock(calendar, i.clock, now).promisedLeft)
      : isPassed(i.status)
        ? 0
        : fallback;
  if (step.parts) {
    return Math.max(
      0,
      ...step.parts.map((part) => {
        const partItem = state.items.get(itemKey({ stepId: step.id, partId: part.id }));
        return partItem ? left(partItem, part.promisedDays) : part.promisedDays;
      }),
    );
  }
  return left(item, step.promisedDays ?? 0);
}

/**
 * When the project should complete if every department keeps its promised limits from now on: the critical path
 * through its remaining steps, stage after stage, counted in working days from today. Milestones the agent reports
 * (works completed) count as no time: the construction period is the enterprise's, not a department's.
 */
export function projectProjection(state: ProjectState, calendar: WorkingDayCalendar, now: Date) {
  const { project, chain } = state;
  if (project.status === 'completed' || project.status === 'withdrawn') return undefined;
  const stages = chain.stages
    .slice(project.currentStageIndex)
    .map((stage) => longestPath(stage, (step) => remainingDays(state, calendar, now, step)));
  const workingDays = stages.reduce((n, s) => n + s.workingDays, 0);
  const projected = calendar.addWorkingDays(chinaDate(now), workingDays);
  return {
    remainingWorkingDays: workingDays,
    projectedCompletion: projected.date,
    /** the date reaches into a year without an official schedule: counted on weekends only */
    flagged: projected.flagged,
    criticalSteps: stages.flatMap((s) =>
      s.criticalSteps.filter((id) => remainingDays(state, calendar, now, findDef(chain, id)) > 0),
    ),
  };
}

function findDef(chain: Chain, stepId: string): StepDefinition {
  for (const stage of chain.stages) {
    const step = stage.steps.find((s) => s.id === stepId);
    if (step) return step;
  }
  throw new Error(`no step ${stepId}`);
}
