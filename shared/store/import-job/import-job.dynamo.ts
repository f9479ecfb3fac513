import { gunzipSync, gzipSync } from 'node:zlib';
import { type ImportJob, ImportJobSchema } from '../../domain/import-job.js';
import { stripKeys } from '../dynamo-codec.js';
import type { DynamoTable } from '../dynamo-table.js';
import { keys } from '../keys.js';
import type { Page, PageRequest } from '../page.js';
import type { ImportJobStore } from './import-job.port.js';

/** DynamoDB's item limit less room for the keys and attributes around a chunk's rows. */
const MAX_CHUNK_BYTES = 350_000;

/** Chunks are kept this long (the job's record stays): long enough to re-run a job that failed. */
const CHUNK_RETENTION_DAYS = 30;

/**
 * DynamoDB adapter of {@link ImportJobStore}: the jobs in one partition (`IMPORTJOBS`, sorted by their
 * time-ordered ids: imports are rare), each job's chunks in its own (`IMPORTJOB#<id>`), a chunk's rows as gzip'd
 * JSON in base64 (a table snapshot carries it as text).
 */
export class ImportJobDynamo implements ImportJobStore {
  constructor(private readonly table: DynamoTable) {}

  async putImportJob(job: ImportJob, expectedRevision: number | null): Promise<boolean> {
    return this.table.putRevision(
      { ...keys.importJob(job.jobId), ...ImportJobSchema.parse(job) },
      expectedRevision,
    );
  }

  async getImportJob(jobId: string): Promise<ImportJob | undefined> {
    const item = await this.table.get(keys.importJob(jobId));
    return item ? ImportJobSchema.parse(stripKeys(item)) : undefined;
  }

  listImportJobs(page: PageRequest): Promise<Page<ImportJob>> {
    return this.table.queryPage(
      {
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.importJob('').PK },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      page,
      (item) => ImportJobSchema.parse(stripKeys(item)),
    );
  }

  async putImportChunk(jobId: string, index: number, rows: unknown[]): Promise<void> {
    const data = gzipSync(JSON.stringify(rows)).toString('base64');
    if (data.length > MAX_CHUNK_BYTES) {
      throw new Error(`a chunk of ${rows.length} rows takes ${data.length} bytes, over ${MAX_CHUNK_BYTES}`);
    }
    const expiresAt = Math.floor(Date.now() / 1000) + CHUNK_RETENTION_DAYS * 86_400;
    await this.table.put({ ...keys.importChunk(jobId, index), rows: rows.length, data, expiresAt });
  }

  async getImportChunk(jobId: string, index: number): Promise<unknown[] | undefined> {
    const item = await this.table.get(keys.importChunk(jobId, index));
    if (!item || typeof item.data !== 'string') return undefined;
    return JSON.parse(gunzipSync(Buffer.from(item.data, 'base64')).toString('utf8')) as unknown[];
  }
}
