import type { SweepRun } from '../../domain/sweep-run.js';
import type { Page, PageRequest } from '../page.js';

/**
 * The runs of the scheduled job (its SLA sweep) and their progress: one record a run, written by the run itself
 * outside any transaction, read by an admin. Kept `SWEEP_RUN_RETENTION_DAYS`. Adapter: `SweepRunDynamo`.
 */
export interface SweepRunStore {
  /** Writes the run's record as it is now (the run's own writes: its start, its progress, its end). */
  putSweepRun(run: SweepRun): Promise<void>;
  /** Writes the record of a run asked for (queued) only if no record of that id exists; false if one does. */
  createSweepRun(run: SweepRun): Promise<boolean>;
  /** Writes `run` over a record that is still queued (the job taking the run it was asked for); false otherwise. */
  claimSweepRun(run: SweepRun): Promise<boolean>;
  getSweepRun(runId: string): Promise<SweepRun | undefined>;
  /** The runs, newest first, a page at a time. */
  listSweepRuns(page: PageRequest): Promise<Page<SweepRun>>;
}
