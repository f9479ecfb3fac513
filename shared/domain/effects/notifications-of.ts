import type { Department } from '../department.js';
import type { Audience } from '../escalation-audiences.js';
import type { User } from '../project.js';
import type { News } from '../sla-news.js';
import type { ChannelNote, EffectWrite, OwedSend } from './effect-writes.js';

/** A piece of news for the people concerned (a light, a breach, an escalation, a deemed approval, a meeting). */
export type Concern = News & {
  /** a joint review meeting the news is about, and when it is held */
  meeting?: { meetingId: string; scheduledAt?: string };
};

/** At most this many users receive one piece of news (a transaction holds at most 100 items). */
const MAX_RECIPIENTS = 40;

/** A group of users looked up by the reference data: a department's, or a role's. */
export type UserGroup = { departmentId: string } | { role: User['role'] };

/** The key a group's users are read under (`dept:NRP`, `role:leader`). */
export const groupKey = (group: UserGroup): string =>
  'departmentId' in group ? `dept:${group.departmentId}` : `role:${group.role}`;

/** The groups (not single users) some news names, each once: what to read before telling them. */
export function groupsToRead(concerns: readonly Pick<Concern, 'audiences'>[]): UserGroup[] {
  const seen = new Map<string, UserGroup>();
  for (const a of concerns.flatMap((c) => c.audiences)) {
    if ('departmentId' in a) seen.set(groupKey(a), { departmentId: a.departmentId });
    else if ('role' in a) seen.set(groupKey(a), { role: a.role });
  }
  return [...seen.values()];
}

/** What telling people needs, read before: the users of each group named (by `groupKey`), the departments' robots. */
export type Recipients = {
  users: ReadonlyMap<string, readonly string[]>;
  departments: readonly Pick<Department, 'id' | 'webhookUrl'>[];
};

/**
 * The writes and sends that tell the concerned users: one inbox item per user (in the change's own transaction),
 * and, through the outbox, an event on the bus, the department's robot webhook, and an alert where asked.
 */
export function notificationsOf(
  concerns: readonly Concern[],
  recipients: Recipients,
  now: Date,
  newId: () => string,
): { writes: EffectWrite[]; sends: OwedSend[] } {
  const writes: EffectWrite[] = [];
  const sends: OwedSend[] = [];
  const at = now.toISOString();
  const usersOf = (audience: Audience): readonly string[] => {
    if ('userId' in audience) return [audience.userId];
    const users = recipients.users.get(groupKey(audience));
    if (!users) throw new Error(`the users of ${groupKey(audience)} were not read before telling them`);
    return users;
  };
  for (const concern of concerns) {
    const told = new Set(concern.audiences.flatMap(usersOf));
    for (const userId of [...told].slice(0, MAX_RECIPIENTS)) {
      writes.push({
        op: 'put_notification',
        notification: {
          userId,
          notificationId: newId(),
          at,
          kind: concern.kind,
          title: concern.title,
          message: concern.message,
          ...(concern.project
            ? { projectId: concern.project.projectId, projectCode: concern.project.code }
            : {}),
          ...(concern.stepId ? { stepId: concern.stepId } : {}),
          ...(concern.partId ? { partId: concern.partId } : {}),
          ...(concern.meeting ? { meetingId: concern.meeting.meetingId } : {}),
          ...(concern.meeting?.scheduledAt ? { meetingAt: concern.meeting.scheduledAt } : {}),
          read: false,
        },
      });
    }
    const event: ChannelNote = {
      kind: concern.kind,
      title: concern.title,
      message: concern.message,
      at,
      ...(concern.project ? { projectId: concern.project.projectId, projectCode: concern.project.code } : {}),
      ...(concern.stepId ? { stepId: concern.stepId } : {}),
      ...(concern.partId ? { partId: concern.partId } : {}),
      ...(concern.departmentId ? { departmentId: concern.departmentId } : {}),
      ...(concern.rung ? { rung: concern.rung } : {}),
    };
    sends.push({ type: 'publish_event', event });
    if (concern.alert) sends.push({ type: 'alert', event });
    if (concern.departmentId) {
      const id = concern.departmentId;
      const url = recipients.departments.find((d) => d.id === id)?.webhookUrl;
      if (url) {
        sends.push({
          type: 'post_webhook',
          url,
          text: `【代办】${concern.title}\n${concern.message}`,
          what: `${concern.kind} to ${id}'s robot`,
        });
      }
    }
  }
  return { writes, sends };
}
