import type { Actor } from '../domain/principal.js';
import type { ProjectEvent } from '../domain/project.js';
import type { EventDraft } from '../domain/transition.js';
import type { AppContext } from './context.js';

export type { ProjectEventType } from '../domain/transition.js';

/** Builds an event recording who did what, when, on which step, with the state before and after. */
export function newEvent(
  ctx: Pick<AppContext, 'newId' | 'clock'>,
  input: EventDraft & { projectId: string; actor: Actor; at?: string },
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
