import { z } from 'zod';
import { PrincipalSchema } from './principal.js';
import type { ImportProblem } from './project-import-types.js';

/**
 * An import job (导入任务): a file of projects in flight imported in the background, chunk after chunk, so that a
 * file of hundreds of rows is not bound to one HTTP request (API Gateway gives up after 29 s). The job record says
 * who posted which file, how far the work is and what went wrong; the planned rows wait in chunks beside it. A
 * worker holds the job's lease while it works (one worker per job at a time), records the progress after each
 * chunk, and may stop before its deadline: the next run goes on from the next chunk.
 */

export const IMPORT_JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportJobStatus = (typeof IMPORT_JOB_STATUSES)[number];

/** The event that tells the worker on AWS a job is queued (the bus's rule invokes the job function). */
export const IMPORT_JOB_QUEUED = 'import_job_queued';

/** Rows in a stored chunk: 100 planned projects are some 30 KB compressed, far below DynamoDB's 400 KB item. */
export const IMPORT_CHUNK_ROWS = 100;

/** The problems a job keeps (the item stays far below 400 KB); more are counted in `problemsOmitted`. */
export const MAX_KEPT_PROBLEMS = 300;

/** Times a chunk is tried before its job is given up as failed (a throttled chunk is tried again meanwhile). */
export const MAX_CHUNK_ATTEMPTS = 5;

/** A worker's lease on a job not renewed for this long is free for another worker (one that died). */
export const IMPORT_LEASE_MS = 5 * 60_000;

export const ImportProblemSchema = z.object({
  row: z.number().int(),
  column: z.string().optional(),
  cell: z.string().optional(),
  code: z.string(),
  message: z.string(),
  messageEn: z.string(),
});

export const ImportJobSchema = z.object({
  jobId: z.string().min(1),
  by: PrincipalSchema,
  fileName: z.string(),
  /** the chain version the rows were planned on (`industrial-enterprise@3`) */
  chain: z.string(),
  chainId: z.string(),
  chainVersion: z.number().int(),
  /** the column of each key the file's header names (to name the cell of a problem found while importing) */
  columns: z.record(z.string(), z.number().int()),
  /** the first instant the SLA sweep looks at the imported open steps */
  holdUntil: z.string(),
  /** rows with data in the file */
  total: z.number().int().min(0),
  /** stored chunks of planned rows; `nextChunk` is the first not yet imported */
  chunks: z.number().int().min(0),
  nextChunk: z.number().int().min(0),
  /** chunks a try has begun: above `nextChunk`, the next chunk may be partly written by a try that did not end */
  begun: z.number().int().min(0),
  /** rows handled: imported, skipped (imported before) or failed (with a problem) */
  done: z.number().int().min(0),
  imported: z.number().int().min(0),
  skipped: z.number().int().min(0),
  failed: z.number().int().min(0),
  problems: z.array(ImportProblemSchema),
  problemsOmitted: z.number().int().min(0),
  status: z.enum(IMPORT_JOB_STATUSES),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** runs of a worker that worked on it (a run stops before its deadline; the next goes on) */
  runs: z.number().int().min(0),
  /** failed tries of the next chunk so far (throttling, an unreachable table): it is tried again */
  attempts: z.number().int().min(0),
  /** chunk tries that failed and were tried again, over the job's life */
  retried: z.number().int().min(0),
  lastError: z.string().optional(),
  /** the worker holding the job, until when (epoch ms, real time) */
  lease: z.object({ owner: z.string(), until: z.number() }).optional(),
  /** the stored revision: every write is conditional on it */
  revision: z.number().int().min(0),
});
export type ImportJob = z.infer<typeof ImportJobSchema>;

export const isFinished = (job: Pick<ImportJob, 'status'>): boolean =>
  job.status === 'done' || job.status === 'failed';

/** Whether a worker may take the job now: unfinished, and no other worker's lease runs. */
export const isClaimable = (job: ImportJob, nowMs: number, owner: string): boolean =>
  !isFinished(job) && (!job.lease || job.lease.owner === owner || job.lease.until <= nowMs);

/** The rows a list of problems is about (row 1, the header, is the file's, not a row's). */
export const rowsWithProblems = (problems: readonly ImportProblem[]): Set<number> =>
  new Set(problems.filter((p) => p.row > 1).map((p) => p.row));

/** The job with more problems recorded (the first `MAX_KEPT_PROBLEMS` kept, the rest counted). */
export function withProblems(job: ImportJob, problems: readonly ImportProblem[]): ImportJob {
  const room = Math.max(0, MAX_KEPT_PROBLEMS - job.problems.length);
  const kept = [...job.problems, ...problems.slice(0, room)].sort((a, b) => a.row - b.row);
  return {
    ...job,
    problems: kept,
    problemsOmitted: job.problemsOmitted + Math.max(0, problems.length - room),
  };
}

/** Splits planned rows into chunks of `size`. */
export function chunked<T>(rows: readonly T[], size = IMPORT_CHUNK_ROWS): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
