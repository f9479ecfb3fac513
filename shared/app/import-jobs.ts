import { assertAllowed } from '../domain/access-policy.js';
import { chainKey } from '../domain/chain.js';
import { NotFoundError } from '../domain/errors.js';
import { chunked, type ImportJob, isFinished, rowsWithProblems, withProblems } from '../domain/import-job.js';
import { type Principal, PrincipalSchema } from '../domain/principal.js';
import { planImport } from '../domain/project-import.js';
import { chinaDate } from '../domain/working-days.js';
import type { Page } from '../store/page.js';
import { assertChainDeployed } from './chain-deployed.js';
import type { AppContext } from './context.js';
import { chainOf, type ImportRequest, importHoldUntil, rowsOf } from './project-import.js';

/**
 * Import jobs (导入任务): `startImportJob` reads and plans the whole file at once (the rules of
 * shared/domain/project-import.ts: no table read, so even a file of thousands of rows takes a moment), records the
 * rows the plan refuses as the job's problems, stores the planned rows in chunks and then the job, queued. The
 * worker (import-worker.ts) imports the chunks in the background; `GET /imports/{jobId}` shows how far it is.
 */

export async function startImportJob(
  ctx: AppContext,
  principal: Principal,
  request: ImportRequest,
  options: { chunkRows?: number } = {},
): Promise<ImportJob> {
  assertAllowed(principal, 'admin.operate');
  const chain = await chainOf(ctx, request);
  await assertChainDeployed(ctx, chain);
  const holdUntil = importHoldUntil(ctx, request.graceDays);
  const now = ctx.clock.now().toISOString();
  const plan = planImport(chain, rowsOf(request), chinaDate(ctx.clock.now()));
  const chunks = chunked(plan.projects, options.chunkRows);
  const jobId = ctx.newId();
  // the chunks before the job: a worker that finds the job finds every chunk of it
  for (const [index, rows] of chunks.entries()) await ctx.store.putImportChunk(jobId, index, rows);
  const refused = rowsWithProblems(plan.problems).size;
  const job = withProblems(
    {
      jobId,
      by: PrincipalSchema.parse(principal),
      fileName: request.fileName,
      chain: chainKey(chain),
      chainId: chain.id,
      chainVersion: chain.version,
      columns: plan.columns,
      holdUntil,
      total: plan.rows,
      chunks: chunks.length,
      nextChunk: 0,
      begun: 0,
      done: refused,
      imported: 0,
      skipped: 0,
      failed: refused,
      problems: [],
      problemsOmitted: 0,
      status: chunks.length === 0 ? 'done' : 'queued',
      createdAt: now,
      ...(chunks.length === 0 ? { startedAt: now, finishedAt: now } : {}),
      runs: 0,
      attempts: 0,
      retried: 0,
      revision: 0,
    },
    plan.problems,
  );
  await ctx.store.putImportJob(job, null);
  ctx.log.info('import job queued', { jobId, fileName: job.fileName, rows: job.total, chunks: job.chunks });
  return { ...job, revision: 1 };
}

/** One import job, for admins. */
export async function readImportJob(
  ctx: AppContext,
  principal: Principal,
  jobId: string,
): Promise<ImportJob> {
  assertAllowed(principal, 'admin.operate');
  const job = await ctx.store.getImportJob(jobId);
  if (!job) throw new NotFoundError('IMPORT.JOB_NOT_FOUND', `no import job ${jobId} (没有该导入任务)`);
  return job;
}

/** The latest import jobs, newest first, for admins. */
export async function listImportJobs(
  ctx: AppContext,
  principal: Principal,
  page: { limit: number; cursor?: string } = { limit: 20 },
): Promise<Page<ImportJob>> {
  assertAllowed(principal, 'admin.operate');
  return ctx.store.listImportJobs(page);
}

/** The jobs a worker should look at: the unfinished among the latest (a job waits at most for the next run). */
export async function unfinishedImportJobs(ctx: AppContext): Promise<ImportJob[]> {
  const page = await ctx.store.listImportJobs({ limit: 50 });
  return page.items.filter((job) => !isFinished(job)).reverse();
}
