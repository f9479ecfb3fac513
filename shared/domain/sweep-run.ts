import { z } from 'zod';
import { localDateTime } from './local-time.js';

/** What started a run of the scheduled job (its SLA sweep): the schedule, `POST /admin/clock`, `POST /admin/sla-sweeps`. */
export const SWEEP_TRIGGERS = ['schedule', 'clock', 'sla-sweeps'] as const;
export type SweepTrigger = (typeof SWEEP_TRIGGERS)[number];

/**
 * queued (asked for, the job has not taken it yet: AWS, between the API's answer and the job's start); running;
 * done (nothing due left it could work); stopped (its deadline, or the lease it lost, ended it: the rest is left to
 * the next run, counted in `remaining`); skipped (another run held the lease); failed (it could not run at all);
 * lost (never written: how a queued or running run whose record fell silent is read, see `asSeen`)
 */
export const SWEEP_RUN_STATES = [
  'queued',
  'running',
  'done',
  'stopped',
  'skipped',
  'failed',
  'lost',
] as const;
export type SweepRunState = (typeof SWEEP_RUN_STATES)[number];

const count = z.number().int().min(0);

/** What a run of the scheduled job did, once it has ended (see `JobReport`). */
export const SweepReportSchema = z.object({
  outbox: count,
  renewals: count,
  audited: count,
  reconciled: count,
  failures: count,
  sla: count,
  remaining: count,
  skipped: z.literal(true).optional(),
  weeklyReports: count.optional(),
});

/**
 * A run of the scheduled job as it goes and once it has ended: its durable record (one item a run, kept 30 days),
 * written when it starts, every second or so while it works, and when it ends. Both runtimes write it; an admin
 * reads it at `GET /admin/sla-sweeps/{runId}` and on the administration page, whichever process ran it.
 */
export const SweepRunSchema = z.object({
  runId: z.string().min(1).max(64),
  state: z.enum(SWEEP_RUN_STATES),
  trigger: z.enum(SWEEP_TRIGGERS),
  /** who asked for it (an admin's user id); none for the schedule */
  by: z.string().optional(),
  /** real time (UTC) the run was asked for or started (a queued run: asked for; then: taken by the job) */
  startedAt: z.string(),
  /** real time of the record's last write (a running run's heartbeat) */
  updatedAt: z.string(),
  /** real time the due work was done or left (before the audit slice and the weekly report) */
  workedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** the instant the job works at (the simulated clock's, when simulated) */
  at: z.string(),
  /** pieces of due work found so far (outbox entries, renewals, SLA and complaint checkpoints) */
  due: count,
  /** of those, worked (with or without a change) */
  done: count,
  /** SLA actions taken so far, and of them: deemed approvals (超时默认), breaches (red), escalations, held */
  sla: count,
  deemed: count,
  breached: count,
  escalated: count,
  /** deadlines not acted on: they fell in a year without a published schedule */
  held: count,
  failures: count,
  /** due work left for the next run when it stopped (at least this many: one page per shard is counted) */
  remaining: count,
  /** pieces of work a second, over the run so far */
  perSecond: z.number().min(0),
  /** why it stopped or was skipped */
  note: z.string().optional(),
  /** the last error met (a piece of work that failed, or the error that failed the run) */
  lastError: z.string().optional(),
  /** the run before it stopped with work left, which this one takes on */
  continues: z.string().optional(),
  report: SweepReportSchema.optional(),
});
export type SweepRun = z.infer<typeof SweepRunSchema>;

/** How long a run's record is kept before DynamoDB deletes it. */
export const SWEEP_RUN_RETENTION_DAYS = 30;

/**
 * A running (or queued) run whose record has not been written for this long is taken for dead (its Lambda or
 * process ended without saying so): it no longer counts as the run going on.
 */
export const SWEEP_RUN_SILENT_MS = 120_000;

/** A new run's record: nothing found yet. */
export function newSweepRun(
  runId: string,
  fields: { trigger: SweepTrigger; by?: string; at: Date; state?: 'queued' | 'running'; now?: Date },
): SweepRun {
  const now = (fields.now ?? new Date()).toISOString();
  return {
    runId,
    state: fields.state ?? 'running',
    trigger: fields.trigger,
    ...(fields.by ? { by: fields.by } : {}),
    startedAt: now,
    updatedAt: now,
    at: fields.at.toISOString(),
    due: 0,
    done: 0,
    sla: 0,
    deemed: 0,
    breached: 0,
    escalated: 0,
    held: 0,
    failures: 0,
    remaining: 0,
    perSecond: 0,
  };
}

/** Counts one piece of work's SLA actions (`SlaAction` kinds; a complaint's count as actions only) into the run. */
export function countActions(run: SweepRun, actions: ReadonlyArray<{ kind: string }>): void {
  run.sla += actions.length;
  for (const action of actions) {
    if (action.kind === 'deemed') run.deemed += 1;
    else if (action.kind === 'red') run.breached += 1;
    else if (action.kind === 'escalate') run.escalated += 1;
    else if (action.kind === 'held') run.held += 1;
  }
}

/** Sets the rate from the work done since the run started (`nowMs`: real time). */
export function tickRun(run: SweepRun, nowMs: number): void {
  const seconds = (nowMs - Date.parse(run.startedAt)) / 1000;
  run.perSecond = seconds > 0 ? Math.round((run.done / seconds) * 10) / 10 : 0;
}

/** Whether a run still goes on: queued or running, and its record written recently (`nowMs`: real time). */
export function isGoingOn(run: SweepRun, nowMs: number): boolean {
  return (
    (run.state === 'queued' || run.state === 'running') &&
    nowMs - Date.parse(run.updatedAt) < SWEEP_RUN_SILENT_MS
  );
}

/**
 * The run an admin means by `current`, of the latest runs (newest first): the one going on, else the latest.
 */
export function currentRun(latest: readonly SweepRun[], nowMs: number): SweepRun | undefined {
  return latest.find((run) => isGoingOn(run, nowMs)) ?? latest[0];
}

/**
 * Whether a run left due work to the next run: it reached its deadline or lost its lease with some remaining, or
 * its process ended without finishing (lost: whatever it had not done is still due).
 */
export const leftWork = (run: SweepRun): boolean =>
  (run.state === 'stopped' && run.remaining > 0) || run.state === 'lost';

/**
 * A run's record as an admin reads it at real time `nowMs`: one still queued or running whose record has been silent
 * for `SWEEP_RUN_SILENT_MS` (its Lambda or process ended without saying so) reads as `lost`, with a note saying
 * since when (local time), instead of "running" for ever. Nothing it did is undone:
 * each item was its own transaction, and what it left is still due to the next run, which continues it.
 */
export function asSeen(run: SweepRun, nowMs: number): SweepRun {
  if ((run.state !== 'queued' && run.state !== 'running') || isGoingOn(run, nowMs)) return run;
  return {
    ...run,
    state: 'lost',
    note: `no word from this run since ${localDateTime(run.updatedAt)}: its process ended without finishing; the next run takes on what it left`,
  };
}
