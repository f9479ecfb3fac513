import type { Chain } from '../domain/chain.js';
import { dependentsInStage, inStagePrerequisites } from '../domain/chain-validation.js';
import type { Project, ProjectStep } from '../domain/project.js';
import { isClosed, isPassed } from '../domain/step-status.js';
import type { StepTaskOutcome } from '../workflow/task-contract.js';
import type { AppContext } from './context.js';

/**
 * How the decision path and the task handlers keep the execution moving. DynamoDB holds the truth;
 * the execution only waits. Both sides check after writing, so whichever comes second signals:
 * a token signalled twice is refused by the engine the second time and that is fine.
 */

/** The outcome a closed (or blocked) step reports to its waiting task. */
export function stepOutcome(step: ProjectStep): StepTaskOutcome | undefined {
  if (step.blocked) return 'blocked';
  switch (step.status) {
    case 'approved':
      return step.outcome === 'approved_with_conditions' ? 'approved_with_conditions' : 'approved';
    case 'deemed_approved':
    case 'not_applicable':
    case 'rejected':
      return step.status;
    default:
      return undefined;
  }
}

/** Sends the step's outcome to its waiting task, if it is closed and a task is waiting. */
export async function signalStepTask(ctx: AppContext, step: ProjectStep, token?: string): Promise<void> {
  const outcome = stepOutcome(step);
  if (!outcome) return;
  const taskToken = token ?? (await ctx.store.getTaskToken(step.projectId, step.stepId, 'step'));
  if (taskToken) await ctx.engine.sendTaskSuccess(taskToken, { stepId: step.stepId, outcome });
}

/** A project's steps by id, read fresh from the store. */
export async function loadStepsById(ctx: AppContext, projectId: string): Promise<Map<string, ProjectStep>> {
  return new Map((await ctx.store.listSteps(projectId)).map((s) => [s.stepId, s]));
}

/** The in-stage prerequisite that stops a step from ever opening (rejected, or itself blocked), if any. */
export function stoppingPrerequisite(
  chain: Chain,
  stepId: string,
  stepsById: ReadonlyMap<string, ProjectStep>,
): ProjectStep | undefined {
  return inStagePrerequisites(chain, stepId)
    .map((id) => stepsById.get(id))
    .find((p) => p !== undefined && (p.status === 'rejected' || p.blocked));
}

/**
 * A step's prerequisite gate opens when every in-stage prerequisite has passed, or when the step can never
 * open (a prerequisite was rejected or blocked, or the project was returned) so that its task ends as `blocked`.
 */
export function gateShouldOpen(
  chain: Chain,
  project: Project,
  stepId: string,
  stepsById: ReadonlyMap<string, ProjectStep>,
): boolean {
  if (project.status !== 'active') return true;
  const self = stepsById.get(stepId);
  if (self && isClosed(self.status)) return true;
  if (stoppingPrerequisite(chain, stepId, stepsById)) return true;
  return inStagePrerequisites(chain, stepId).every((id) => {
    const prerequisite = stepsById.get(id);
    return prerequisite !== undefined && isPassed(prerequisite.status);
  });
}

/** Opens the waiting gates of the given steps that may now open. */
export async function releaseGates(
  ctx: AppContext,
  chain: Chain,
  projectId: string,
  stepIds: string[],
): Promise<void> {
  if (stepIds.length === 0) return;
  const project = await ctx.store.getProject(projectId);
  if (!project) return;
  const stepsById = await loadStepsById(ctx, projectId);
  for (const stepId of stepIds) {
    const step = stepsById.get(stepId);
    if (step?.status !== 'pending' || step.blocked) continue;
    if (!gateShouldOpen(chain, project, stepId, stepsById)) continue;
    const token = await ctx.store.getTaskToken(projectId, stepId, 'gate');
    if (token) await ctx.engine.sendTaskSuccess(token, { stepId, open: true });
  }
}

/** After a step closes: signal its task, then open the gates of the steps waiting on it. */
export async function afterStepClosed(ctx: AppContext, chain: Chain, step: ProjectStep): Promise<void> {
  await signalStepTask(ctx, step);
  if (step.status === 'rejected') {
    // The project is returned: every step of the stage still waiting on a gate ends as blocked.
    const stage = chain.stages[step.stageIndex];
    await releaseGates(ctx, chain, step.projectId, stage ? stage.steps.map((s) => s.id) : []);
  } else {
    await releaseGates(ctx, chain, step.projectId, dependentsInStage(chain, step.stepId));
  }
}
