import { InvalidInputError } from '../domain/errors.js';
import type { ProjectStatus } from '../domain/step-status.js';
import type { AppContext } from './context.js';
import { type ReconcileOptions, reconcileProject } from './executions.js';
import { runImportJobs } from './import-worker.js';
import type { JobOptions, JobProgress, JobReport } from './job-report.js';
import { attempt, workDue } from './sweep-due-work.js';
import { JobLease } from './sweep-lease.js';
import { newProgress, SweepRunLog, tick } from './sweep-progress.js';
import { continuing } from './sweep-requests.js';
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
  const report: JobReport = {
    outbox: 0,
    renewals: 0,
    audited: 0,
    reconciled: 0,
    failures: 0,
    sla: 0,
    remaining: 0,
  };
  const opened = await openRun(ctx, options, now);
  if (!opened) {
    ctx.log.info('scheduled job: the run asked for was taken already (or is gone); this one does nothing');
    return { ...report, skipped: true };
  }
  const record = opened;
  const progress = record.run;
  const lease = new JobLease(ctx.store, progress.runId, options.stopBy ?? 0);
  if (options.lease !== false && !(await acquire(lease, options))) {
    ctx.log.info('scheduled job: another run holds the lease; this one does nothing');
    const skipped: JobReport = { ...report, skipped: true };
    Object.assign(progress, {
      note: 'another run holds the lease',
      finishedAt: new Date().toISOString(),
      report: skipped,
      state: 'skipped',
    });
    // a run an admin asked for (or joined) says it was skipped; the schedule's are not recorded
    if (progress.trigger !== 'schedule' || record.written) await record.write();
    return skipped;
  }
  // a run an admin asked for is recorded at once; the schedule's once it finds something due
  if (progress.trigger !== 'schedule') await record.write();
  let state: JobProgress['state'] = 'failed';
  try {
    const finished = await workDue(ctx, options, now, report, record, lease);
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
        const stopBy = options.stopBy ?? Date.now() + WEEKLY_REPORT_SHARE_MS;
        if (await ensureWeeklyReport(ctx, now, { stopBy })) report.weeklyReports = 1;
      });
    }
    state = finished ? 'done' : 'stopped';
    if (!finished)
      progress.note = `stopped before its deadline; ${report.remaining} or more left to the next run, which continues`;
  } catch (error) {
    progress.note = String(error);
    progress.lastError = String(error).slice(0, 500);
    throw error;
  } finally {
    if (options.lease !== false) await lease.release().catch(() => undefined);
    progress.failures = report.failures;
    progress.remaining = report.remaining;
    if (report.lastError) progress.lastError = report.lastError;
    progress.finishedAt = new Date().toISOString();
    tick(progress);
    // the report before the state: a reader that sees the run ended finds its report
    if (state !== 'failed') progress.report = report;
    progress.state = state;
    await record.finish();
  }
  ctx.metrics?.add('SweepFailures', report.failures);
  ctx.metrics?.add('SweepDuration', performance.now() - started);
  return report;
}

/**
 * Takes the job's lease; a run an admin asked for on AWS (`claim`) tries again for a few seconds, since the
 * schedule's run of the minute may hold it for a moment (one with a storm to drain holds it longer: then skipped).
 */
async function acquire(lease: JobLease, options: JobOptions): Promise<boolean> {
  for (let attempt = 1; ; attempt += 1) {
    if (await lease.acquire()) return true;
    const late = options.stopBy !== undefined && Date.now() + 1000 > options.stopBy;
    if (!options.claim || attempt >= 10 || late) return false;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The record of a run's progress (`lazy` for the schedule's: written once it finds something due). */
export function runRecord(ctx: AppContext, run: JobProgress): SweepRunLog {
  return new SweepRunLog(ctx.store, run, ctx.log, {
    lazy: run.trigger === 'schedule',
    beforeFirstWrite: (first) => continuing(ctx, first),
  });
}

/**
 * The run's progress and its record: the record or progress handed in (the local runtime's runs), the queued run
 * claimed (AWS: one an admin asked for; undefined when another invocation claimed it already), or a new one.
 */
async function openRun(ctx: AppContext, options: JobOptions, now: Date): Promise<SweepRunLog | undefined> {
  if (options.claim) {
    const queued = await ctx.store.getSweepRun(options.claim);
    if (queued?.state !== 'queued') return undefined;
    const startedAt = new Date().toISOString();
    const run: JobProgress = {
      ...queued,
      state: 'running',
      startedAt,
      updatedAt: startedAt,
      at: now.toISOString(),
    };
    await continuing(ctx, run);
    if (!(await ctx.store.claimSweepRun(run))) return undefined;
    return new SweepRunLog(ctx.store, run, ctx.log);
  }
  const asked = {
    ...(options.trigger ? { trigger: options.trigger } : {}),
    ...(options.by ? { by: options.by } : {}),
  };
  const record = options.record ?? runRecord(ctx, options.progress ?? newProgress(ctx.newId(), now, asked));
  record.run.at = now.toISOString();
  return record;
}
/** A run without a deadline (the local runtime's) works on import jobs for this long at most. */
const IMPORT_SHARE_MS = 20_000;
/** Without a deadline (the local runtime), how long a run gives the weekly report before leaving it to the next. */
const WEEKLY_REPORT_SHARE_MS = 20_000;

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
