import { ComplaintSchema } from '../../domain/complaint.js';
import { type EncodersOf, putVersioned } from '../dynamo-encoding.js';
import { complaintIndexKeys, keys } from '../keys.js';
import type { ComplaintOp } from './complaint.port.js';

/** The write kinds of complaints as transaction items. */
export const complaintEncoders: EncodersOf<ComplaintOp> = {
  put_complaint: (op, tx) => {
    const complaint = ComplaintSchema.parse(op.complaint);
    const index = Object.fromEntries(
      Object.entries(complaintIndexKeys(complaint)).filter(([, v]) => v !== undefined),
    );
    return putVersioned(
      tx.tableName,
      { ...keys.complaint(complaint.complaintId), ...index, ...complaint },
      complaint.version === 1 ? null : complaint.version - 1,
    );
  },
};
