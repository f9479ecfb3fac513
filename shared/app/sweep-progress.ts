import { newSweepRun, type SweepRun, type SweepTrigger, tickRun } from '../domain/sweep-run.js';
import type { SweepRunStore } from '../store/store.port.js';
import type { Logger } from './logger.js';

/** A run's progress before it has found anything (real time now; `at`: the instant the job works at). */
export function newProgress(
  runId: string,
  at: Date,
  asked: { trigger?: SweepTrigger; by?: string } = {},
): SweepRun {
  return newSweepRun(runId, {
    trigger: asked.trigger ?? 'schedule',
    ...(asked.by ? { by: asked.by } : {}),
    at,
  });
}

/** Sets the rate from the work done since the run started. */
export function tick(progress: SweepRun): void {
  tickRun(progress, Date.now());
}

/** How often a run's record is written while it works: after so many items, or so much real time. */
export const RECORD_EVERY = { items: 500, ms: 1000 };

/**
 * A run's durable record (`SweepRun`, one item a run), written from its progress as it goes: at its start, after
 * every `RECORD_EVERY` items or second (not per item: a storm's items must not wait on it), and at its end. The
 * writes while it works go in the background, one at a time; `write()` waits for them and writes the latest. A
 * write that fails is logged and the run goes on (the next write carries everything).
 *
 * `lazy`: nothing is written until the run finds due work or ends in a way worth telling (the scheduled run every
 * minute that finds nothing due leaves no record).
 */
export class SweepRunLog {
  #chain: Promise<void> = Promise.resolve();
  #pending = 0;
  #items = 0;
  #writtenAt = 0;
  #written = false;

  constructor(
    private readonly store: Pick<SweepRunStore, 'putSweepRun'>,
    readonly run: SweepRun,
    private readonly log: Logger,
    private readonly options: {
      lazy?: boolean;
      /** done once, before the first write (e.g. naming the run this one continues) */
      beforeFirstWrite?: (run: SweepRun) => Promise<void>;
    } = {},
  ) {}

  /** Whether the record has been written at least once. */
  get written(): boolean {
    return this.#written;
  }

  /** A piece of work done (or found): writes the record if enough items or time have passed, without waiting. */
  changed(): void {
    this.#items += 1;
    if (this.#pending > 0) return;
    if (this.#written && this.#items < RECORD_EVERY.items && Date.now() - this.#writtenAt < RECORD_EVERY.ms)
      return;
    void this.write();
  }

  /** Writes the record as it is now, after the writes under way; resolves once written (or the failure logged). */
  write(): Promise<void> {
    const first = !this.#written;
    this.#items = 0;
    this.#writtenAt = Date.now();
    this.#written = true;
    this.#pending += 1;
    this.#chain = this.#chain
      .then(async () => {
        if (first) await this.options.beforeFirstWrite?.(this.run).catch(() => undefined);
        this.run.updatedAt = new Date().toISOString();
        tickRun(this.run, Date.now());
        await this.store.putSweepRun(structuredClone(this.run));
      })
      .catch((error: unknown) => {
        this.log.warn("scheduled job: its run's progress record was not written; the next write carries it", {
          runId: this.run.runId,
          error: String(error),
        });
      })
      .finally(() => {
        this.#pending -= 1;
      });
    return this.#chain;
  }

  /** The last write at the end of the run: always, unless lazy and the run had nothing worth recording. */
  async finish(): Promise<void> {
    const run = this.run;
    const worthTelling = run.due > 0 || run.failures > 0 || run.state === 'stopped' || run.state === 'failed';
    if (this.options.lazy && !this.#written && !worthTelling) return;
    await this.write();
  }
}
