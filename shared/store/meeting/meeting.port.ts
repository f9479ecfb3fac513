import type { EffectWrite } from '../../domain/effects/effect-writes.js';
import type { Meeting } from '../../domain/meeting.js';
import type { Page, PageRequest } from '../page.js';

/** a meeting as it now is, conditional on the version read (null: a new meeting) */
export type MeetingOp = Extract<EffectWrite, { op: 'put_meeting' }>;

/** Joint-review meetings (联审会议). Adapter: `MeetingDynamo`. */
export interface MeetingStore {
  getMeeting(meetingId: string): Promise<Meeting | undefined>;
  /** Newest first. */
  listMeetings(page: PageRequest): Promise<Page<Meeting>>;
}
