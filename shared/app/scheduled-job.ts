import { InvalidInputError } from '../domain/errors.js';
import type { ProjectStatus } from '../domain/step-status.js';
import type { AppContext } from './context.js';
import { type ReconcileOptions, reconcileProject } from './executions.js';
import { runImportJobs } from './import-worker.js';
import type { JobOptions, JobProgress, JobReport } from './job-report.js';
import { attempt, workDue } from './sweep-due-work.js';
import { JobLease } from './sweep-lease.js';
import { newProgress, tick } from './sweep-progress.js';
import { ensureWeeklyReport } from './weekly-report.js';

/**
 * The scheduled job (EventBridge Scheduler on AWS, an interval locally: the same code). Each run:
 * 1. takes what has come due from the sparse Work index: outbox entries the relay did not clear, executions to
 *    renew, steps and efficiency complaints whose lights and deadlines move on; its cost grows with what is due.
 *    The due work is worked `concurrency` pieces at a time (each its own transaction, idempotent), page after page
 *    until nothing due is left, or until `stopBy` (AWS: the function's remaining time less a margin): then no new
 *    piece starts, those in hand finish, and the rest is left to the next run, counted in `remaining`;
 * 2. audits the next slice of in-flight projects (a cursor walks them all, run after run), so an execution that
 *    went missing, failed or got stuck is found even if no event said so.
 * One piece of work that fails is logged and left for the next run; it never stops the others. A run holds the
 * job's lease (`JobLease`): a second run meanwhile does nothing and says so (`skipped`).
 */
export type { JobOptions, JobReport } from './job-report.js';
export { SWEEP_CONCURRENCY } from './sweep-due-work.js';

export async function runScheduledJob(ctx: AppContext, options: JobOptions = {}): Promise<JobReport> {
  const started = performance.now();
  await ctx.settings.refresh(ctx.store).catch(() => undefined);
  const now = options.now ?? ctx.clock.now();
  const progress = options.progress ?? newProgress(ctx.newId(), now);
  progress.at = now.toISOString();
  const report: JobReport = {
    outbox: 0,
    renewals: 0,
    audited: 0,
    reconciled: 0,
    failures: 0,
    sla: 0,
    remaining: 0,
  };
  const lease = new JobLease(ctx.store, progress.runId, options.stopBy ?? 0);
  if (options.lease !== false && !(await lease.acquire())) {
    ctx.log.info('scheduled job: another run holds the lease; this one does nothing');
    const skipped: JobReport = { ...report, skipped: true };
    Object.assign(progress, {
      note: 'another run holds the lease',
      finishedAt: new Date().toISOString(),
      report: skipped,
      state: 'skipped',
    });
    return skipped;
  }
  let state: JobProgress['state'] = 'failed';
  try {
    const finished = await workDue(ctx, options, now, report, progress, lease);
    if (options.audit !== false && finished)
      await attempt(ctx, report, 'the audit', {}, () => auditSlice(ctx, report));
    // import jobs left unfinished (a worker stopped before its deadline, died or was throttled) go on
    if (options.imports !== false && finished) {
      await attempt(ctx, report, 'the import jobs', {}, async () => {
        await runImportJobs(ctx, { stopBy: options.stopBy ?? Date.now() + IMPORT_SHARE_MS });
      });
    }
    if (options.weeklyReport) {
      await attempt(ctx, report, 'the weekly report', {}, async () => {
        if (await ensureWeeklyReport(ctx, now)) report.weeklyReports = 1;
      });
    }
    state = finished ? 'done' : 'stopped';
    if (!finished)
      progress.note = `stopped before its deadline; ${report.remaining} or more left to the next run`;
  } catch (error) {
    progress.note = String(error);
    throw error;
  } finally {
    if (options.lease !== false) await lease.release().catch(() => undefined);
    progress.failures = report.failures;
    progress.remaining = report.remaining;
    progress.finishedAt = new Date().toISOString();
    tick(progress);
    // the report before the state: a reader that sees the run ended finds its report
    if (state !== 'failed') progress.report = report;
    progress.state = state;
  }
  ctx.metrics?.add('SweepFailures', report.failures);
  ctx.metrics?.add('SweepDuration', performance.now() - started);
  return report;
}

