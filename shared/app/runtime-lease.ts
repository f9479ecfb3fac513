import type { ReferenceStore } from '../store/reference/reference.port.js';
import type { Clock } from './clock.js';

/**
 * One runtime per store. The local runtime keeps its executions in its own process: two runtimes on one table
 * would each resume every project and drive the same steps twice. So a runtime holds a lease, a setting in the
 * table written conditionally on its revision, renews it while it runs and releases it when it stops; a runtime
 * that died without releasing it loses it once it expires.
 */

/** Who runs: enough for a person to find the other runtime (`host`, `pid`) and tell two of them apart. */
export type RuntimeOwner = { ownerId: string; host: string; pid: number; startedAt: string };

/** The lease as stored: its owner, when it was last renewed and until when it holds without renewal. */
export type LeaseHolder = RuntimeOwner & { renewedAt: string; expiresAt: string; releasedAt?: string };

export type LeaseSettings = {
  /** a lease not renewed for this long is free for another runtime */
  ttlSeconds: number;
  /** how often the holder renews it (well inside the TTL, so a slow write or two does not lose it) */
  renewEverySeconds: number;
};

export const DEFAULT_LEASE: LeaseSettings = { ttlSeconds: 20, renewEverySeconds: 5 };

export const RUNTIME_LEASE_SETTING = 'runtime-lease';

export type LeaseClaim = { acquired: true } | { acquired: false; holder: LeaseHolder };

export type LeaseOptions = {
  store: ReferenceStore;
  /** the real clock: a simulated clock jumps days ahead and would make every lease look expired (or eternal) */
  clock: Clock;
  owner: RuntimeOwner;
  settings?: Partial<LeaseSettings>;
  /**
   * Whether the holder is known to be gone although its lease has not expired (locally: same host, no such
   * process), so a runtime restarted right after a crash need not wait out the TTL.
   */
  isHolderGone?: (holder: LeaseHolder) => boolean;
};

/**
 * @example
 * const lease = new RuntimeLease({ store, clock: systemClock, owner });
 * const claim = await lease.acquire();
 * if (!claim.acquired) throw new Error(describeHolder(claim.holder));
 * lease.startRenewing({ onLost: stop, onError: warn });
 */
export class RuntimeLease {
  private readonly settings: LeaseSettings;
  /** the revision of our last write; undefined while we do not hold the lease */
  private revision: number | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private renewing: Promise<unknown> | undefined;

  constructor(private readonly options: LeaseOptions) {
    this.settings = { ...DEFAULT_LEASE, ...options.settings };
  }

  get held(): boolean {
    return this.revision !== undefined;
  }

  /** Takes the lease if nobody holds it, its holder let it expire or is gone; otherwise says who holds it. */
  async acquire(): Promise<LeaseClaim> {
    const { store } = this.options;
    const current = await store.getSetting(RUNTIME_LEASE_SETTING);
    const holder = current ? asHolder(current.value) : undefined;
    if (current && holder && holder.ownerId !== this.options.owner.ownerId && !this.isFree(holder)) {
      return { acquired: false, holder };
    }
    const expected = current ? current.revision : null;
    if (await store.putSetting(RUNTIME_LEASE_SETTING, this.record(), { expectedRevision: expected })) {
      this.revision = (expected ?? 0) + 1;
      return { acquired: true };
    }
    // Another runtime wrote between our read and our write: it won.
    const winner = await store.getSetting(RUNTIME_LEASE_SETTING);
    const won = winner ? asHolder(winner.value) : undefined;
    if (won && won.ownerId === this.options.owner.ownerId) {
      this.revision = winner?.revision;
      return { acquired: true };
    }
    return { acquired: false, holder: won ?? this.unknownHolder() };
  }

