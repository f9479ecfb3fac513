import type { DaibanStore } from '../store/store.port.js';

/** The setting a run of the scheduled job holds while it works (conditional on its revision). */
export const JOB_LEASE_SETTING = 'scheduled-job-lease';

/** A lease not renewed for this long is free for the next run (a run that died does not block the job for longer). */
const TTL_MS = 60_000;

/**
 * Two runs of the scheduled job never work the same due items at once: a run holds this lease (a setting written
 * on condition of its revision) from its start to its end, renewing it as it goes; a run that finds it held by
 * another run does nothing and says so (on AWS an invocation while the previous one still drains a backlog; the
 * local runtime runs one at a time anyway). Times are real (`Date.now()`): a simulated clock jumps days ahead.
 */
export class JobLease {
  #revision: number | undefined;
  #expiresAt = 0;
  #renewing: Promise<boolean> | undefined;

  constructor(
    private readonly store: Pick<DaibanStore, 'getSetting' | 'putSetting'>,
    readonly ownerId: string,
    /** the lease is held at least until then (the run's own deadline, when it has one) */
    private readonly holdUntil = 0,
  ) {}

  /** Takes the lease when it is free (never taken, released, or expired); false when another run holds it. */
  async acquire(): Promise<boolean> {
    const stored = await this.store.getSetting(JOB_LEASE_SETTING);
    const holder = stored?.value;
    if (holder && holder.released !== true && Number(holder.expiresAt) > Date.now()) return false;
    return this.#write(stored ? stored.revision : null);
  }

  /** Whether the run still holds the lease: renews it once half its time has passed (one write at a time). */
  async holds(): Promise<boolean> {
    if (this.#revision === undefined) return false;
    if (Date.now() < this.#expiresAt - TTL_MS / 2) return true;
    this.#renewing ??= this.#write(this.#revision).finally(() => {
      this.#renewing = undefined;
    });
    return this.#renewing;
  }

  /** Gives the lease up for the next run (nothing when it was lost meanwhile). */
  async release(): Promise<void> {
    if (this.#revision === undefined) return;
    await this.store.putSetting(
      JOB_LEASE_SETTING,
      { ownerId: this.ownerId, expiresAt: Date.now(), released: true },
      { expectedRevision: this.#revision },
    );
    this.#revision = undefined;
  }

  async #write(expectedRevision: number | null): Promise<boolean> {
    const expiresAt = Math.max(Date.now() + TTL_MS, this.holdUntil);
    const written = await this.store.putSetting(
      JOB_LEASE_SETTING,
      { ownerId: this.ownerId, expiresAt, renewedAt: new Date().toISOString() },
      { expectedRevision },
    );
    this.#revision = written ? (expectedRevision ?? 0) + 1 : undefined;
    if (written) this.#expiresAt = expiresAt;
    return written;
  }
}
