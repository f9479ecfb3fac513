import type { Batch } from '../../domain/batch.js';
import type { Page, PageRequest } from '../page.js';

export type BatchOp =
  /** a batch of originals carried up as it now is, conditional on the version read (null: a new batch) */
  { op: 'put_batch'; batch: Batch; expectedVersion: number | null };

/** Batches of originals carried up to a department (上下协同). Adapter: `BatchDynamo`. */
export interface BatchStore {
  getBatch(batchId: string): Promise<Batch | undefined>;
  /** Newest first; with `agentId` or `departmentId`, that agent's batches or those going to that department. */
  listBatches(filter: { agentId?: string; departmentId?: string }, page: PageRequest): Promise<Page<Batch>>;
}
