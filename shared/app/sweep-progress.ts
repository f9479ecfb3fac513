import type { JobReport } from './scheduled-job.js';

/**
 * How far a run of the scheduled job has got, as it goes (an admin reads it while a storm of due items drains):
 * updated in place by the run, read by `GET /admin/sla-sweeps/{runId}` and the administration page.
 */
export type JobProgress = {
  runId: string;
  /** running; done (nothing due left it could work); stopped (its deadline or lease ended it, the rest is left
   * to the next run); skipped (another run held the lease); failed (it could not run at all) */
  state: 'running' | 'done' | 'stopped' | 'skipped' | 'failed';
  /** real time the run started and ended */
  startedAt: string;
  /** real time the due work was done or left (before the audit slice and the weekly report) */
  workedAt?: string;
  finishedAt?: string;
  /** the instant the job works at (the simulated clock's, when simulated) */
  at: string;
  /** pieces of due work found so far (outbox entries, renewals, SLA and complaint checkpoints) */
  due: number;
  /** of those, worked (with or without a change) */
  done: number;
  failures: number;
  /** SLA actions taken so far */
  sla: number;
  /** due work left for the next run when it stopped (at least this many: one page per shard is counted) */
  remaining: number;
  /** pieces of work a second, over the run so far */
  perSecond: number;
  /** why it stopped or was skipped, or the error that failed it */
  note?: string;
  /** what the run did, once it has ended (set before `state` changes from running) */
  report?: JobReport;
};

export function newProgress(runId: string, at: Date): JobProgress {
  return {
    runId,
    state: 'running',
    startedAt: new Date().toISOString(),
    at: at.toISOString(),
    due: 0,
    done: 0,
    failures: 0,
    sla: 0,
    remaining: 0,
    perSecond: 0,
  };
}

/** Sets the rate from the work done since the run started. */
export function tick(progress: JobProgress): void {
  const seconds = (Date.now() - Date.parse(progress.startedAt)) / 1000;
  progress.perSecond = seconds > 0 ? Math.round((progress.done / seconds) * 10) / 10 : 0;
}
