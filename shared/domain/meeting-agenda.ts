import { z } from 'zod';
import { assertAllowed } from './access-policy.js';
import { findPart, findStep } from './chain-graph.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from './errors.js';
import {
  type AgendaItem,
  agendaRefusal,
  assertInFuture,
  MAX_AGENDA_ITEMS,
  type Meeting,
  MinutedDecisionSchema,
} from './meeting.js';
import { type Principal, SYSTEM_ACTOR } from './principal.js';
import { itemKey } from './project.js';
import { InstantInputSchema } from './time.js';
import type { ProjectState } from './transition.js';
import { chinaDate } from './working-days.js';

/**
 * What goes on a joint review meeting's agenda, and who may put it there (DOMAIN.md "Joint review meeting"): a
 * leader convenes on any step under review, a stage's lead department on the steps of the stages it leads, an agent
 * requests one on their own projects' steps; a joint review is put on the agenda part by part; a step sits on one
 * agenda once. The escalation ladder's "joint meeting" rung proposes one per lead department and day.
 */

export const MeetingInputSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  agenda: z
    .array(
      z.strictObject({
        projectId: z.string().min(1).max(64),
        stepId: z.string().min(1).max(40),
        partId: z.string().min(1).max(20).optional(),
        note: z.string().trim().max(500).optional(),
      }),
    )
    .min(1, 'put at least one step on the agenda')
    .max(MAX_AGENDA_ITEMS, `at most ${MAX_AGENDA_ITEMS} agenda items in one meeting`),
  /** departments invited besides those whose steps are on the agenda */
  invite: z
    .array(z.string().regex(/^[A-Z][A-Z0-9_]{1,15}$/))
    .max(20)
    .default([]),
  scheduledAt: InstantInputSchema.optional(),
  place: z.string().trim().min(1).max(200).optional(),
  /** why a meeting is requested (agents) */
  reason: z.string().trim().min(1).max(1000).optional(),
});
export type MeetingInput = z.infer<typeof MeetingInputSchema>;
export type AgendaEntry = MeetingInput['agenda'][number];

export const MinutesInputSchema = z.strictObject({
  decisions: z
    .array(z.object({ itemId: z.string().min(1).max(64) }).and(MinutedDecisionSchema))
    .min(1)
    .max(MAX_AGENDA_ITEMS),
});
export type MinutesInput = z.infer<typeof MinutesInputSchema>;

/** The person recorded as convening or requesting a meeting. */
export const meetingPerson = (principal: Principal) => ({
  userId: principal.userId,
  name: principal.name,
  role: principal.role,
  ...(principal.departmentId ? { departmentId: principal.departmentId } : {}),
});

/**
 * An agenda item for a step (or a joint review's part) of this project, without its item id: the step's name with the
 * part's, and the department that decides it (the stage's lead where the item names none).
 */
export function agendaEntryOf(
  state: ProjectState,
  target: { stepId: string; partId?: string },
  note?: string,
): Omit<AgendaItem, 'itemId'> | undefined {
  const found = findStep(state.chain, target.stepId);
  const item = state.items.get(itemKey(target));
  const part = found && target.partId ? findPart(found.step, target.partId) : undefined;
  if (!found || !item || (target.partId && !part)) return undefined;
  const { project } = state;
  return {
    projectId: project.projectId,
    projectCode: project.code,
    projectName: project.name,
    agentId: project.agentId,
    enterpriseId: project.enterpriseId,
    stepId: target.stepId,
    ...(target.partId ? { partId: target.partId } : {}),
    stepName: `${found.step.name}${part ? `（${part.name}）` : ''}`,
    departmentId: item.departmentId ?? found.stage.leadDepartmentId,
    ...(note ? { note } : {}),
  };
}

/**
 * The `index`-th agenda item the caller asks for, checked: a step (or part) of a project the caller may see, open
 * at a department; a joint review by its parts; an officer only on the stages their department leads; an agent only
 * on their own projects (another's is "not found", as everywhere).
 */
export function agendaItemOf(
  principal: Principal,
  state: ProjectState,
  entry: AgendaEntry,
  index: number,
): AgendaItem {
  assertAllowed(principal, 'project.read', { project: state.project, chain: state.chain });
  const named = `${entry.stepId}${entry.partId ? ` part ${entry.partId}` : ''}`;
  const found = findStep(state.chain, entry.stepId);
  const agendaEntry = agendaEntryOf(state, entry, entry.note);
  if (!found || !agendaEntry) {
    throw new NotFoundError('STEP.NOT_FOUND', `project ${state.project.code} has no step ${named}`);
  }
  if (found.step.parts && !entry.partId) {
    throw new InvalidInputError(
      'MEETING.PART_NEEDED',
      `step ${entry.stepId} is a joint review: put its parts on the agenda (${found.step.parts.map((p) => p.id).join(', ')})`,
    );
  }
  const status = state.items.get(itemKey(entry))?.status;
  const refusal = status ? agendaRefusal(status) : undefined;
  if (refusal) {
    throw new ConflictError(
      'MEETING.STEP_NOT_OPEN',
      `step ${named} of project ${state.project.code}: ${refusal}`,
    );
  }
  if (principal.role === 'officer' && found.stage.leadDepartmentId !== principal.departmentId) {
    throw new ForbiddenError(
      'MEETING.NOT_YOUR_STAGE',
      `a lead department convenes meetings on the stages it leads; step ${entry.stepId} sits in ${found.stage.name} (lead ${found.stage.leadDepartmentId})`,
    );
  }
  if (principal.role === 'agent' && state.project.agentId !== principal.userId) {
    throw new NotFoundError('PROJECT.NOT_FOUND', 'no such project (or it is not one you may see)');
  }
  return { itemId: `${index + 1}`, ...agendaEntry };
}

