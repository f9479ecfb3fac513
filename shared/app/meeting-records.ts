import { allowedOn } from '../domain/access-policy.js';
import type { Meeting } from '../domain/meeting.js';
import type { Principal } from '../domain/principal.js';
import type { AppContext } from './context.js';
import { type Concern, notificationEffects } from './notify.js';

/** A meeting the caller may see and act on so (others are "not found", or refused saying who may). */
export async function meetingFor(
  ctx: AppContext,
  principal: Principal,
  meetingId: string,
  action: 'meeting.read' | 'meeting.respond' | 'meeting.run',
): Promise<Meeting> {
  return allowedOn(principal, action, 'meeting', await ctx.store.getMeeting(meetingId));
}

/** The meeting written on condition of the version read (`null`: a new one), with the news it owes, at once. */
export async function saveMeeting(
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
