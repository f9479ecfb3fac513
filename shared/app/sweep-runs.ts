import type { SweepTrigger } from '../domain/sweep-run.js';
import type { JobProgress } from './job-report.js';
import type { JobReport } from './scheduled-job.js';
import { newProgress, type SweepRunLog } from './sweep-progress.js';

/** A run of the scheduled job as an admin sees it: its progress, and its report once it has finished. */
export type JobRun = JobProgress;

/**
 * The local runtime's runs of the scheduled job, in the background: one at a time (a run asked for while one is
 * running joins it), its progress updated in place and recorded in the table as it goes (`SweepRunLog`).
 * `POST /admin/clock` and `POST /admin/sla-sweeps` start one and answer at once with its id;
 * `GET /admin/sla-sweeps/{runId}` and the administration page read its record, as on AWS.
 *
 * @example const { run, done } = jobs.start({ trigger: 'sla-sweeps', by: 'admin' }); // await done for the report
 */
export class JobRuns {
  #running: { run: JobRun; done: Promise<JobReport>; record: SweepRunLog } | undefined;

  constructor(
    private readonly work: (record: SweepRunLog) => Promise<JobReport>,
    private readonly newId: () => string,
    private readonly now: () => Date,
    /** the record of a run (see `runRecord`) */
    private readonly recordOf: (run: JobRun) => SweepRunLog,
  ) {}

  /**
   * Starts a run in the background, or joins the one running (`joined`); `done` settles with its report,
   * `recorded` once its record is in the table (a run an admin asked for: at once; the schedule's: lazily).
   */
  start(asked: { trigger?: SweepTrigger; by?: string } = {}): {
    run: JobRun;
    done: Promise<JobReport>;
    recorded: Promise<void>;
    joined: boolean;
  } {
    if (this.#running) {
      // joined by an admin: the run is recorded now if it was not yet (the schedule's are recorded lazily)
      const { run, done, record } = this.#running;
      return { run, done, recorded: record.written ? Promise.resolve() : record.write(), joined: true };
    }
    const run: JobRun = newProgress(this.newId(), this.now(), asked);
    const record = this.recordOf(run);
    const recorded = run.trigger === 'schedule' ? Promise.resolve() : record.write();
    const done = this.work(record)
      .then((report) => {
        run.report = report;
        return report;
      })
      .catch((error: unknown) => {
        if (run.state === 'running') Object.assign(run, { state: 'failed', note: String(error) });
        run.finishedAt ??= new Date().toISOString();
        throw error;
      })
      .finally(() => {
        this.#running = undefined;
      });
    // a run nobody awaits must not end the process when it fails: its progress says it failed
    done.catch(() => undefined);
    this.#running = { run, done, record };
    return { run, done, recorded, joined: false };
  }

  /** The run going on in this process (undefined when none). */
  running(): JobRun | undefined {
    return this.#running?.run;
  }

  /** Settles once no run is going on (a runtime stopping waits for it). */
  async idle(): Promise<void> {
    await this.#running?.done.catch(() => undefined);
  }
}