/** A step sits on an agenda once. */
export function assertDistinctItems(items: readonly AgendaItem[]): void {
  const keys = items.map((i) => `${i.projectId}#${i.stepId}#${i.partId ?? ''}`);
  if (new Set(keys).size !== keys.length) {
    throw new InvalidInputError('MEETING.DUPLICATE_ITEM', 'the same step is on the agenda twice');
  }
}

/**
 * Who may ask for a meeting and what the asking needs, before its agenda is looked at: an agent requests one, with a
 * reason; a leader or lead department convenes one, at a time still to come and a place.
 */
export function assertMeetingAsked(principal: Principal, input: MeetingInput, now: Date): void {
  const requesting = principal.role === 'agent';
  assertAllowed(principal, requesting ? 'meeting.request' : 'meeting.convene');
  if (requesting && !input.reason) {
    throw new InvalidInputError('MEETING.REASON', 'say why the meeting is needed (reason)');
  }
  if (!requesting && (!input.scheduledAt || !input.place)) {
    throw new InvalidInputError(
      'MEETING.WHEN_WHERE',
      'a convened meeting needs its time (scheduledAt) and place',
    );
  }
  if (!requesting && input.scheduledAt) assertInFuture(input.scheduledAt, now);
}

/**
 * A new meeting: requested by an agent (with a reason, for a leader to schedule), or convened by a leader or a lead
 * department (at a time still to come, at a place). Invited: the departments of the agenda and those named, which
 * must exist.
 */
export function newMeeting(args: {
  principal: Principal;
  input: MeetingInput;
  agenda: AgendaItem[];
  departmentIds: ReadonlySet<string>;
  meetingId: string;
  now: Date;
}): Meeting {
  const { principal, input, agenda, now } = args;
  const requesting = principal.role === 'agent';
  assertMeetingAsked(principal, input, now);
  assertDistinctItems(agenda);
  const unknown = input.invite.filter((d) => !args.departmentIds.has(d));
  if (unknown.length > 0) {
    throw new InvalidInputError('MEETING.UNKNOWN_DEPARTMENT', `no department ${unknown.join(', ')}`);
  }
  const at = now.toISOString();
  return {
    meetingId: args.meetingId,
    version: 1,
    status: requesting ? 'requested' : 'scheduled',
    title: input.title,
    ...(input.reason ? { reason: input.reason } : {}),
    ...(requesting ? { requestedBy: meetingPerson(principal) } : { convenedBy: meetingPerson(principal) }),
    ...(input.scheduledAt && !requesting ? { scheduledAt: input.scheduledAt } : {}),
    ...(input.place && !requesting ? { place: input.place } : {}),
    agenda,
    invited: [...new Set([...agenda.map((i) => i.departmentId), ...input.invite])].sort(),
    responses: {},
    createdAt: at,
    updatedAt: at,
  };
}

/** At most this many proposals of one lead department on one day (each holds MAX_AGENDA_ITEMS steps). */
export const MAX_PROPOSALS_A_DAY = 20;

/** The id of the `n`-th meeting the escalation ladder proposes for a lead department on a day (n from 1). */
export const proposalId = (leadDepartmentId: string, now: Date, n: number): string =>
  `proposal-${leadDepartmentId}-${chinaDate(now).replaceAll('-', '')}-${n}`;

/**
 * The "joint meeting" rung (联审会督办): the overdue step joins the day's proposal of its stage's lead department.
 * Given that proposal as read (or none yet): `already` when the step is on it, `full` when it cannot take the step
 * (full, or no longer a proposal: try the next one), else the proposal with the step on its agenda.
 */
export function joinProposal(args: {
  existing: Meeting | undefined;
  meetingId: string;
  entry: Omit<AgendaItem, 'itemId'>;
  stageName: string;
  leadDepartmentId: string;
  now: Date;
}): 'already' | 'full' | Meeting {
  const { existing, entry, now } = args;
  if (
    existing?.agenda.some(
      (i) => i.projectId === entry.projectId && i.stepId === entry.stepId && i.partId === entry.partId,
    )
  ) {
    return 'already';
  }
  if (existing && (existing.status !== 'proposed' || existing.agenda.length >= MAX_AGENDA_ITEMS)) {
    return 'full';
  }
  const at = now.toISOString();
  return {
    ...(existing ?? {
      meetingId: args.meetingId,
      status: 'proposed',
      title: `督办联审会（${args.stageName}，${chinaDate(now)}）`,
      reason: '超期事项按督办规则提请召开政务服务中心联审会',
      requestedBy: { userId: SYSTEM_ACTOR.userId, name: 'SLA 督办', role: SYSTEM_ACTOR.role },
      responses: {},
      createdAt: at,
    }),
    version: (existing?.version ?? 0) + 1,
    agenda: [...(existing?.agenda ?? []), { itemId: `${(existing?.agenda.length ?? 0) + 1}`, ...entry }],
    invited: [...new Set([...(existing?.invited ?? [args.leadDepartmentId]), entry.departmentId])].sort(),
    updatedAt: at,
  };
}
