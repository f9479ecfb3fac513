import { type Meeting, MeetingSchema } from '../../domain/meeting.js';
import { stripKeys } from '../dynamo-codec.js';
import { type DynamoTable, eq } from '../dynamo-table.js';
import { keys } from '../keys.js';
import type { Page, PageRequest } from '../page.js';
import type { MeetingStore } from './meeting.port.js';

/** DynamoDB adapter of {@link MeetingStore}. */
export class MeetingDynamo implements MeetingStore {
  constructor(private readonly table: DynamoTable) {}

  async getMeeting(meetingId: string): Promise<Meeting | undefined> {
    const item = await this.table.get(keys.meeting(meetingId));
    return item ? MeetingSchema.parse(stripKeys(item)) : undefined;
  }

  async listMeetings(page: PageRequest): Promise<Page<Meeting>> {
    return this.table.queryPageOfItems(
      { IndexName: 'GSI1', ...eq('GSI1PK', 'MEETINGS'), ScanIndexForward: false },
      page,
      (item) => MeetingSchema.parse(stripKeys(item)),
    );
  }
}
