import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type LocalTable, openLocalTable } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import {
  describeHolder,
  type LeaseOptions,
  RUNTIME_LEASE_SETTING,
  RuntimeLease,
  type RuntimeOwner,
} from '../../shared/app/runtime-lease.js';

const owner = (n: number): RuntimeOwner => ({
  ownerId: `owner-${n}`,
  host: `host-${n}`,
  pid: 4000 + n,
  startedAt: '2026-03-02T01:00:00.000Z',
});

describe('the runtime lease (one runtime per store)', () => {
  const tables: LocalTable[] = [];
  let table: LocalTable;
  let clock: ManualClock;
  const lease = (n: number, extra: Partial<LeaseOptions> = {}) =>
    new RuntimeLease({ store: table.store, clock, owner: owner(n), ...extra });

  beforeEach(async () => {
    table = await openLocalTable({
      endpoint: inject('dynamoEndpoint'),
      tableName: `lease-${process.pid}-${Date.now()}-${tables.length}`,
    });
    tables.push(table);
    clock = new ManualClock('2026-03-02T01:00:00Z');
  });
  afterAll(() => {
    for (const t of tables) t.close();
  });

  it('is acquired when nobody holds it, and records who holds it until when', async () => {
    // Act
    const claim = await lease(1).acquire();
    const stored = await table.store.getSetting(RUNTIME_LEASE_SETTING);

    // Assess
    expect(claim).toEqual({ acquired: true });
    expect(stored?.value).toMatchObject({
      ...owner(1),
      renewedAt: '2026-03-02T01:00:00.000Z',
      expiresAt: '2026-03-02T01:00:20.000Z',
    });
  });

  it('refuses a second runtime while the first holds it, saying who holds it (host, pid, since, until)', async () => {
    // Prepare
    await lease(1).acquire();
    clock.set('2026-03-02T01:00:10Z');

    // Act
    const claim = await lease(2).acquire();

    // Assess
    expect(claim.acquired).toBe(false);
    if (claim.acquired) return;
    expect(claim.holder).toMatchObject(owner(1));
    expect(describeHolder(claim.holder)).toBe(
      'pid 4001 on host host-1, running since 2026-03-02T01:00:00.000Z, its lease holds until 2026-03-02T01:00:20.000Z (renewed every few seconds while it runs)',
    );
  });

  it('is kept by renewal: a holder that renews is never taken over', async () => {
    // Prepare
    const first = lease(1);
    await first.acquire();

    // Act: renew every 15 s for a minute
    const renewals = [];
    for (let s = 15; s <= 60; s += 15) {
      clock.set(new Date(Date.parse('2026-03-02T01:00:00Z') + s * 1000));
      renewals.push(await first.renew());
    }
    clock.set('2026-03-02T01:01:10Z');
    const second = await lease(2).acquire();

    // Assess
    expect(renewals).toEqual([{ lost: false }, { lost: false }, { lost: false }, { lost: false }]);
    expect(second.acquired).toBe(false);
  });

  it('is taken over once it expires, and the old holder learns at its next renewal that it lost it', async () => {
    // Prepare: the first holder stops renewing (a frozen or killed process)
    const first = lease(1);
    await first.acquire();
    clock.set('2026-03-02T01:00:21Z');

    // Act
    const second = await lease(2).acquire();
    const firstRenewal = await first.renew();

    // Assess
    expect(second).toEqual({ acquired: true });
    expect(firstRenewal.lost).toBe(true);
    if (!firstRenewal.lost) return;
    expect(firstRenewal.holder).toMatchObject(owner(2));
    expect(first.held).toBe(false);
  });

  it('is taken over at once when its holder is known to be gone (killed on this host), expired or not', async () => {
    // Prepare
    await lease(1).acquire();

    // Act
    const refusedWhileAlive = await lease(2, { isHolderGone: () => false }).acquire();
    const takenOnceGone = await lease(2, { isHolderGone: (holder) => holder.pid === 4001 }).acquire();

    // Assess
    expect(refusedWhileAlive.acquired).toBe(false);
    expect(takenOnceGone).toEqual({ acquired: true });
  });

  it('is free for the next runtime at once after release', async () => {
    // Prepare
    const first = lease(1);
    await first.acquire();

    // Act
    await first.release();
    const second = await lease(2).acquire();
    const stored = await table.store.getSetting(RUNTIME_LEASE_SETTING);

    // Assess
    expect(second).toEqual({ acquired: true });
    expect(first.held).toBe(false);
    expect(stored?.value).toMatchObject(owner(2));
  });

  it('goes to exactly one of several runtimes that ask for it at the same moment', async () => {
    // Act
    const claims = await Promise.all([lease(1).acquire(), lease(2).acquire(), lease(3).acquire()]);

    // Assess
    expect(claims.filter((c) => c.acquired)).toHaveLength(1);
    for (const claim of claims.filter((c) => !c.acquired)) {
      if (!claim.acquired) expect(claim.holder.ownerId).toMatch(/^owner-\d$/);
    }
  });

  it('tells a holder renewing in the background when another runtime took it over', async () => {
    // Prepare: the first holder's lease expired (it was paused) and a second runtime took it
    const first = lease(1, { settings: { renewEverySeconds: 0.05 } });
    await first.acquire();
    clock.set('2026-03-02T01:00:30Z');
    await lease(2).acquire();

    // Act: the first wakes up and renews in the background
    const takenBy = await new Promise<string>((resolve, reject) => {
      first.startRenewing({ onLost: (holder) => resolve(holder.ownerId), onError: reject });
    });

    // Assess
    expect(takenBy).toBe('owner-2');
    expect(first.held).toBe(false);
  });
});
