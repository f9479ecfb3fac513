import type { Meeting } from '../domain/meeting.js';
import { canSeeMeeting } from '../domain/meeting-visibility.js';
import type { Principal } from '../domain/principal.js';
import { meetingAsSeenBy } from '../domain/redaction.js';
import type { Page, PageRequest } from '../store/store.port.js';
import type { AppContext } from './context.js';
import { meetingFor } from './meeting-records.js';

/**
 * Joint review meetings (联审会): the use cases, one module each, and what a caller may read of them. The rules are
 * the domain's: `meeting.ts` (the meeting's moves), `meeting-agenda.ts` (what goes on an agenda, who convenes),
 * `meeting-minutes.ts` (what the minutes decide and the 会议纪要), `meeting-notices.ts` (who is told).
 */
export {
  type MeetingInput,
  MeetingInputSchema,
  type MinutesInput,
  MinutesInputSchema,
} from '../domain/meeting-agenda.js';
export { minuteMeeting } from './meeting-minutes.js';
export {
  answerMeetingRequest,
  cancelMeeting,
  createMeeting,
  recordAttendance,
  rescheduleMeeting,
  respondToMeeting,
} from './meeting-scheduling.js';

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
