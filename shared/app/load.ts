import { NotFoundError } from '../domain/errors.js';
import { type AgentAssignment, itemKey } from '../domain/project.js';
import type { ProjectState } from '../domain/transition.js';
import type { AppContext } from './context.js';

/**
 * A project as one consistent read (its project item, steps, parts and tokens: one Query) with its chain version.
 * A project the caller may not see gets the same 404 as one that does not exist (see `access.ts`).
 */
export async function loadState(
  ctx: Pick<AppContext, 'store' | 'chains'>,
  projectId: string,
): Promise<ProjectState> {
  return (await loadStateAndHandovers(ctx, projectId)).state;
}

/** {@link loadState}, with the project's agent handovers from the same read (they sort inside its working set). */
export async function loadStateAndHandovers(
  ctx: Pick<AppContext, 'store' | 'chains'>,
  projectId: string,
): Promise<{ state: ProjectState; assignments: AgentAssignment[] }> {
  const record = await ctx.store.loadProject(projectId);
  if (!record) throw projectNotFound();
  const chain = await ctx.chains.get(record.project.chainId, record.project.chainVersion);
  const state: ProjectState = {
    project: record.project,
    chain,
    items: new Map(record.items.map((item) => [itemKey(item), item])),
    tokens: record.tokens,
  };
  return { state, assignments: record.assignments };
}

export const projectNotFound = (): NotFoundError =>
  new NotFoundError('PROJECT.NOT_FOUND', 'no such project (or it is not one you may see)');