/** A run without a deadline (the local runtime's) works on import jobs for this long at most. */
const IMPORT_SHARE_MS = 20_000;

const AUDIT_CURSOR = 'job-audit-cursor';
const AUDITED: ProjectStatus[] = ['active', 'returned'];

/** Reconciles the next `auditBatch` in-flight projects, remembering where it stopped. */
async function auditSlice(ctx: AppContext, report: JobReport): Promise<void> {
  const saved = (await ctx.store.getSetting(AUDIT_CURSOR))?.value;
  const index = typeof saved?.status === 'number' ? saved.status % AUDITED.length : 0;
  const status = AUDITED[index] ?? 'active';
  const cursor = typeof saved?.cursor === 'string' ? saved.cursor : undefined;
  const read = (from: string | undefined) =>
    ctx.store.listProjects({ status }, { limit: ctx.spine.auditBatch, ...(from ? { cursor: from } : {}) });
  // a cursor saved under a key since replaced (a new session secret) or an older cursor format: start the walk over
  const page = await read(cursor).catch((error: unknown) => {
    if (cursor && error instanceof InvalidInputError) return read(undefined);
    throw error;
  });
  for (const project of page.items) {
    report.audited += 1;
    try {
      if ((await reconcileProject(ctx, project.projectId)) !== 'ok') report.reconciled += 1;
    } catch (error) {
      report.failures += 1;
      ctx.log.warn('audit: could not reconcile a project', {
        projectId: project.projectId,
        error: String(error),
      });
    }
  }
  await ctx.store.putSetting(
    AUDIT_CURSOR,
    page.cursor ? { status: index, cursor: page.cursor } : { status: (index + 1) % AUDITED.length },
  );
}

export type ReconcileAllResult = {
  projects: number;
  /** started, parked or renewed */
  resumed: number;
  /** of those, started now (they replay at once) */
  started: number;
  /** parked: they were waiting quietly and resume at their first signal */
  parked: number;
  /** given a new generation (missing execution ended, failed, grown old or stuck) */
  renewed: number;
  failures: number;
};

/**
 * Every in-flight project, reconciled a few at a time: what the local runtime does after a start (its executions
 * lived in the process that stopped). Returns how many were started, parked or renewed.
 */
export async function reconcileAll(
  ctx: AppContext,
  options: ReconcileOptions & {
    concurrency?: number;
    onProgress?: (done: number) => void;
    /** awaited before each project: lets the caller hold the pass back while the executions it started catch up */
    pace?: () => Promise<void>;
  } = {},
): Promise<ReconcileAllResult> {
  const concurrency = options.concurrency ?? 16;
  const result: ReconcileAllResult = {
    projects: 0,
    resumed: 0,
    started: 0,
    parked: 0,
    renewed: 0,
    failures: 0,
  };
  const reconcile = options.park ? { park: options.park } : {};
  for (const status of AUDITED) {
    let cursor: string | undefined;
    do {
      const page = await ctx.store.listProjects({ status }, { limit: 200, ...(cursor ? { cursor } : {}) });
      cursor = page.cursor;
      const queue = [...page.items];
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let project = queue.shift(); project; project = queue.shift()) {
            await options.pace?.();
            result.projects += 1;
            try {
              const outcome = await reconcileProject(ctx, project.projectId, reconcile);
              if (outcome !== 'ok') result.resumed += 1;
              if (outcome === 'started' || outcome === 'parked' || outcome === 'renewed')
                result[outcome] += 1;
            } catch (error) {
              result.failures += 1;
              ctx.log.warn('could not resume a project; the scheduled job tries again', {
                projectId: project.projectId,
                error: String(error),
              });
            }
            options.onProgress?.(result.projects);
          }
        }),
      );
    } while (cursor);
  }
  return result;
}
