import { z } from 'zod';
import { assertAllowed, canSeeMeeting } from '../domain/access-policy.js';
import { findPart, findStep } from '../domain/chain-graph.js';
import type { StatAddition } from '../domain/counted-against.js';
import { DOCUMENT_TITLES, type ProjectDocument } from '../domain/documents.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import { localDateTime } from '../domain/local-time.js';
import {
  type AgendaItem,
  agendaRefusal,
  answerRequest,
  assertInFuture,
  bindingsOf,
  cancel,
  MAX_AGENDA_ITEMS,
  type Meeting,
  MinutedDecisionSchema,
  minuted,
  reschedule,
  respond,
  takeAttendance,
} from '../domain/meeting.js';
import type { Principal } from '../domain/principal.js';
import { itemKey } from '../domain/project.js';
import { meetingAsSeenBy } from '../domain/redaction.js';
import { decideStep } from '../domain/steps/decision.js';
import { InstantInputSchema } from '../domain/time.js';
import {
  applyChanges,
  combineTransitions,
  type ProjectState,
  type Transition,
} from '../domain/transition.js';
import { chinaDate } from '../domain/working-days.js';
import type { OutboxEntry, Page, PageRequest, StoreOp } from '../store/store.port.js';
import { agentNotices, noticeNumbering, numberingOps } from './agent-notices.js';
import { retryOnConflict, transitionOps } from './commit.js';
import type { AppContext } from './context.js';
import { lifecycleInput } from './context.js';
import { loadState } from './load.js';
import { type Concern, notificationEffects } from './notify.js';
import { relay } from './relay.js';
import { statsOps } from './stats-effects.js';

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

export const MinutesInputSchema = z.strictObject({
  decisions: z
    .array(z.object({ itemId: z.string().min(1).max(64) }).and(MinutedDecisionSchema))
    .min(1)
    .max(MAX_AGENDA_ITEMS),
});
export type MinutesInput = z.infer<typeof MinutesInputSchema>;

const who = (principal: Principal) => ({
  userId: principal.userId,
  name: principal.name,
  role: principal.role,
  ...(principal.departmentId ? { departmentId: principal.departmentId } : {}),
});

