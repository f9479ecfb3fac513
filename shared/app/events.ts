import type { Actor } from '../domain/principal.js';
import type { ProjectEvent } from '../domain/project.js';
import type { AppContext } from './context.js';

/** Event types on a project's timeline (痕迹管理). */
export type ProjectEventType =
  | 'project_created'
  | 'agent_assigned'
  | 'agent_reassigned'
  | 'step_not_applicable'
  | 'step_opened'
  | 'step_blocked'
  | 'step_submitted'
  | 'milestone_reported'
  | 'step_decided'
  | 'supplement_requested'
  | 'step_resubmitted'
  | 'project_returned'
  | 'chain_stopped'
  | 'project_completed';

/** Builds an event recording who did what, when, on which step, with the state before and after. */
export function newEvent(
  ctx: Pick<AppContext, 'newId' | 'clock'>,
  input: {
    projectId: string;
    type: ProjectEventType;
    actor: Actor;
    stepId?: string;
    before?: Record<string, unknown>;
    after?: Record<string, unknown>;
    data?: Record<string, unknown>;
    at?: string;
  },
): ProjectEvent {
  const { actor, at, ...rest } = input;
  return {
    ...rest,
    eventId: ctx.newId(),
    at: at ?? ctx.clock.now().toISOString(),
    actor: {
      userId: actor.userId,
      role: actor.role,
      name: actor.name,
      ...('departmentId' in actor && actor.departmentId ? { departmentId: actor.departmentId } : {}),
      ...('enterpriseId' in actor && actor.enterpriseId ? { enterpriseId: actor.enterpriseId } : {}),
    },
  };
}
