import { type Complaint, ComplaintSchema } from '../../domain/complaint.js';
import { stripKeys } from '../dynamo-codec.js';
import { type DynamoTable, eq } from '../dynamo-table.js';
import { keys } from '../keys.js';
import type { Page, PageRequest } from '../page.js';
import type { ComplaintStore } from './complaint.port.js';

/** DynamoDB adapter of {@link ComplaintStore}. */
export class ComplaintDynamo implements ComplaintStore {
  constructor(private readonly table: DynamoTable) {}

  async getComplaint(complaintId: string): Promise<Complaint | undefined> {
    const item = await this.table.get(keys.complaint(complaintId));
    return item ? ComplaintSchema.parse(stripKeys(item)) : undefined;
  }

  async listComplaints(
    filter: { complainantId?: string; departmentId?: string },
    page: PageRequest,
  ): Promise<Page<Complaint>> {
    const [index, pk] = filter.complainantId
      ? (['GSI2', `COMPLAINANT#${filter.complainantId}`] as const)
      : filter.departmentId
        ? (['GSI3', `COMPLAINED#${filter.departmentId}`] as const)
        : (['GSI1', 'COMPLAINTS'] as const);
    return this.table.queryPageOfItems(
      { IndexName: index, ...eq(`${index}PK`, pk), ScanIndexForward: false },
      page,
      (item) => ComplaintSchema.parse(stripKeys(item)),
    );
  }
}
