import type { JobReport } from './scheduled-job.js';
import { type JobProgress, newProgress } from './sweep-progress.js';

/** A run of the scheduled job as an admin sees it: its progress, and its report once it has finished. */
export type JobRun = JobProgress;

/** How many finished runs a runtime remembers (their progress reads answer 404 after that). */
const KEPT = 20;

/**
 * The local runtime's runs of the scheduled job, in the background: one at a time (a run asked for while one is
 * running joins it), each with its progress updated in place, the last few remembered. `POST /admin/clock` and
 * `POST /admin/sla-sweeps` start one and answer at once with its id; `GET /admin/sla-sweeps/{runId}` and the
 * administration page read its progress.
 *
 * @example const { run, done } = jobs.start(); // run.runId, run.state; await done for the report
 */
export class JobRuns {
  readonly #runs = new Map<string, JobRun>();
  #running: { run: JobRun; done: Promise<JobReport> } | undefined;

  constructor(
    private readonly work: (progress: JobProgress) => Promise<JobReport>,
    private readonly newId: () => string,
    private readonly now: () => Date,
  ) {}

  /** Starts a run in the background, or joins the one running (`joined`); `done` settles with its report. */
  start(): { run: JobRun; done: Promise<JobReport>; joined: boolean } {
    if (this.#running) return { ...this.#running, joined: true };
    const run: JobRun = newProgress(this.newId(), this.now());
    this.#runs.set(run.runId, run);
    while (this.#runs.size > KEPT) {
      const oldest = this.#runs.keys().next().value;
      if (oldest === undefined) break;
      this.#runs.delete(oldest);
    }
    const done = this.work(run)
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
    this.#running = { run, done };
    return { run, done, joined: false };
  }

  /** The run with that id, while remembered. */
  get(runId: string): JobRun | undefined {
    return this.#runs.get(runId);
  }

  /** The run going on, else the last one (undefined before the first). */
  current(): JobRun | undefined {
    return this.#running?.run ?? [...this.#runs.values()].at(-1);
  }

  /** Settles once no run is going on (a runtime stopping waits for it). */
  async idle(): Promise<void> {
    await this.#running?.done.catch(() => undefined);
  }
}
