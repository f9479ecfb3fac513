import type { Actor } from '../principal.js';
import type { ProjectEvent } from '../project.js';
import type { EventDraft } from '../transition.js';

/** An event recording who did what, when, on which step, with the state before and after. */
export function eventOf(
  draft: EventDraft,
  on: { projectId: string; actor: Actor; at: string; eventId: string },
): ProjectEvent {
  const { actor } = on;
  return {
    ...draft,
    projectId: on.projectId,
    eventId: on.eventId,
    at: on.at,
    actor: {
      userId: actor.userId,
      role: actor.role,
      name: actor.name,
      ...('departmentId' in actor && actor.departmentId ? { departmentId: actor.departmentId } : {}),
      ...('enterpriseId' in actor && actor.enterpriseId ? { enterpriseId: actor.enterpriseId } : {}),
    },
  };
}
