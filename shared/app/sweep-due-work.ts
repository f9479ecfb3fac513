import { countActions } from '../domain/sweep-run.js';
import type { WorkItem } from '../store/store.port.js';
import { WORK_SHARDS } from '../store/table.js';
import { AdaptiveLimit } from './adaptive-limit.js';
import { sweepComplaint } from './complaints.js';
import type { AppContext } from './context.js';
import { reconcileProject } from './executions.js';
import type { JobOptions, JobReport } from './job-report.js';
import { alertMissingYears } from './missing-years.js';
import { relay } from './relay.js';
import { sweepItem } from './sla-sweep.js';
import { SweepInbox } from './sweep-inbox.js';
import type { JobLease } from './sweep-lease.js';
import { inPool } from './sweep-pool.js';
import type { SweepRunLog } from './sweep-progress.js';
import { SweepSent } from './sweep-sent.js';
import { SweepStats } from './sweep-stats.js';

/** The scheduled job's due work, worked a bounded number at a time and stopping before its deadline. */

/** The default of `JobOptions.concurrency`. */
export const SWEEP_CONCURRENCY = 16;

const workKey = (work: WorkItem): string => {
  switch (work.kind) {
    case 'outbox':
      return `outbox#${work.projectId}#${work.outboxId}`;
    case 'renew':
      return `renew#${work.projectId}`;
    case 'sla':
      return `sla#${work.projectId}#${work.itemKey}`;
    case 'complaint':
      return `complaint#${work.complaintId}`;
  }
};

/** Runs one piece of work, recording its failure (logged, counted) instead of throwing. */
export async function attempt(
  ctx: AppContext,
  report: JobReport,
  what: string,
  fields: Record<string, unknown>,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    report.failures += 1;
    report.lastError = `${what}: ${String(error)}`.slice(0, 500);
    ctx.log.warn(`scheduled job: ${what} failed; the next run tries again`, {
      ...fields,
      error: String(error),
    });
  }
}

/**
 * The due work of the Work index, page after page, `concurrency` pieces at once. Returns false when the run
 * stopped before the end (deadline, lease lost), with `report.remaining` counted. The run's progress (`record.run`)
 * is counted as it goes and its record written now and then (`record.changed()`: not per item).
 */
export async function workDue(
  ctx: AppContext,
  options: JobOptions,
  now: Date,
  report: JobReport,
  record: SweepRunLog,
  lease: JobLease,
): Promise<boolean> {
  const progress = record.run;
  const until = now.toISOString();
  const perShard = options.perShard ?? 200;
  const concurrency = options.concurrency ?? SWEEP_CONCURRENCY;
  // one limit for the whole run: what it learned of the database on one page holds for the next
  const limit = options.pool === 'fixed' ? concurrency : new AdaptiveLimit({ max: concurrency });
  const { stopBy } = options;
  // a table written by an older version is brought to the current layout, a bounded pass a run (then it is free)
  await attempt(ctx, report, 'the data layout upgrade', {}, async () => {
    await ctx.store.upgradeLayout();
  });
  const readDue = () =>
    Promise.all(
      Array.from({ length: WORK_SHARDS }, (_, shard) =>
        ctx.store.listDueWork(shard, until, perShard).catch((error: unknown) => {
          report.failures += 1;
          ctx.log.warn(
            'scheduled job: a shard of the work index could not be read; the next run tries again',
            {
              shard,
              error: String(error),
            },
          );
          return [];
        }),
      ),
    );
  const mayStart = async () =>
    (stopBy === undefined || Date.now() < stopBy) && (options.lease === false || (await lease.holds()));
  // the monthly counters of the run's SLA items, written together (see SweepStats)
  const stats = new SweepStats(ctx, now);
  // and the inbox lines, written together and digested (see SweepInbox)
  const inbox = new SweepInbox(ctx);
  // and the outbox entries of its items once sent, deleted together (see SweepSent)
  const sent = new SweepSent(ctx);
  // the years without a published schedule the run's held deadlines wait on: the admins are told once, at the end
  const held = new Set<number>();
  const finish = async () => {
    ctx.metrics?.add('SignalsPending', signalsPending);
    await Promise.all([stats.flush(), inbox.flush(), sent.flush()]);
    await attempt(ctx, report, 'the missing-year alert', { years: [...held] }, () =>
      alertMissingYears(ctx, [...held], now),
    );
    progress.workedAt = new Date().toISOString();
  };
  // work that failed stays due: it is tried once a run, never again in the same run
  const tried = new Set<string>();
  let signalsPending = 0;
  for (;;) {
    const shards = await readDue();
    const fresh = shards.flat().filter((work) => !tried.has(workKey(work)));
    if (fresh.length === 0) break;
    for (const work of fresh) tried.add(workKey(work));
    progress.due += fresh.length;
    record.changed();
    // Outbox entries come due only once their grace period is over: each is a signal pending too long.
    signalsPending += fresh.filter((work) => work.kind === 'outbox').length;
    const { notStarted } = await inPool(
      fresh,
      limit,
      async (work) => {
        countActions(progress, await workOn(ctx, work, now, until, report, { stats, inbox, sent, held }));
        progress.done += 1;
        progress.failures = report.failures;
        if (report.lastError) progress.lastError = report.lastError;
        record.changed();
      },
      mayStart,
    );
    if (notStarted > 0) {
      // the rest is left to the next run: what is still due now, one page a shard (so: at least this many)
      const left = await readDue();
      report.remaining = left.flat().length;
      progress.remaining = report.remaining;
      await finish();
      return false;
    }
    // a page not full in every shard: nothing more was due when it was read
    if (shards.every((page) => page.length < perShard)) break;
  }
  await finish();
  return true;
}

/**
 * One piece of due work: its own transaction(s), idempotent (a second run at the same instant finds it done).
 * Returns the SLA actions it took (of a step's checkpoint: by kind; of a complaint's: counted only).
 */
async function workOn(
  ctx: AppContext,
  work: WorkItem,
  now: Date,
  until: string,
  report: JobReport,
  run: { stats: SweepStats; inbox: SweepInbox; sent: SweepSent; held: Set<number> },
): Promise<ReadonlyArray<{ kind: string }>> {
  let taken: ReadonlyArray<{ kind: string }> = [];
  if (work.kind === 'outbox') {
    await attempt(
      ctx,
      report,
      'an outbox entry',
      { projectId: work.projectId, outboxId: work.outboxId },
      async () => {
        const entry = await ctx.store.getOutbox(work.projectId, work.outboxId);
        if (!entry || entry.retryAt > until) return;
        await relay(ctx, entry);
        report.outbox += 1;
      },
    );
  } else if (work.kind === 'renew') {
    await attempt(ctx, report, 'a renewal', { projectId: work.projectId }, async () => {
      if ((await reconcileProject(ctx, work.projectId)) === 'renewed') report.renewals += 1;
    });
  } else if (work.kind === 'sla') {
    await attempt(
      ctx,
      report,
      'an SLA checkpoint',
      { projectId: work.projectId, item: work.itemKey },
      async () => {
        const swept = await sweepItem(ctx, work, now, run);
        report.sla += swept.actions.length;
        for (const year of swept.heldYears) run.held.add(year);
        taken = swept.actions;
      },
    );
  } else if (work.kind === 'complaint') {
    await attempt(ctx, report, 'a complaint checkpoint', { complaintId: work.complaintId }, async () => {
      const actions = await sweepComplaint(ctx, work.complaintId, now);
      report.sla += actions.length;
      taken = actions.map(() => ({ kind: 'complaint' }));
    });
  }
  return taken;
}
