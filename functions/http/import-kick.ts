import type { ImportJob } from '../../shared/domain/import-job.js';
import { IMPORT_JOB_QUEUED } from '../../shared/domain/import-job.js';
import type { ApiDeps } from './env.js';

/**
 * Sets a queued import job going: the local runtime starts its worker in the background at once; on AWS the job is
 * announced on the stage's bus (`import_job_queued`), whose rule invokes the job function. Should the event be
 * lost, the scheduled job takes the job at its next run. The API's `POST /imports` and the imports page alike.
 */
export async function kickImportJob(
  deps: Pick<ApiDeps, 'ctx' | 'importWorker'>,
  job: ImportJob,
): Promise<void> {
  if (job.status !== 'queued') return;
  if (deps.importWorker) {
    deps.importWorker(job.jobId);
    return;
  }
  const { ctx } = deps;
  await ctx.channels
    ?.publish({
      kind: IMPORT_JOB_QUEUED,
      title: `导入任务 ${job.fileName}`,
      message: `import job ${job.jobId}: ${job.total} rows`,
      at: job.createdAt,
    })
    .catch((error: unknown) =>
      ctx.log.warn('import job: could not raise its event; the scheduled job takes it', {
        jobId: job.jobId,
        error: String(error),
      }),
    );
}
