import type { Chain } from '../domain/chain.js';
import {
  IMPORT_LEASE_MS,
  type ImportJob,
  isClaimable,
  isFinished,
  MAX_CHUNK_ATTEMPTS,
  rowsWithProblems,
  withProblems,
} from '../domain/import-job.js';
import type { ImportedProject } from '../domain/project-import.js';
import type { AppContext } from './context.js';
import { unfinishedImportJobs } from './import-jobs.js';
import { importPlanned } from './project-import.js';

/**
 * The import worker: the same code in the local runtime (started in the background as a job is posted, and by the
 * scheduled job for a job left unfinished) and on AWS (the job function, invoked by the event a posted job raises
 * and every minute by the schedule). A run:
 * 1. claims the job: a write conditional on the revision it read, taken only when no other worker's lease runs,
 *    so two workers never import the same chunk;
 * 2. imports chunk after chunk (each row one transaction, as the synchronous import does: a row imported before,
 *    by an earlier try of this job or another import, changes nothing), and records the progress after each chunk
 *    (conditional again: a worker that lost its lease stops);
 * 3. stops before `stopBy` (after its first chunk it starts none it has no time for, judged by the longest one so
 *    far), releasing the lease: the next run goes on from the next chunk.
 * A chunk that fails (throttling, an unreachable table) is tried again after a pause, `MAX_CHUNK_ATTEMPTS` times
 * at most; then the job is marked failed. Each row written is a whole project (one transaction), never half of one.
 */

export type ImportRunOptions = {
  /** the worker's name in the lease (default: a new id) */
  workerId?: string;
  /** epoch ms (real time): no chunk starts that would not end by then */
  stopBy?: number;
  /** asked before each chunk: true stops the run there (the runtime shutting down) */
  stopping?: () => boolean;
  /** pause before trying a failed chunk again (default 500 ms, doubling) */
  retryDelayMs?: number;
};

export type ImportRunOutcome = 'finished' | 'stopped' | 'busy' | 'failed' | 'lost';
export type ImportRunResult = { jobId: string; outcome: ImportRunOutcome; chunks: number };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runImportJob(
  ctx: AppContext,
  jobId: string,
  options: ImportRunOptions = {},
): Promise<ImportRunResult> {
  const owner = options.workerId ?? ctx.newId();
  const result = (outcome: ImportRunOutcome, chunks = 0): ImportRunResult => ({ jobId, outcome, chunks });
  const read = await ctx.store.getImportJob(jobId);
  if (!read) return result('lost');
  if (isFinished(read)) return result('finished');
  if (!isClaimable(read, Date.now(), owner)) return result('busy');
  let job = read;
  // a try before this run began the next chunk and did not end (its function killed): rows of it may be written
  let resumed = read.begun > read.nextChunk;
  /** writes the job's next state on condition of the revision held; false: another worker took it over */
  const save = async (next: ImportJob): Promise<boolean> => {
    if (!(await ctx.store.putImportJob(next, job.revision))) return false;
    job = { ...next, revision: job.revision + 1 };
    return true;
  };
  const lease = () => ({ owner, until: Date.now() + IMPORT_LEASE_MS });
  const claimed = await save({
    ...job,
    status: 'running',
    startedAt: job.startedAt ?? ctx.clock.now().toISOString(),
    runs: job.runs + 1,
    begun: job.nextChunk + 1,
    lease: lease(),
  });
  if (!claimed) return result('busy');

  const chain = await ctx.store.getChain(job.chainId, job.chainVersion);
  if (!chain) {
    await save(finished(ctx, job, 'failed', `chain ${job.chain} is gone`));
    return result('failed');
  }
  let chunks = 0;
  let longestMs = 0;
  while (job.nextChunk < job.chunks) {
    // a run imports one chunk at least (a run began within its budget), then none it has no time for
    const late = chunks > 0 && options.stopBy !== undefined && Date.now() + longestMs > options.stopBy;
    if (late || options.stopping?.()) {
      const { lease: _released, ...rest } = job;
      await save({ ...rest, begun: job.nextChunk });
      ctx.log.info('import job: stopped before the deadline; the next run goes on', {
        jobId,
        nextChunk: job.nextChunk,
        chunks: job.chunks,
      });
      return result('stopped', chunks);
    }
    const started = Date.now();
    let next: ImportJob;
    try {
      // rows found imported count as skipped, unless an earlier try of this chunk may have written them
      next = await importChunk(ctx, job, chain, resumed || job.attempts > 0);
      resumed = false;
    } catch (error) {
      const attempts = job.attempts + 1;
      const lastError = String(error);
      ctx.log.warn('import job: a chunk failed', { jobId, chunk: job.nextChunk, attempts, error: lastError });
      if (attempts >= MAX_CHUNK_ATTEMPTS) {
        await save(finished(ctx, { ...job, attempts, lastError }, 'failed', lastError));
        return result('failed', chunks);
      }
      if (!(await save({ ...job, attempts, retried: job.retried + 1, lastError, lease: lease() })))
        return result('lost', chunks);
      await sleep((options.retryDelayMs ?? 500) * 2 ** (attempts - 1));
      continue;
    }
    const done = next.nextChunk >= next.chunks;
    const going = { ...next, begun: next.nextChunk + 1, lease: lease() };
    if (!(await save(done ? finished(ctx, next, 'done') : going))) {
      return result('lost', chunks);
    }
    chunks += 1;
    longestMs = Math.max(longestMs, Date.now() - started);
  }
  return result('finished', chunks);
}

