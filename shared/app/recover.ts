import { chainKey } from '../domain/chain.js';
import type { AppContext } from './context.js';

/**
 * Starts again the executions of projects whose chain has not reached its end (after a restart of the local
 * runtime, or a redrive). Task handlers are replayable, so decided steps report at once and open steps wait again.
 */
export async function recoverExecutions(ctx: AppContext): Promise<number> {
  const projects = [
    ...(await ctx.store.listProjects({ status: 'active' })),
    ...(await ctx.store.listProjects({ status: 'returned' })),
  ].filter((p) => !p.executionEndedAt);
  for (const project of projects) {
    await ctx.engine.startExecution({
      projectId: project.projectId,
      chainKey: chainKey({ id: project.chainId, version: project.chainVersion }),
    });
  }
  return projects.length;
}
