import type { Audience } from '../domain/escalation-audiences.js';
import type { News } from '../domain/sla-news.js';
import type { ChannelEvent } from '../notify/channels.port.js';
import type { OutboxSend, StoreOp } from '../store/store.port.js';
import type { AppContext } from './context.js';
import { referenceData } from './reference-cache.js';

export type { Audience };

/** A piece of news for the people concerned (a light, a breach, an escalation, a deemed approval, a meeting). */
export type Concern = News & {
  /** a joint review meeting the news is about, and when it is held */
  meeting?: { meetingId: string; scheduledAt?: string };
};

/** At most this many users receive one piece of news (a transaction holds at most 100 items). */
const MAX_RECIPIENTS = 40;

/**
 * The writes and sends that tell the concerned users: one inbox item per user (in the change's own transaction),
 * and, through the outbox, an event on the bus, the department's robot webhook, and an alert where asked.
 */
export async function notificationEffects(
  ctx: AppContext,
  concerns: readonly Concern[],
  now: Date,
): Promise<{ ops: StoreOp[]; sends: OutboxSend[] }> {
  const ops: StoreOp[] = [];
  const sends: OutboxSend[] = [];
  const at = now.toISOString();
  const usersOf = new Map<string, Promise<string[]>>();
  const resolve = (audience: Audience): Promise<string[]> => {
    if ('userId' in audience) return Promise.resolve([audience.userId]);
    const key = 'departmentId' in audience ? `dept:${audience.departmentId}` : `role:${audience.role}`;
    let users = usersOf.get(key);
    if (!users) {
      users = referenceData(ctx.store)
        .usersOf(audience)
        .then((list) => list.map((u) => u.userId));
      usersOf.set(key, users);
    }
    return users;
  };
  const webhooks = new Map<string, Promise<string | undefined>>();
  for (const concern of concerns) {
    const recipients = new Set((await Promise.all(concern.audiences.map(resolve))).flat());
    for (const userId of [...recipients].slice(0, MAX_RECIPIENTS)) {
      ops.push({
        op: 'put_notification',
        notification: {
          userId,
          notificationId: ctx.newId(),
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
    const event: ChannelEvent = {
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
      let url = webhooks.get(id);
      if (!url) {
        url = referenceData(ctx.store)
          .department(id)
          .then((d) => d?.webhookUrl);
        webhooks.set(id, url);
      }
      const target = await url;
      if (target) {
        sends.push({
          type: 'post_webhook',
          url: target,
          text: `【代办】${concern.title}\n${concern.message}`,
          what: `${concern.kind} to ${id}'s robot`,
        });
      }
    }
  }
  return { ops, sends };
}