/** Imports the job's next chunk; the job as it is after it (not yet saved). */
async function importChunk(
  ctx: AppContext,
  job: ImportJob,
  chain: Chain,
  triedBefore: boolean,
): Promise<ImportJob> {
  const rows = (await ctx.store.getImportChunk(job.jobId, job.nextChunk)) as ImportedProject[] | undefined;
  if (!rows) throw new Error(`chunk ${job.nextChunk} of import job ${job.jobId} is missing`);
  const { problems, results } = await importPlanned(
    ctx,
    job.by,
    chain,
    { projects: rows, columns: job.columns, problems: [] },
    {
      fileName: job.fileName,
      holdUntil: job.holdUntil,
      dryRun: false,
      ...(triedBefore ? { importedSince: job.createdAt } : {}),
    },
  );
  const imported = results.filter((r) => r.outcome === 'imported').length;
  const skipped = results.filter((r) => r.outcome === 'already_imported').length;
  const { lastError: _cleared, ...rest } = job;
  return {
    ...withProblems(rest, problems),
    nextChunk: job.nextChunk + 1,
    done: job.done + rows.length,
    imported: job.imported + imported,
    skipped: job.skipped + skipped,
    failed: job.failed + rowsWithProblems(problems).size,
    attempts: 0,
  };
}

function finished(ctx: AppContext, job: ImportJob, status: 'done' | 'failed', lastError?: string): ImportJob {
  const { lease: _released, ...rest } = job;
  return {
    ...rest,
    status,
    finishedAt: ctx.clock.now().toISOString(),
    ...(lastError ? { lastError } : {}),
  };
}

/**
 * Every unfinished import job a worker may take, one after another, until `stopBy`: what the scheduled job runs
 * (a job whose worker stopped before its deadline, died or was throttled goes on here).
 */
export async function runImportJobs(
  ctx: AppContext,
  options: ImportRunOptions = {},
): Promise<ImportRunResult[]> {
  const results: ImportRunResult[] = [];
  for (const job of await unfinishedImportJobs(ctx)) {
    if ((options.stopBy !== undefined && Date.now() >= options.stopBy) || options.stopping?.()) break;
    if (!isClaimable(job, Date.now(), options.workerId ?? '')) continue;
    results.push(await runImportJob(ctx, job.jobId, options));
  }
  return results;
}

/**
 * The local runtime's workers: one in the background per job posted, at once (`start`), each running its job to
 * the end; `stop` lets each finish the chunk in hand and waits for them (the job goes on at the next start).
 */
export class BackgroundImports {
  readonly #running = new Map<string, Promise<void>>();
  #stopping = false;

  constructor(private readonly ctx: AppContext) {}

  start(jobId: string): void {
    if (this.#stopping || this.#running.has(jobId)) return;
    const run = runImportJob(this.ctx, jobId, { stopping: () => this.#stopping })
      .then((result) => this.ctx.log.info('import job run ended', { ...result }))
      .catch((error: unknown) =>
        this.ctx.log.warn('import job: the run failed; the scheduled job goes on with it', {
          jobId,
          error: String(error),
        }),
      )
      .finally(() => this.#running.delete(jobId));
    this.#running.set(jobId, run);
  }

  /** Waits for the runs in hand (tests, the benchmark). */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running.values()]);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await this.settled();
  }
}
