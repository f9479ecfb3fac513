import { z } from 'zod';
import { assertAllowed } from '../domain/access-policy.js';
import { ConflictError, InvalidInputError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Project } from '../domain/project.js';
import { withdrawProject as withdrawRule } from '../domain/steps/withdrawal.js';
import type { Transition } from '../domain/transition.js';
import { applyTransition } from './apply-transition.js';
import { retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { lifecycleInput } from './context.js';
import { stopSend } from './executions.js';
import { loadState } from './load.js';

export const ReassignAgentInputSchema = z.strictObject({
  agentId: z.string().min(1).max(64),
  reason: z.string().trim().min(1, 'give the reason for the handover').max(1000),
});
export type ReassignAgentInput = z.infer<typeof ReassignAgentInputSchema>;

export const WithdrawalInputSchema = z.strictObject({
  reason: z.string().trim().min(1, 'give the reason for the withdrawal (撤回/终止)').max(1000),
});
export type WithdrawalInput = z.infer<typeof WithdrawalInputSchema>;

/** Hands a project over to another agent (交接); the assignment history is kept and shown. */
export async function reassignAgent(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  input: ReassignAgentInput,
): Promise<Project> {
  return retryOnConflict(async () => {
    const state = await loadState(ctx, projectId);
    const { project } = state;
    assertAllowed(principal, 'project.reassign', { project, chain: state.chain });
    const agent = await ctx.store.getUser(input.agentId);
    if (agent?.role !== 'agent') {
      throw new InvalidInputError(
        'PROJECT.UNKNOWN_AGENT',
        `agentId '${input.agentId}' is not a known agent (代办员)`,
      );
    }
    if (agent.userId === project.agentId) {
      throw new ConflictError('PROJECT.SAME_AGENT', `${agent.name} is already the agent of this project`);
    }
    const at = ctx.clock.now().toISOString();
    const transition: Transition = {
      changes: [],
      events: [
        {
          type: 'agent_reassigned',
          before: { agentId: project.agentId },
          after: { agentId: agent.userId },
          data: { reason: input.reason },
        },
      ],
      project: { set: { agentId: agent.userId }, expect: { agentId: project.agentId } },
      owed: [],
      relies: [],
    };
    await applyTransition(ctx, state, transition, {
      actor: principal,
      ops: [
        {
          op: 'put_assignment',
          assignment: {
            projectId,
            assignmentId: ctx.newId(),
            agentId: agent.userId,
            previousAgentId: project.agentId,
            reason: input.reason,
            at,
            by: principal.userId,
          },
        },
      ],
    });
    return { ...project, agentId: agent.userId, updatedAt: at };
  });
}

/**
 * The enterprise withdraws the project (撤回/终止), through its agent or a leader: every open step is closed as
 * withdrawn and its execution is stopped, so nothing waits any longer.
 */
export async function withdrawProject(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  input: WithdrawalInput,
): Promise<Project> {
  return retryOnConflict(async () => {
    const state = await loadState(ctx, projectId);
    assertAllowed(principal, 'project.withdraw', { project: state.project, chain: state.chain });
    const now = ctx.clock.now();
    const transition = withdrawRule(lifecycleInput(ctx, state, now), input.reason);
    const execution = state.project.execution;
    await applyTransition(ctx, state, transition, {
      actor: principal,
      ...(execution && !state.project.executionEndedAt
        ? { sends: [stopSend(state.project, execution)] }
        : {}),
    });
    const { execution: _e, renewAt: _r, ...rest } = state.project;
    return { ...rest, status: 'withdrawn', withdrawnAt: now.toISOString(), updatedAt: now.toISOString() };
  });
}
