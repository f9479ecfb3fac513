import { localDateTime } from './local-time.js';
import type { AgendaItem, Meeting } from './meeting.js';
import type { Project } from './project.js';

/**
 * Who hears what of a joint review meeting (DOMAIN.md: "everyone invited is told"): the invited departments (asked
 * to answer where there is something to answer), each agent of a project on the agenda (told of their own
 * projects' items only: an agent attends for the enterprise but answers nothing), the leaders of a request, the
 * requester of its answer or of a cancellation.
 */
export type MeetingNews = {
  kind: 'meeting';
  title: string;
  message: string;
  meeting?: { meetingId: string; scheduledAt?: string };
  project?: Pick<Project, 'projectId' | 'code'>;
  stepId?: string;
  partId?: string;
  audiences: Array<{ departmentId: string } | { role: 'leader' } | { userId: string }>;
};

/** When and where, as a person reads it (local time): `2026-03-12 09:30 区政务服务中心301会议室`. */
export const whenAndWhere = (meeting: Meeting): string =>
  `${meeting.scheduledAt ? localDateTime(meeting.scheduledAt) : '待定'} ${meeting.place ?? ''}`;

const itemsText = (items: readonly AgendaItem[]) =>
  items.map((i) => `${i.projectCode} ${i.stepName}`).join('；');

/** One piece of news for the invited departments and, each with their own items, the agents of the agenda. */
export function meetingAudienceNews(
  meeting: Meeting,
  news: { title: string; message: string; departmentAsk?: string },
): MeetingNews[] {
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
      (agentId): MeetingNews => ({
        kind: 'meeting',
        title: news.title,
        message: `${news.message}涉及您代办的事项：${itemsText(meeting.agenda.filter((i) => i.agentId === agentId))}。`,
        meeting: ref,
        audiences: [{ userId: agentId }],
      }),
    ),
  ];
}

/** A meeting convened (or a request scheduled): time, place and agenda; the departments confirm or send leave. */
export const invitationNews = (meeting: Meeting): MeetingNews[] =>
  meetingAudienceNews(meeting, {
    title: `联审会通知：${meeting.title}`,
    message: `时间地点：${whenAndWhere(meeting)}。`,
    departmentAsk: `议题：${itemsText(meeting.agenda)}。请确认参会或请假。`,
  });

/** An agent asks for a meeting: the leaders hear of it, to schedule or decline it. */
export const requestNews = (meeting: Meeting): MeetingNews => ({
  kind: 'meeting',
  title: `联审会申请：${meeting.title}`,
  message: `${meeting.requestedBy?.name ?? '代办员'}申请召开联审会：${meeting.reason ?? ''}`,
  meeting: { meetingId: meeting.meetingId },
  audiences: [{ role: 'leader' }],
});

/** A request declined: whoever requested it hears why (a proposal of the ladder has nobody to tell). */
export const declineNews = (meeting: Meeting, reason: string): MeetingNews[] =>
  meeting.requestedBy
    ? [
        {
          kind: 'meeting',
          title: `联审会申请未获同意：${meeting.title}`,
          message: `理由：${reason}`,
          audiences: [{ userId: meeting.requestedBy.userId }],
        },
      ]
    : [];

/** A meeting moved: everyone invited, asked to answer again. */
export const rescheduleNews = (before: Meeting, after: Meeting, reason: string): MeetingNews[] =>
  meetingAudienceNews(after, {
    title: `联审会改期：${after.title}`,
    message: `因${reason}，会议改于 ${whenAndWhere(after)} 召开（原定 ${whenAndWhere(before)}）。`,
    departmentAsk: '请重新确认参会或请假。',
  });

/** A meeting called off: everyone invited, and whoever requested it. */
export function cancellationNews(before: Meeting, after: Meeting, reason: string): MeetingNews[] {
  const news = meetingAudienceNews(after, {
    title: `联审会取消：${after.title}`,
    message: `原定 ${whenAndWhere(before)} 的会议取消。理由：${reason}。`,
  });
  if (before.requestedBy) {
    news.push({
      kind: 'meeting',
      title: `联审会取消：${after.title}`,
      message: `您申请的会议取消。理由：${reason}。`,
      meeting: { meetingId: after.meetingId },
      audiences: [{ userId: before.requestedBy.userId }],
    });
  }
  return news;
}

/** The minutes issued: binding on the departments concerned. */
export const minutesNews = (meeting: Meeting): MeetingNews[] =>
  meetingAudienceNews(meeting, {
    title: `会议纪要：${meeting.title}`,
    message: `${meeting.minutes?.number ?? ''} 已印发，议定事项对相关部门具有约束力。`,
  });

/** The ladder put an overdue step on a proposed meeting: the leaders, both departments and the agent hear of it. */
export function proposalNews(
  meeting: Meeting,
  project: Pick<Project, 'projectId' | 'code' | 'agentId'>,
  entry: Pick<AgendaItem, 'stepId' | 'partId' | 'stepName' | 'departmentId'>,
  leadDepartmentId: string,
  reason: string,
): MeetingNews {
  return {
    kind: 'meeting',
    title: `提请联审会：${project.code} ${entry.stepName}`,
    message: `${reason} 已列入${meeting.title}议程，待领导确定时间地点。`,
    project: { projectId: project.projectId, code: project.code },
    stepId: entry.stepId,
    ...(entry.partId ? { partId: entry.partId } : {}),
    audiences: [
      { role: 'leader' },
      { departmentId: leadDepartmentId },
      { departmentId: entry.departmentId },
      { userId: project.agentId },
    ],
  };
}
