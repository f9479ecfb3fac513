import type { Chain, Stage, StepDefinition } from '../domain/chain.js';
import { findStep } from '../domain/chain-validation.js';
import { NotFoundError } from '../domain/errors.js';
import type { Project, ProjectStep } from '../domain/project.js';
import type { AppContext } from './context.js';

export type LoadedStep = {
  project: Project;
  chain: Chain;
  definition: StepDefinition;
  stage: Stage;
  stageIndex: number;
  step: ProjectStep;
};

export async function loadProject(
  ctx: AppContext,
  projectId: string,
): Promise<{ project: Project; chain: Chain }> {
  const project = await ctx.store.getProject(projectId);
  if (!project) throw new NotFoundError('PROJECT.NOT_FOUND', `project ${projectId} does not exist`);
  const chain = await ctx.chains.get(project.chainId, project.chainVersion);
  return { project, chain };
}

/** Reads a project's step with its definition; 404s name what is missing. */
export async function loadStep(ctx: AppContext, projectId: string, stepId: string): Promise<LoadedStep> {
  const { project, chain } = await loadProject(ctx, projectId);
  const found = findStep(chain, stepId);
  const step = found ? await ctx.store.getStep(projectId, stepId) : undefined;
  if (!found || !step) {
    throw new NotFoundError(
      'STEP.NOT_FOUND',
      `project ${project.code} has no step '${stepId}' (chain ${chain.id} has steps ${chain.stages
        .flatMap((s) => s.steps.map((d) => d.id))
        .join(', ')})`,
    );
  }
  return { project, chain, definition: found.step, stage: found.stage, stageIndex: found.stageIndex, step };
}
