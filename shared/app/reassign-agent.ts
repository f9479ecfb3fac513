import { z } from 'zod';
import { ConflictError, InvalidInputError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Project } from '../domain/project.js';
import { assertCanReassign } from './access.js';
import type { AppContext } from './context.js';
import { newEvent } from './events.js';
import { loadProject } from './load.js';

export const ReassignAgentInputSchema = z.strictObject({
  agentId: z.string().min(1),
  reason: z.string().trim().min(1, 'give the reason for the handover').max(1000),
});
export type ReassignAgentInput = z.infer<typeof ReassignAgentInputSchema>;

/** Hands a project over to another agent (交接); the assignment history is kept and shown. */
export async function reassignAgent(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  input: ReassignAgentInput,
): Promise<Project> {
  const { project } = await loadProject(ctx, projectId);
  assertCanReassign(principal, project);
  const agent = await ctx.store.getUser(input.agentId);
  if (agent?.role !== 'agent') {
    throw new InvalidInputError(
      'PROJECT.UNKNOWN_AGENT',
      `agentId '${input.agentId}' is not a known agent (代办员)`,
    );
  }
  if (agent.userId === project.agentId) {
    throw new ConflictError(
      'PROJECT.SAME_AGENT',
      `${agent.name} is already the agent of project ${project.code}`,
    );
  }
  const at = ctx.clock.now().toISOString();
  await ctx.store.reassignAgent({
    project,
    assignment: {
      projectId,
      assignmentId: ctx.newId(),
      agentId: agent.userId,
      previousAgentId: project.agentId,
      reason: input.reason,
      at,
      by: principal.userId,
    },
    event: newEvent(ctx, {
      projectId,
      type: 'agent_reassigned',
      actor: principal,
      at,
      before: { agentId: project.agentId },
      after: { agentId: agent.userId },
      data: { reason: input.reason },
    }),
  });
  return { ...project, agentId: agent.userId, updatedAt: at };
}
