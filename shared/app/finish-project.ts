import { ConflictError } from '../domain/errors.js';
import { SYSTEM_ACTOR } from '../domain/principal.js';
import type { FinishProjectInput } from '../workflow/task-contract.js';
import type { AppContext } from './context.js';
import { newEvent } from './events.js';
import { loadProject } from './load.js';

/**
 * The state machine's last task: the chain reached its end. `completed` marks the project completed;
 * `returned` notes that the execution has stopped (the rejection already returned the project).
 * Replaying it changes nothing.
 */
export async function finishProject(ctx: AppContext, input: FinishProjectInput): Promise<void> {
  const { project } = await loadProject(ctx, input.projectId);
  if (project.executionEndedAt) return;
  const at = ctx.clock.now().toISOString();
  if (input.outcome === 'completed') {
    try {
      await ctx.store.appendEvent(
        newEvent(ctx, {
          projectId: project.projectId,
          type: 'project_completed',
          actor: SYSTEM_ACTOR,
          at,
          before: { status: project.status },
          after: { status: 'completed' },
        }),
        { set: { status: 'completed', completedAt: at, executionEndedAt: at }, expectStatus: 'active' },
      );
    } catch (error) {
      if (error instanceof ConflictError) return; // already finished by an earlier delivery
      throw error;
    }
    return;
  }
  await ctx.store.appendEvent(
    newEvent(ctx, {
      projectId: project.projectId,
      type: 'chain_stopped',
      actor: SYSTEM_ACTOR,
      at,
      data: { note: 'the chain stopped after the rejection; no further steps open' },
    }),
    { set: { executionEndedAt: at } },
  );
}
