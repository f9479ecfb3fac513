import { eventOf } from '../domain/effects/change-events.js';
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
  const { actor, at, projectId, ...draft } = input;
  return eventOf(draft, {
    projectId,
    actor,
    at: at ?? ctx.clock.now().toISOString(),
    eventId: ctx.newId(),
  });
}
