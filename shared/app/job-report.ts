import type { SweepRun, SweepTrigger } from '../domain/sweep-run.js';
import type { SweepRunLog } from './sweep-progress.js';

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
  /** the last error a piece of work met (its run's record shows it) */
  lastError?: string;
};

/** How a run of the scheduled job goes. */
export type JobOptions = {
  now?: Date;
  /** due work read per shard of the Work index at a time */
  perShard?: number;
  audit?: boolean;
  /** write the report of the week that has just ended if it is missing (the runtimes' schedule; not tests) */
  weeklyReport?: boolean;
  /** the most pieces of due work at once (default 16, `SWEEP_CONCURRENCY`) */
  concurrency?: number;
  /**
   * `adaptive` (the default): as many as the database answers without a queue, up to `concurrency` (see
   * AdaptiveLimit); `fixed`: always `concurrency`
   */
  pool?: 'adaptive' | 'fixed';
  /** real time (`Date.now()`) after which no new piece of work starts; none: until nothing due is left */
  stopBy?: number;
  /** the run's progress, updated in place as it goes and recorded (see `sweep-progress.ts`) */
  progress?: JobProgress;
  /** or its progress with its record, made by the caller (`runRecord`: the local runtime's runs) */
  record?: SweepRunLog;
  /** what started the run (default: the schedule) and who asked for it; with `progress`, the progress's own */
  trigger?: SweepTrigger;
  by?: string;
  /** the id of a run asked for and recorded as queued (AWS: `POST /admin/sla-sweeps`), which this run takes on */
  claim?: string;
  /** take the job's lease (default true) */
  lease?: boolean;
  /** go on with unfinished import jobs once the due work is done (default true) */
  imports?: boolean;
};

/**
 * How far a run of the scheduled job has got, as it goes (an admin reads it while a storm of due items drains):
 * updated in place by the run and written to its durable record (`SweepRun`, see `sweep-progress.ts`), read by
 * `GET /admin/sla-sweeps/{runId}` and the administration page on either runtime.
 */
export type JobProgress = SweepRun;
