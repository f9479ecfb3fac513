import { MeetingSchema } from '../../domain/meeting.js';
import { type EncodersOf, putVersioned } from '../dynamo-encoding.js';
import { keys } from '../keys.js';
import type { MeetingOp } from './meeting.port.js';

/** The write kinds of meetings as transaction items. */
export const meetingEncoders: EncodersOf<MeetingOp> = {
  put_meeting: (op, tx) =>
    putVersioned(
      tx.tableName,
      {
        ...keys.meeting(op.meeting.meetingId),
        GSI1PK: 'MEETINGS',
        GSI1SK: `${op.meeting.createdAt}#${op.meeting.meetingId}`,
        ...MeetingSchema.parse(op.meeting),
      },
      op.expectedVersion,
    ),
};
