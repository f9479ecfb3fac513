import { InvalidInputError } from '../domain/errors.js';
import type { ProjectStatus } from '../domain/step-status.js';
import { WORK_SHARDS } from '../store/table.js';
import { sweepComplaint } from './complaints.js';
import type { AppContext } from './context.js';
import { type ReconcileOptions, reconcileProject } from './executions.js';
import { relay } from './relay.js';
import { sweepItem } from './sla-sweep.js';
import { ensureWeeklyReport } from './weekly-report.js';

/**
 * The scheduled job (EventBridge Scheduler on AWS, an interval locally: the same code). Each run:
 * 1. takes what has come due from the sparse Work index: outbox entries the relay did not clear, executions to
 *    renew, steps and efficiency complaints whose lights and deadlines move on; its cost grows with what is due;
 * 2. audits the next slice of in-flight projects (a cursor walks them all, run after run), so an execution that
 *    went missing, failed or got stuck is found even if no event said so.
 * One piece of work that fails is logged and left for the next run; it never stops the others.
 */
export type JobReport = {
  outbox: number;
  renewals: number;
  audited: number;
  reconciled: number;
  failures: number;
  /** SLA actions taken: lights, breaches, escalations, deemed approvals (of steps and of efficiency complaints) */
  sla: number;
  /** 1 when this run wrote the weekly report of the week that has just ended */
  weeklyReports?: number;
};

export async function runScheduledJob(
  ctx: AppContext,
  options: {
    now?: Date;
    perShard?: number;
    audit?: boolean;
    /** write the report of the week that has just ended if it is missing (the runtimes' schedule; not tests) */
    weeklyReport?: boolean;
  } = {},
): Promise<JobReport> {
  const started = performance.now();
  await ctx.settings.refresh(ctx.store).catch(() => undefined);
  const now = options.now ?? ctx.clock.now();
  const until = now.toISOString();
  const report: JobReport = { outbox: 0, renewals: 0, audited: 0, reconciled: 0, failures: 0, sla: 0 };
  const perShard = options.perShard ?? 200;
  const attempt = async (what: string, fields: Record<string, unknown>, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      report.failures += 1;
      ctx.log.warn(`scheduled job: ${what} failed; the next run tries again`, {
        ...fields,
        error: String(error),
      });
    }
  };
  // a table written by an older version is brought to the current layout, a bounded pass a run (then it is free)
  await attempt('the data layout upgrade', {}, async () => {
    await ctx.store.upgradeLayout();
  });
  const shards = await Promise.all(
    Array.from({ length: WORK_SHARDS }, (_, shard) =>
      ctx.store.listDueWork(shard, until, perShard).catch((error: unknown) => {
        report.failures += 1;
        ctx.log.warn('scheduled job: a shard of the work index could not be read; the next run tries again', {
          shard,
          error: String(error),
        });
        return [];
      }),
    ),
  );
  // Outbox entries come due only once their grace period is over: each is a signal pending too long.
  const pendingSignals = shards.flat().filter((work) => work.kind === 'outbox').length;
  for (const work of shards.flat()) {
    if (work.kind === 'outbox') {
      await attempt('an outbox entry', { projectId: work.projectId, outboxId: work.outboxId }, async () => {
        const entry = await ctx.store.getOutbox(work.projectId, work.outboxId);
        if (!entry || entry.retryAt > until) return;
        await relay(ctx, entry);
        report.outbox += 1;
      });
    } else if (work.kind === 'renew') {
      await attempt('a renewal', { projectId: work.projectId }, async () => {
        if ((await reconcileProject(ctx, work.projectId)) === 'renewed') report.renewals += 1;
      });
    } else if (work.kind === 'sla') {
      await attempt('an SLA checkpoint', { projectId: work.projectId, item: work.itemKey }, async () => {
        const actions = await sweepItem(ctx, work, now);
        report.sla = (report.sla ?? 0) + actions.length;
      });
    } else if (work.kind === 'complaint') {
      await attempt('a complaint checkpoint', { complaintId: work.complaintId }, async () => {
        const actions = await sweepComplaint(ctx, work.complaintId, now);
        report.sla = (report.sla ?? 0) + actions.length;
      });
    }
  }
  if (options.audit !== false) await attempt('the audit', {}, () => auditSlice(ctx, report));
  if (options.weeklyReport) {
    await attempt('the weekly report', {}, async () => {
      if (await ensureWeeklyReport(ctx, now)) report.weeklyReports = 1;
    });
  }
  ctx.metrics?.add('SignalsPending', pendingSignals);
  ctx.metrics?.add('SweepFailures', report.failures);
  ctx.metrics?.add('SweepDuration', performance.now() - started);
  return report;
}

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