  /**
   * Extends the lease by the TTL. Returns the new holder when another runtime took it over (this one must stop);
   * throws when the database does not answer (try again on the next tick: the lease holds for the TTL).
   */
  async renew(): Promise<{ lost: false } | { lost: true; holder: LeaseHolder }> {
    const { store } = this.options;
    // Two tries: the condition may fail only because our previous write landed although its answer was lost.
    for (let attempt = 0; attempt < 2 && this.revision !== undefined; attempt++) {
      const expectedRevision = this.revision;
      if (await store.putSetting(RUNTIME_LEASE_SETTING, this.record(), { expectedRevision })) {
        this.revision = expectedRevision + 1;
        return { lost: false };
      }
      const current = await store.getSetting(RUNTIME_LEASE_SETTING);
      const holder = current ? asHolder(current.value) : undefined;
      if (current && holder?.ownerId === this.options.owner.ownerId && !holder.releasedAt) {
        this.revision = current.revision;
        continue;
      }
      this.revision = undefined;
      return { lost: true, holder: holder ?? this.unknownHolder() };
    }
    this.revision = undefined;
    return { lost: true, holder: this.unknownHolder() };
  }

  /** Renews every `renewEverySeconds` until `release()` or `stopRenewing()`; one renewal at a time. */
  startRenewing(handlers: {
    onLost: (holder: LeaseHolder) => void;
    onError: (error: unknown) => void;
  }): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.renewing || this.revision === undefined) return;
      this.renewing = this.renew()
        .then((result) => {
          if (result.lost) {
            this.stopRenewing();
            handlers.onLost(result.holder);
          }
        }, handlers.onError)
        .finally(() => {
          this.renewing = undefined;
        });
    }, this.settings.renewEverySeconds * 1000);
    this.timer.unref?.();
  }

  stopRenewing(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Gives the lease up at once (marked released and expired), so the next runtime need not wait for the TTL. */
  async release(): Promise<void> {
    this.stopRenewing();
    await this.renewing;
    if (this.revision === undefined) return;
    const now = this.options.clock.now().toISOString();
    const released: LeaseHolder = { ...this.record(), expiresAt: now, releasedAt: now };
    await this.options.store.putSetting(RUNTIME_LEASE_SETTING, released, { expectedRevision: this.revision });
    this.revision = undefined;
  }

  private isFree(holder: LeaseHolder): boolean {
    if (holder.releasedAt) return true;
    if (Date.parse(holder.expiresAt) <= this.options.clock.now().getTime()) return true;
    return this.options.isHolderGone?.(holder) ?? false;
  }

  private record(): LeaseHolder {
    const now = this.options.clock.now();
    return {
      ...this.options.owner,
      renewedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.settings.ttlSeconds * 1000).toISOString(),
    };
  }

  private unknownHolder(): LeaseHolder {
    const now = this.options.clock.now().toISOString();
    return { ownerId: 'unknown', host: 'unknown', pid: 0, startedAt: now, renewedAt: now, expiresAt: now };
  }
}

/** Reads a stored lease; anything unreadable counts as no holder (a lease written by an older version). */
function asHolder(value: Record<string, unknown>): LeaseHolder | undefined {
  const { ownerId, host, pid, startedAt, renewedAt, expiresAt, releasedAt } = value;
  if (
    typeof ownerId !== 'string' ||
    typeof host !== 'string' ||
    typeof pid !== 'number' ||
    typeof startedAt !== 'string' ||
    typeof renewedAt !== 'string' ||
    typeof expiresAt !== 'string'
  ) {
    return undefined;
  }
  return {
    ownerId,
    host,
    pid,
    startedAt,
    renewedAt,
    expiresAt,
    ...(typeof releasedAt === 'string' ? { releasedAt } : {}),
  };
}

/** "pid 4242 on host dev-1, running since …, its lease holds until …": who to look for, in one line. */
export function describeHolder(holder: LeaseHolder): string {
  return `pid ${holder.pid} on host ${holder.host}, running since ${holder.startedAt}, its lease holds until ${holder.expiresAt} (renewed every few seconds while it runs)`;
}
