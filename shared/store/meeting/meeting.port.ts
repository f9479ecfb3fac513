import type { Meeting } from '../../domain/meeting.js';
import type { Page, PageRequest } from '../page.js';

export type MeetingOp =
  /** a meeting as it now is, conditional on the version read (null: a new meeting) */
  { op: 'put_meeting'; meeting: Meeting; expectedVersion: number | null };

/** Joint-review meetings (联审会议). Adapter: `MeetingDynamo`. */
export interface MeetingStore {
  getMeeting(meetingId: string): Promise<Meeting | undefined>;
  /** Newest first. */
  listMeetings(page: PageRequest): Promise<Page<Meeting>>;
}