/** The agenda items, each checked: a step (or part) of a project the caller may see, open at a department. */
async function agendaOf(ctx: AppContext, principal: Principal, input: MeetingInput): Promise<AgendaItem[]> {
  const items: AgendaItem[] = [];
  for (const entry of input.agenda) {
    const state = await loadState(ctx, entry.projectId);
    assertAllowed(principal, 'project.read', { project: state.project, chain: state.chain });
    const found = findStep(state.chain, entry.stepId);
    const part = found && entry.partId ? findPart(found.step, entry.partId) : undefined;
    const item = state.items.get(itemKey({ stepId: entry.stepId, partId: entry.partId }));
    if (!found || !item || (entry.partId && !part)) {
      throw new NotFoundError(
        'STEP.NOT_FOUND',
        `project ${state.project.code} has no step ${entry.stepId}${entry.partId ? ` part ${entry.partId}` : ''}`,
      );
    }
    if (found.step.parts && !entry.partId) {
      throw new InvalidInputError(
        'MEETING.PART_NEEDED',
        `step ${entry.stepId} is a joint review: put its parts on the agenda (${found.step.parts.map((p) => p.id).join(', ')})`,
      );
    }
    const refusal = agendaRefusal(item.status);
    if (refusal) {
      throw new ConflictError(
        'MEETING.STEP_NOT_OPEN',
        `step ${entry.stepId}${entry.partId ? ` part ${entry.partId}` : ''} of project ${state.project.code}: ${refusal}`,
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
    items.push({
      itemId: `${items.length + 1}`,
      projectId: state.project.projectId,
      projectCode: state.project.code,
      projectName: state.project.name,
      agentId: state.project.agentId,
      enterpriseId: state.project.enterpriseId,
      stepId: entry.stepId,
      ...(entry.partId ? { partId: entry.partId } : {}),
      stepName: `${found.step.name}${part ? `（${part.name}）` : ''}`,
      departmentId: item.departmentId ?? found.stage.leadDepartmentId,
      ...(entry.note ? { note: entry.note } : {}),
    });
  }
  const keys = items.map((i) => `${i.projectId}#${i.stepId}#${i.partId ?? ''}`);
  if (new Set(keys).size !== keys.length) {
    throw new InvalidInputError('MEETING.DUPLICATE_ITEM', 'the same step is on the agenda twice');
  }
  return items;
}

/**
 * A leader (or a stage's lead department) convenes a joint review meeting on steps under review; an agent requests
 * one for their projects' steps, for a leader to accept or decline. The departments concerned are invited and
 * told, with the agents of the projects on the agenda.
 */
export async function createMeeting(
  ctx: AppContext,
  principal: Principal,
  input: MeetingInput,
): Promise<Meeting> {
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
  if (!requesting && input.scheduledAt) assertInFuture(input.scheduledAt, ctx.clock.now());
  const agenda = await agendaOf(ctx, principal, input);
  const departments = new Set((await ctx.store.listDepartments()).map((d) => d.id));
  const unknown = input.invite.filter((d) => !departments.has(d));
  if (unknown.length > 0)
    throw new InvalidInputError('MEETING.UNKNOWN_DEPARTMENT', `no department ${unknown.join(', ')}`);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const meeting: Meeting = {
    meetingId: ctx.newId(),
    version: 1,
    status: requesting ? 'requested' : 'scheduled',
    title: input.title,
    ...(input.reason ? { reason: input.reason } : {}),
    ...(requesting ? { requestedBy: who(principal) } : { convenedBy: who(principal) }),
    ...(input.scheduledAt && !requesting ? { scheduledAt: input.scheduledAt } : {}),
    ...(input.place && !requesting ? { place: input.place } : {}),
    agenda,
    invited: [...new Set([...agenda.map((i) => i.departmentId), ...input.invite])].sort(),
    responses: {},
    createdAt: at,
    updatedAt: at,
  };
  await saveMeeting(
    ctx,
    meeting,
    null,
    requesting ? [requestConcern(meeting)] : invitationConcerns(meeting),
    now,
  );
  return meeting;
}

/** A leader schedules a requested (or proposed) meeting, or declines it with a reason. */
export async function answerMeetingRequest(
  ctx: AppContext,
  principal: Principal,
  meetingId: string,
  answer: { accept: true; scheduledAt: string; place: string } | { accept: false; reason: string },
): Promise<Meeting> {
  return retryOnConflict(async () => {
    const meeting = await meetingFor(ctx, principal, meetingId, 'meeting.read');
    assertAllowed(principal, 'meeting.answer_request', { meeting });
    const now = ctx.clock.now();
    const next = answerRequest(meeting, answer, principal.userId, now.toISOString());
    const scheduled: Meeting = answer.accept ? { ...next, convenedBy: who(principal) } : next;
    const concerns: Concern[] = answer.accept
      ? invitationConcerns(scheduled)
      : meeting.requestedBy
        ? [
            {
              kind: 'meeting',
              title: `联审会申请未获同意：${meeting.title}`,
              message: `理由：${answer.reason}`,
              audiences: [{ userId: meeting.requestedBy.userId }],
            },
          ]
        : [];
    await saveMeeting(ctx, scheduled, meeting.version, concerns, now);
    return scheduled;
  });
}

/** The convener (or a leader) moves a scheduled meeting to a later time or another place; everyone invited is told. */
export async function rescheduleMeeting(
  ctx: AppContext,
  principal: Principal,
  meetingId: string,
  change: { scheduledAt: string; place?: string; reason: string },
): Promise<Meeting> {
  return retryOnConflict(async () => {
    const meeting = await meetingFor(ctx, principal, meetingId, 'meeting.run');
    const now = ctx.clock.now();
    const next = reschedule(meeting, change, principal.userId, now);
    const concerns = audienceConcerns(next, {
      title: `联审会改期：${next.title}`,
      message: `因${change.reason}，会议改于 ${when(next)} 召开（原定 ${when(meeting)}）。`,
      departmentAsk: '请重新确认参会或请假。',
    });
    await saveMeeting(ctx, next, meeting.version, concerns, now);
    return next;
  });
}

/** The convener (or a leader) cancels a meeting not yet minuted, with a reason; everyone invited is told. */
export async function cancelMeeting(
  ctx: AppContext,
  principal: Principal,
  meetingId: string,
  reason: string,
): Promise<Meeting> {
  return retryOnConflict(async () => {
    // the convener runs its meeting; a leader may call off any (a request too)
    const meeting = await meetingFor(ctx, principal, meetingId, 'meeting.run');
    const now = ctx.clock.now();
    const next = cancel(meeting, reason, principal.userId, now.toISOString());
    const concerns = audienceConcerns(next, {
      title: `联审会取消：${next.title}`,
      message: `原定 ${when(meeting)} 的会议取消。理由：${reason}。`,
    });
    if (meeting.requestedBy) {
      concerns.push({
        kind: 'meeting',
        title: `联审会取消：${next.title}`,
        message: `您申请的会议取消。理由：${reason}。`,
        meeting: { meetingId: next.meetingId },
        audiences: [{ userId: meeting.requestedBy.userId }],
      });
    }
    await saveMeeting(ctx, next, meeting.version, concerns, now);
    return next;
  });
}

/** An invited department confirms it attends, or sends leave with a reason. */
export async function respondToMeeting(
  ctx: AppContext,
  principal: Principal,
  meetingId: string,
  answer: { answer: 'attend' } | { answer: 'leave'; reason: string },
): Promise<Meeting> {
  return retryOnConflict(async () => {
    const meeting = await meetingFor(ctx, principal, meetingId, 'meeting.respond');
    const now = ctx.clock.now();
    const next = respond(meeting, principal.departmentId ?? '', answer, principal.userId, now.toISOString());
    await saveMeeting(ctx, next, meeting.version, [], now);
    return next;
  });
}

/** The convener records who came; who sent leave is excused; the others are absent without leave. */
export async function recordAttendance(
  ctx: AppContext,
  principal: Principal,
  meetingId: string,
  present: string[],
): Promise<Meeting> {
  return retryOnConflict(async () => {
    const meeting = await meetingFor(ctx, principal, meetingId, 'meeting.run');
    const now = ctx.clock.now();
    const next = takeAttendance(meeting, present, principal.userId, now.toISOString());
    await saveMeeting(ctx, next, meeting.version, [], now);
    return next;
  });
}

/**
 * The convener minutes a decision for every agenda item. The decisions bind their steps through the same decision
 * path as a department's (one transaction for the whole meeting: every step conditional on its version, so a
 * department deciding the same step at the same moment makes exactly one of the two win); a department absent
 * without leave is recorded as consenting (缺席默认); an item of a department on leave is deferred, not decided.
 * The minutes (会议纪要) are stored on the meeting and on every project concerned.
 */
export async function minuteMeeting(
  ctx: AppContext,
  principal: Principal,
  meetingId: string,
  input: MinutesInput,
): Promise<{ meeting: Meeting; documents: ProjectDocument[] }> {
  return retryOnConflict(async () => {
    const meeting = await meetingFor(ctx, principal, meetingId, 'meeting.run');
    const decisions = input.decisions.map(({ itemId, ...decision }) => ({ itemId, decision }));
    const bound = bindingsOf(meeting, decisions);
    const now = ctx.clock.now();
    const at = now.toISOString();
    const year = chinaDate(now).slice(0, 4);
    const sequence = `meeting-minutes#${year}`;
    const previous = await ctx.store.readSerial(sequence);
    const number = `联审纪要〔${year}〕第${String((previous ?? 0) + 1).padStart(4, '0')}号`;
    const written = minuted(meeting, bound, number, principal.userId, at);

    // Each project's decisions, one after the other on its state, as one transition.
    const perProject = new Map<
      string,
      { read: ProjectState; state: ProjectState; transition?: Transition }
    >();
    /** the decisions the minutes bind (not an item deferred for leave, nor one noted): each counts once */
    let counted = 0;
    for (const { item, decision, binding } of bound) {
      let entry = perProject.get(item.projectId);
      if (!entry) {
        const read = await loadState(ctx, item.projectId);
        entry = { read, state: read };
        perProject.set(item.projectId, entry);
      }
      if (binding === 'on_leave_deferred') continue;
      const target = { stepId: item.stepId, ...(item.partId ? { partId: item.partId } : {}) };
      const where = `agenda item ${item.itemId} (${item.projectCode} ${item.stepName})`;
      if (decision.outcome === 'noted') {
        if (entry.state.items.get(itemKey(target))?.status === 'in_review') {
          throw new InvalidInputError(
            'MEETING.STILL_IN_REVIEW',
            `${where} is still under review: the meeting decides it (noted is for a step its department already decided)`,
          );
        }
        continue;
      }
      let decided: Transition;
      try {
        decided = decideStep(lifecycleInput(ctx, entry.state, now), target, decision, {
          userId: principal.userId,
          via: 'meeting',
          minutes: number,
        });
      } catch (error) {
        if (error instanceof ConflictError && error.code === 'STEP.NOT_IN_REVIEW') {
          throw new ConflictError(
            'MEETING.ITEM_DECIDED_MEANWHILE',
            `${where}: ${error.message}. Nothing was minuted; minute the meeting again with this item as "noted"`,
            { itemId: item.itemId },
          );
        }
        throw error;
      }
      const tagged: Transition = {
        ...decided,
        events: decided.events.map((e) => ({
          ...e,
          data: {
            ...e.data,
            meetingId,
            minutes: number,
            binding: binding === 'absent_consent' ? '缺席默认' : 'present',
          },
        })),
      };
      entry.state = applyChanges(entry.state, tagged.changes);
      entry.transition = entry.transition ? combineTransitions(entry.transition, tagged) : tagged;
      counted += 1;
    }
    const names = new Map((await ctx.store.listDepartments()).map((d) => [d.id, d.name]));
    const documents = [...perProject.values()].map(({ read }) =>
      minutesDocument(written, read.project.projectId, at, (id) => names.get(id) ?? id),
    );
    const ops: StoreOp[] = [
      { op: 'take_serial', sequence, expected: previous, next: (previous ?? 0) + 1 },
      {
        op: 'put_meeting',
        meeting: { ...written, version: meeting.version + 1 },
        expectedVersion: meeting.version,
      },
    ];
    const entries: OutboxEntry[] = [];
    const stats: StatAddition[] = [];
    const numbering = await noticeNumbering(ctx, now);
    for (const [index, { read, transition }] of [...perProject.values()].entries()) {
      const document = documents[index] as ProjectDocument;
      const decided = transition ?? { changes: [], events: [], owed: [], relies: [] };
      const notices = await agentNotices(ctx, read, decided, now, numbering);
      const built = transitionOps(
        ctx,
        read,
        decided,
        {
          actor: principal,
          ops: [{ op: 'put_document', document }, ...notices.ops],
          sends: notices.sends,
        },
        now,
      );
      ops.push(...built.ops);
      stats.push(...built.stats);
      if (built.entry) entries.push(built.entry);
    }
    const effects = await notificationEffects(ctx, minutesConcerns(written), now);
    await ctx.store.commit([...ops, ...numberingOps(numbering), ...statsOps(stats, now), ...effects.ops]);
    if (counted > 0) ctx.metrics?.add('Decisions', counted);
    for (const entry of entries) await relay(ctx, entry);
    return { meeting: { ...written, version: meeting.version + 1 }, documents };
  });
}

/** A meeting the caller may see (others are "not found"). */
export async function getMeeting(ctx: AppContext, principal: Principal, meetingId: string): Promise<Meeting> {
  return meetingAsSeenBy(principal, await meetingFor(ctx, principal, meetingId, 'meeting.read'));
}

/** The meetings the caller may see, newest first, a page at a time (a department: those it is invited to). */
export async function listMeetings(
  ctx: AppContext,
  principal: Principal,
  page: PageRequest,
): Promise<Page<Meeting>> {
  const result = await ctx.store.listMeetings(page);
  return {
    items: result.items.filter((m) => canSeeMeeting(principal, m)).map((m) => meetingAsSeenBy(principal, m)),
    ...(result.cursor ? { cursor: result.cursor } : {}),
  };
}

async function meetingFor(
  ctx: AppContext,
  principal: Principal,
  meetingId: string,
  action: 'meeting.read' | 'meeting.respond' | 'meeting.run',
): Promise<Meeting> {
  const meeting = await ctx.store.getMeeting(meetingId);
  if (!meeting)
    throw new NotFoundError('MEETING.NOT_FOUND', 'no such meeting (or it is not one you may see)');
  assertAllowed(principal, action, { meeting });
  return meeting;
}

async function saveMeeting(
  ctx: AppContext,
  meeting: Meeting,
  expectedVersion: number | null,
  concerns: Concern[],
  now: Date,
): Promise<void> {
  const effects = await notificationEffects(ctx, concerns, now);
  const stored: Meeting = expectedVersion === null ? meeting : { ...meeting, version: expectedVersion + 1 };
  await ctx.store.commit([{ op: 'put_meeting', meeting: stored, expectedVersion }, ...effects.ops]);
  Object.assign(meeting, { version: stored.version });
}

const when = (meeting: Meeting) =>
  `${meeting.scheduledAt ? localDateTime(meeting.scheduledAt) : '待定'} ${meeting.place ?? ''}`;

/**
 * One piece of news about a meeting for those concerned: the invited departments (asked to answer, where there is
 * something to answer) and each agent of a project on the agenda, told only of their own projects' items (an agent
 * attends for the enterprise but answers nothing).
 */
function audienceConcerns(
  meeting: Meeting,
  news: { title: string; message: string; departmentAsk?: string },
): Concern[] {
  const ref = {
    meetingId: meeting.meetingId,
    ...(meeting.scheduledAt ? { scheduledAt: meeting.scheduledAt } : {}),
  };
  const agents = [...new Set(meeting.agenda.map((i) => i.agentId))];
  return [
    {
      kind: 'meeting',
      title: news.title,
      message: `${news.message}${news.departmentAsk ?? ''}`,
      meeting: ref,
      audiences: meeting.invited.map((departmentId) => ({ departmentId })),
    },
    ...agents.map(
      (agentId): Concern => ({
        kind: 'meeting',
        title: news.title,
        message: `${news.message}涉及您代办的事项：${meeting.agenda
          .filter((i) => i.agentId === agentId)
          .map((i) => `${i.projectCode} ${i.stepName}`)
          .join('；')}。`,
        meeting: ref,
        audiences: [{ userId: agentId }],
      }),
    ),
  ];
}

function invitationConcerns(meeting: Meeting): Concern[] {
  return audienceConcerns(meeting, {
    title: `联审会通知：${meeting.title}`,
    message: `时间地点：${when(meeting)}。`,
    departmentAsk: `议题：${meeting.agenda.map((i) => `${i.projectCode} ${i.stepName}`).join('；')}。请确认参会或请假。`,
  });
}

function requestConcern(meeting: Meeting): Concern {
  return {
    kind: 'meeting',
    title: `联审会申请：${meeting.title}`,
    message: `${meeting.requestedBy?.name ?? '代办员'}申请召开联审会：${meeting.reason ?? ''}`,
    meeting: { meetingId: meeting.meetingId },
    audiences: [{ role: 'leader' }],
  };
}

function minutesConcerns(meeting: Meeting): Concern[] {
  return audienceConcerns(meeting, {
    title: `会议纪要：${meeting.title}`,
    message: `${meeting.minutes?.number ?? ''} 已印发，议定事项对相关部门具有约束力。`,
  });
}

const DECISION_TEXT: Record<string, string> = {
  approved: '同意',
  approved_with_conditions: '有条件同意',
  supplement: '一次性告知补正',
  rejected: '不予许可',
  noted: '部门已办结，会议知悉',
};

/** The minutes as a document of one project concerned (the same number on every copy). */
function minutesDocument(
  meeting: Meeting,
  projectId: string,
  at: string,
  nameOf: (departmentId: string) => string,
): ProjectDocument {
  const attendance = meeting.attendance;
  // each project's copy carries its own matters: another enterprise's project is not its business
  const own = new Set(meeting.agenda.filter((i) => i.projectId === projectId).map((i) => i.itemId));
  const items = (meeting.minutes?.items ?? [])
    .filter((m) => own.has(m.itemId))
    .map((minute) => {
      const item = meeting.agenda.find((i) => i.itemId === minute.itemId);
      const decision = minute.decision;
      return {
        project: `${item?.projectCode ?? ''} ${item?.projectName ?? ''}`,
        step: item?.stepName ?? '',
        department: item ? nameOf(item.departmentId) : '',
        decision: DECISION_TEXT[decision.outcome] ?? decision.outcome,
        details:
          decision.outcome === 'approved_with_conditions'
            ? decision.conditions.join('；')
            : decision.outcome === 'supplement'
              ? decision.missingMaterials.map((m) => `${m.name}（${m.reason}）`).join('；')
              : decision.outcome === 'rejected'
                ? `${decision.reason}（依据：${decision.legalBasis}）`
                : '',
        // the meeting's remark on the matter (会议意见); an investor's copy leaves it out
        comment: 'comment' in decision && decision.comment ? decision.comment : '',
        rule:
          decision.outcome === 'noted'
            ? '部门已在会前作出决定，会议不再议定'
            : minute.binding === 'absent_consent'
              ? '缺席默认：该部门受邀未请假缺席，视为同意会议议定事项'
              : minute.binding === 'on_leave_deferred'
                ? '该部门请假，本事项不作约束，仍由该部门办理'
                : '该部门参会，会议议定即为部门决定',
      };
    });
  return {
    projectId,
    docId: `${meeting.meetingId}-${projectId}`.slice(0, 64),
    kind: 'meeting_minutes',
    number: meeting.minutes?.number ?? '',
    title: DOCUMENT_TITLES.meeting_minutes,
    issuedAt: at,
    fields: {
      meetingTitle: meeting.title,
      scheduledAt: meeting.scheduledAt ?? null,
      place: meeting.place ?? null,
      convenedBy: meeting.convenedBy?.name ?? null,
      attendees: (attendance?.present ?? []).map(nameOf),
      onLeave: (attendance?.onLeave ?? []).map(nameOf),
      // why each sent leave: the service's working, left out of an investor's copy
      onLeaveReasons: (attendance?.onLeave ?? []).map(
        (d) => `${nameOf(d)}：${meeting.responses[d]?.reason ?? ''}`,
      ),
      absentWithoutLeave: (attendance?.absent ?? []).map(nameOf),
      decisions: items,
    },
  };
}
