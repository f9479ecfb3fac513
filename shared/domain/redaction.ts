import type { Chain } from './chain.js';
import { findPart, findStep } from './chain-graph.js';
import type { Meeting } from './meeting.js';
import type { Principal } from './principal.js';
import type { ProjectEvent } from './project.js';

/**
 * What each reader may see of a record they may see at all (DOMAIN.md "Who sees what"). A department's comment on
 * its decision, a note on an agenda and the officer who acted are the service's internal working: an officer sees
 * their own department's, not other departments'; an investor sees none of them, only what was decided, when, by
 * which department, and why (a rejection's reasons and legal basis, a supplement's list, conditions).
 */

/** Fields of an event's data that are internal working, not the decision itself. */
const INTERNAL_DATA = ['comment', 'note', 'repeatReason'] as const;

const withoutInternal = (data: Record<string, unknown> | undefined) => {
  if (!data) return data;
  const copy = { ...data };
  for (const key of INTERNAL_DATA) delete copy[key];
  return copy;
};

/** The department that acted on, or holds, the step (or part) an event is about. */
export function departmentOfEvent(event: ProjectEvent, chain: Chain | undefined): string | undefined {
  if (!event.stepId || !chain) return undefined;
  const found = findStep(chain, event.stepId);
  if (!found) return undefined;
  const part = event.partId ? findPart(found.step, event.partId) : undefined;
  return part?.departmentId ?? found.step.departmentId ?? found.stage.leadDepartmentId;
}

/** An event of a project the principal may see, as they may see it. */
export function eventAsSeenBy(
  principal: Principal,
  event: ProjectEvent,
  chain: Chain | undefined,
): ProjectEvent {
  switch (principal.role) {
    case 'leader':
    case 'admin':
    case 'agent':
      return event;
    case 'officer': {
      const department = departmentOfEvent(event, chain);
      if (department === principal.departmentId) return event;
      const data = withoutInternal(event.data);
      return { ...event, ...(data ? { data } : {}) };
    }
    case 'efficiency':
    case 'investor': {
      const data = withoutInternal(event.data);
      const { userId: _u, ...actor } = event.actor;
      return { ...event, actor: { ...actor, userId: event.actor.role }, ...(data ? { data } : {}) };
    }
  }
}

/**
 * A meeting the principal may see, as they may see it (DOMAIN.md: each person sees of a meeting only the items of
 * projects they may see). An agent sees the items of their own projects (another agent's project is not theirs to
 * see, nor its note); an investor sees their enterprise's items with neither notes, nor who answered, nor why a
 * department sent leave. Leaders, admins and the departments see the whole agenda.
 */
export function meetingAsSeenBy(principal: Principal, meeting: Meeting): Meeting {
  if (principal.role !== 'investor' && principal.role !== 'agent') return meeting;
  const investor = principal.role === 'investor';
  const mine = meeting.agenda.filter((item) =>
    investor ? item.enterpriseId === principal.enterpriseId : item.agentId === principal.userId,
  );
  const ids = new Set(mine.map((i) => i.itemId));
  return {
    ...meeting,
    agenda: investor ? mine.map(({ note: _n, ...item }) => item) : mine,
    responses: investor
      ? Object.fromEntries(
          Object.entries(meeting.responses).map(([dept, { by: _b, reason: _r, ...answer }]) => [
            dept,
            { ...answer, by: dept },
          ]),
        )
      : meeting.responses,
    ...(meeting.minutes
      ? {
          minutes: {
            ...meeting.minutes,
            items: meeting.minutes.items
              .filter((i) => ids.has(i.itemId))
              .map((i) => (investor ? { ...i, decision: withoutComment(i.decision) } : i)),
          },
        }
      : {}),
  };
}

/** Fields of a document that are the service's internal working: an investor's copy leaves them out. */
const INTERNAL_DOCUMENT_FIELDS = ['onLeaveReasons', 'comments'] as const;

/** A document of a project the principal may see, as they may see it (an investor: no internal working). */
export function documentAsSeenBy<T extends { fields: Record<string, unknown> }>(
  principal: Principal,
  document: T,
): T {
  if (principal.role !== 'investor' && principal.role !== 'efficiency') return document;
  const fields = { ...document.fields };
  for (const key of INTERNAL_DOCUMENT_FIELDS) delete fields[key];
  if (Array.isArray(fields.decisions)) {
    fields.decisions = fields.decisions.map((row) => {
      if (typeof row !== 'object' || row === null) return row;
      const { comment: _c, ...rest } = row as Record<string, unknown>;
      return rest;
    });
  }
  return { ...document, fields };
}

const withoutComment = <T extends { outcome: string }>(decision: T): T => {
  const { comment: _c, ...rest } = decision as T & { comment?: string };
  return rest as T;
};
