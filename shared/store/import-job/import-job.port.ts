import type { ImportJob } from '../../domain/import-job.js';
import type { Page, PageRequest } from '../page.js';

/**
 * Import jobs (导入任务) and the chunks of planned rows they import. Every write of a job is conditional on the
 * revision read, so two workers never both think they hold it. Adapter: `ImportJobDynamo`.
 */
export interface ImportJobStore {
  /**
   * Writes the job as revision `expectedRevision + 1` if the stored one is `expectedRevision` (null: only if there
   * is none); false when it was not (another writer came first).
   */
  putImportJob(job: ImportJob, expectedRevision: number | null): Promise<boolean>;
  getImportJob(jobId: string): Promise<ImportJob | undefined>;
  /** Newest first. */
  listImportJobs(page: PageRequest): Promise<Page<ImportJob>>;
  /** Stores one chunk of a job's planned rows (compressed; each chunk one item below DynamoDB's 400 KB). */
  putImportChunk(jobId: string, index: number, rows: unknown[]): Promise<void>;
  getImportChunk(jobId: string, index: number): Promise<unknown[] | undefined>;
}
