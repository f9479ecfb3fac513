/** What a run of the scheduled job did (see scheduled-job.ts). */
export type JobReport = {
  outbox: number;
  renewals: number;
  audited: number;
  reconciled: number;
  failures: number;
  /** SLA actions taken: lights, breaches, escalations, deemed approvals (of steps and of efficiency complaints) */
  sla: number;
  /** due work left for the next run (the run reached its deadline); at least this many */
  remaining: number;
  /** another run held the job's lease: this one did nothing */
  skipped?: true;
  /** 1 when this run wrote the weekly report of the week that has just ended */
  weeklyReports?: number;
};

/** How a run of the scheduled job goes. */
export type JobOptions = {
  now?: Date;
  /** due work read per shard of the Work index at a time */
  perShard?: number;
  audit?: boolean;
  /** write the report of the week that has just ended if it is missing (the runtimes' schedule; not tests) */
  weeklyReport?: boolean;
  /** pieces of due work at once (default 16, `SWEEP_CONCURRENCY`) */
  concurrency?: number;
  /** real time (`Date.now()`) after which no new piece of work starts; none: until nothing due is left */
  stopBy?: number;
  /** the run's progress, updated in place as it goes (see `sweep-progress.ts`) */
  progress?: JobProgress;
  /** take the job's lease (default true) */
  lease?: boolean;
  /** go on with unfinished import jobs once the due work is done (default true) */
  imports?: boolean;
};

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
