import { NotFoundError } from '../domain/errors.js';
import { itemKey } from '../domain/project.js';
import type { ProjectState } from '../domain/transition.js';
import type { OutboxEntry } from '../store/store.port.js';
import type { AppContext } from './context.js';

/**
 * A project as one consistent read (its project item, steps, parts and tokens: one Query) with its chain version.
 * A project the caller may not see gets the same 404 as one that does not exist (see `access.ts`).
 */
export async function loadState(
  ctx: Pick<AppContext, 'store' | 'chains'>,
  projectId: string,
): Promise<ProjectState> {
  return (await loadStateWithOutbox(ctx, projectId)).state;
}

/** {@link loadState}, with the project's outbox entries not cleared yet (read in the same Query). */
export async function loadStateWithOutbox(
  ctx: Pick<AppContext, 'store' | 'chains'>,
  projectId: string,
): Promise<{ state: ProjectState; outbox: OutboxEntry[] }> {
  const record = await ctx.store.loadProject(projectId);
  if (!record) throw projectNotFound();
  const chain = await ctx.chains.get(record.project.chainId, record.project.chainVersion);
  return {
    state: {
      project: record.project,
      chain,
      items: new Map(record.items.map((item) => [itemKey(item), item])),
      tokens: record.tokens,
    },
    outbox: record.outbox,
  };
}

export const projectNotFound = (): NotFoundError =>
  new NotFoundError('PROJECT.NOT_FOUND', 'no such project (or it is not one you may see)');
