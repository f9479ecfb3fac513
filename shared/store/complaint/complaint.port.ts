import type { Complaint } from '../../domain/complaint.js';
import type { Page, PageRequest } from '../page.js';

export type ComplaintOp =
  /** an efficiency complaint as it now is, conditional on the version before it (1: a new complaint) */
  { op: 'put_complaint'; complaint: Complaint };

/** Efficiency complaints (效能投诉). Adapter: `ComplaintDynamo`. */
export interface ComplaintStore {
  getComplaint(complaintId: string): Promise<Complaint | undefined>;
  /** Newest first: all of them, a complainant's, or those about one department. */
  listComplaints(
    filter: { complainantId?: string; departmentId?: string },
    page: PageRequest,
  ): Promise<Page<Complaint>>;
}
