import { NotFoundError, UnavailableError } from '../domain/errors.js';
import {
  asSeen,
  currentRun,
  isGoingOn,
  leftWork,
  newSweepRun,
  type SweepRun,
  type SweepTrigger,
} from '../domain/sweep-run.js';
import type { Page, PageRequest } from '../store/store.port.js';
import type { AppContext } from './context.js';

/**
 * The runs of the scheduled job as an admin reads and asks for them, from their records in the table: the same on
 * both runtimes, whichever process ran them, and after a restart.
 */

/** The EventBridge detail-type (source `daiban`) of a sweep asked for on AWS: its rule invokes the job function. */
export const SWEEP_REQUESTED = 'SLA sweep requested';

/** How a runtime starts the job for a run recorded as queued (AWS: an event on the bus; the job claims the run). */
export type SweepJobStarter = (runId: string) => Promise<void>;

/** How many of the latest runs `current` looks through for the one going on. */
const LATEST = 10;

/** The runs, newest first, a page at a time. */
export async function listRuns(ctx: AppContext, page: PageRequest): Promise<Page<SweepRun>> {
  const runs = await ctx.store.listSweepRuns(page);
  const now = Date.now();
  return { ...runs, items: runs.items.map((run) => asSeen(run, now)) };
}

/** The run going on, else the latest (undefined before the first). */
export async function currentSweepRun(ctx: AppContext): Promise<SweepRun | undefined> {
  const now = Date.now();
  const run = currentRun((await ctx.store.listSweepRuns({ limit: LATEST })).items, now);
  return run && asSeen(run, now);
}

/** A run by its id, or `current`; a 404 that says where to look when there is none. */
export async function readRun(ctx: AppContext, runId: string): Promise<SweepRun> {
  const run = runId === 'current' ? await currentSweepRun(ctx) : await ctx.store.getSweepRun(runId);
  if (run) return asSeen(run, Date.now());
  throw new NotFoundError(
    'SWEEP.NO_RUN',
    runId === 'current'
      ? 'no run of the scheduled job recorded yet: start one with POST /admin/sla-sweeps (the schedule records a run once it finds something due)'
      : `no run ${runId}: runs are kept 30 days; GET /admin/sla-sweeps lists them, GET /admin/sla-sweeps/current shows the latest`,
  );
}

/** Names the run this one continues: the last run before it stopped with due work left. */
export async function continuing(ctx: AppContext, run: SweepRun): Promise<void> {
  const now = Date.now();
  const latest = (await ctx.store.listSweepRuns({ limit: LATEST })).items.map((other) => asSeen(other, now));
  const before = latest.find(
    (other) => other.runId !== run.runId && other.state !== 'skipped' && other.state !== 'queued',
  );
  if (before && leftWork(before)) run.continues = before.runId;
}

/**
 * A sweep asked for where the job runs elsewhere (AWS): the run going on if there is one (`joined`), else a new
 * run recorded as queued, then the job started for it (it claims the run by its id). Answers at once.
 */
export async function requestSweep(
  ctx: AppContext,
  start: SweepJobStarter,
  asked: { trigger: SweepTrigger; by?: string },
): Promise<{ run: SweepRun; joined: boolean }> {
  const going = await currentSweepRun(ctx);
  if (going && isGoingOn(going, Date.now())) return { run: going, joined: true };
  const run = newSweepRun(ctx.newId(), { ...asked, at: ctx.clock.now(), state: 'queued' });
  await ctx.store.createSweepRun(run);
  try {
    await start(run.runId);
  } catch (error) {
    const failed: SweepRun = {
      ...run,
      state: 'failed',
      lastError: String(error).slice(0, 500),
      finishedAt: new Date().toISOString(),
    };
    await ctx.store.putSweepRun(failed).catch(() => undefined);
    ctx.log.error('sweep: the job could not be started', { runId: run.runId, error: String(error) });
    throw new UnavailableError('SWEEP.NOT_STARTED', 'the sweep could not be started; try again in a moment');
  }
  return { run, joined: false };
}
