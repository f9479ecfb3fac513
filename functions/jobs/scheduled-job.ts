import { z } from 'zod';
import type { AppContext } from '../../shared/app/context.js';
import { reconcileProject } from '../../shared/app/executions.js';
import { runImportJobs } from '../../shared/app/import-worker.js';
import { runScheduledJob } from '../../shared/app/scheduled-job.js';
import { SWEEP_REQUESTED } from '../../shared/app/sweep-requests.js';
import { IMPORT_JOB_QUEUED } from '../../shared/domain/import-job.js';
import { observedAwsContext } from '../commons/aws-context.js';
import { observed } from '../commons/observability.js';

/**
 * An execution of a Daiban state machine that ended badly, as EventBridge reports it
 * ("Step Functions Execution Status Change"); its input names the project.
 */
const ExecutionStatusChangeSchema = z.object({
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({ status: z.string(), name: z.string(), input: z.string().nullable().optional() }),
});

/**
 * A sweep an admin asked for (`POST /admin/sla-sweeps` on the API function), as the bus's rule delivers it: the run
 * recorded as queued, which this invocation claims.
 */
const SweepRequestedSchema = z.object({
  'detail-type': z.literal(SWEEP_REQUESTED),
  detail: z.object({ runId: z.string().min(1).max(64) }),
});
/** The event `POST /imports` raises on the stack's bus (a rule sends it here). */
const isImportJobQueued = (event: unknown): boolean =>
  typeof event === 'object' &&
  event !== null &&
  (event as Record<string, unknown>)['detail-type'] === IMPORT_JOB_QUEUED;

/** What the handler needs of the Lambda context: the time the invocation has left. */
export type InvocationTime = { getRemainingTimeInMillis(): number };

/**
 * The time kept back from the function's timeout: the pieces of work in hand when the run stops starting new ones
 * finish (one transaction and its relay each; those waiting on a meeting proposal's lane one after another), then
 * the counters' flush and the lease's release. 12 s was too little on a loaded 2-core machine: 16 items in hand
 * took 17.5 s (bench/storm.ts, run 1 of a 60 s limit ended at 65.5 s). A function with a short timeout keeps a
 * third of it back instead (a run still works for two thirds of its time).
 */
export const STOP_MARGIN_MS = 20_000;

/** The pieces of due work at once: `DAIBAN_SWEEP_CONCURRENCY` (the stack's setting), else the job's default. */
export function sweepConcurrency(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = Number(env.DAIBAN_SWEEP_CONCURRENCY);
  return Number.isInteger(value) && value >= 1 && value <= 128 ? value : undefined;
}

/**
 * The scheduled job on AWS: EventBridge Scheduler invokes it every minute (the same `runScheduledJob` the local
 * runtime runs on its interval), and an EventBridge rule invokes it when an execution fails, times out or is
 * aborted, so that project is reconciled at once, and another when an admin asks for a sweep (the run the API
 * recorded as queued, which this invocation claims and works as any other). A run works due items a bounded number at a time and stops
 * starting new ones `STOP_MARGIN_MS` before the function's timeout, leaving the rest to the next run (the report
 * says how many remain); a run while the previous one still holds the job's lease does nothing. After the due work a
 * run goes on with unfinished import jobs; the bus's rule on `import_job_queued` (raised by `POST /imports`)
 * invokes it for the import jobs alone, at once.
 */
export const createScheduledJobHandler =
  (ctx: AppContext, settings: { concurrency?: number; marginMs?: number } = {}) =>
  async (event: unknown, context?: InvocationTime) => {
    const change = ExecutionStatusChangeSchema.safeParse(event);
    if (change.success) {
      const input = JSON.parse(change.data.detail.input ?? '{}') as { projectId?: unknown };
      if (typeof input.projectId !== 'string') return { reconciled: 'no project in the execution input' };
      return { reconciled: await reconcileProject(ctx, input.projectId) };
    }
    const requested = SweepRequestedSchema.safeParse(event);
    const remaining = context?.getRemainingTimeInMillis();
    const stopBy =
      remaining !== undefined
        ? Date.now() + remaining - (settings.marginMs ?? Math.min(STOP_MARGIN_MS, remaining / 3))
        : undefined;
    if (isImportJobQueued(event)) {
      // a job just posted (POST /imports): its rows imported now, until the deadline; the schedule goes on after
      return { imports: await runImportJobs(ctx, stopBy !== undefined ? { stopBy } : {}) };
    }
    const concurrency = settings.concurrency ?? sweepConcurrency();
    return runScheduledJob(ctx, {
      // a run asked for claims its queued record; the schedule's runs also write the weekly report when due
      ...(requested.success ? { claim: requested.data.detail.runId } : { weeklyReport: true }),
      ...(concurrency ? { concurrency } : {}),
      ...(stopBy !== undefined ? { stopBy } : {}),
    });
  };

const { ctx, obs } = await observedAwsContext();
export const handler = observed(obs, () => ({}), createScheduledJobHandler(ctx));
