import { assertAllowed } from '../domain/access-policy.js';
import {
  answerRequest,
  cancel,
  type Meeting,
  reschedule,
  respond,
  takeAttendance,
} from '../domain/meeting.js';
import {
  agendaItemOf,
  assertMeetingAsked,
  type MeetingInput,
  meetingPerson,
  newMeeting,
} from '../domain/meeting-agenda.js';
import {
  cancellationNews,
  declineNews,
  invitationNews,
  requestNews,
  rescheduleNews,
} from '../domain/meeting-notices.js';
import type { Principal } from '../domain/principal.js';
import { retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';
import { meetingFor, saveMeeting } from './meeting-records.js';

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
  assertMeetingAsked(principal, input, ctx.clock.now());
  const agenda = [];
  for (const [index, entry] of input.agenda.entries()) {
    agenda.push(agendaItemOf(principal, await loadState(ctx, entry.projectId), entry, index));
  }
  const departmentIds = new Set((await ctx.store.listDepartments()).map((d) => d.id));
  const now = ctx.clock.now();
  const meeting = newMeeting({ principal, input, agenda, departmentIds, meetingId: ctx.newId(), now });
  const news = meeting.status === 'requested' ? [requestNews(meeting)] : invitationNews(meeting);
  await saveMeeting(ctx, meeting, null, news, now);
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
    const scheduled: Meeting = answer.accept ? { ...next, convenedBy: meetingPerson(principal) } : next;
    const news = answer.accept ? invitationNews(scheduled) : declineNews(meeting, answer.reason);
    await saveMeeting(ctx, scheduled, meeting.version, news, now);
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
    await saveMeeting(ctx, next, meeting.version, rescheduleNews(meeting, next, change.reason), now);
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
    await saveMeeting(ctx, next, meeting.version, cancellationNews(meeting, next, reason), now);
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
