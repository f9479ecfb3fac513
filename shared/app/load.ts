import { NotFoundError } from '../domain/errors.js';
import { projectItems } from '../domain/initial-items.js';
import type { AgentAssignment } from '../domain/project.js';
import type { ProjectState } from '../domain/transition.js';
import type { OutboxEntry, ProjectRecord } from '../store/store.port.js';
import type { AppContext } from './context.js';

/**
 * A project as one consistent read (its project item, steps, parts and tokens: one Query) with its chain version.
 * A project the caller may not see gets the same 404 as one that does not exist (see `access.ts`).
 */
export async function loadState(
  ctx: Pick<AppContext, 'store' | 'chains'>,
  projectId: string,
): Promise<ProjectState> {
  return (await loadRecord(ctx, projectId)).state;
}

/** {@link loadState}, with the project's agent handovers from the same read (they sort inside its working set). */
export async function loadStateAndHandovers(
  ctx: Pick<AppContext, 'store' | 'chains'>,
  projectId: string,
): Promise<{ state: ProjectState; assignments: AgentAssignment[] }> {
  const { state, record } = await loadRecord(ctx, projectId);
  return { state, assignments: record.assignments };
}

/** {@link loadState}, with the project's outbox entries not cleared yet (read in the same Query). */
export async function loadStateWithOutbox(
  ctx: Pick<AppContext, 'store' | 'chains'>,
  projectId: string,
): Promise<{ state: ProjectState; outbox: OutboxEntry[] }> {
  const { state, record } = await loadRecord(ctx, projectId);
  return { state, outbox: record.outbox };
}

async function loadRecord(
  ctx: Pick<AppContext, 'store' | 'chains'>,
  projectId: string,
): Promise<{ state: ProjectState; record: ProjectRecord }> {
  const record = await ctx.store.loadProject(projectId);
  if (!record) throw projectNotFound();
  const chain = await ctx.chains.get(record.project.chainId, record.project.chainVersion);
  // the items of stages not reached yet are derived from the chain until first written (see initial-items.ts)
  const { items, unwritten } = projectItems(chain, record.project, record.items);
  const state: ProjectState = {
    project: record.project,
    chain,
    items,
    tokens: record.tokens,
    ...(unwritten.size > 0 ? { unwritten } : {}),
  };
  return { state, record };
}

export const projectNotFound = (): NotFoundError =>
  new NotFoundError('PROJECT.NOT_FOUND', 'no such project (or it is not one you may see)');
