import { describe, expect, it } from 'vitest';
import { concurrencyLimit } from '../../../shared/lib/concurrency-limit.js';

describe('the task handler concurrency limit', () => {
  it('runs at most so many at once and the rest in the order they came', async () => {
    // Prepare
    const limit = concurrencyLimit(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const work = (n: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      order.push(n);
      running -= 1;
      return n;
    };

    // Act
    const pending = [1, 2, 3, 4, 5].map((n) => limit(work(n)));
    const waitingAtFirst = limit.waiting;
    const results = await Promise.all(pending);

    // Assess
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(waitingAtFirst).toBe(3);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(limit.waiting + limit.running).toBe(0);
  });

  it('gives the turn on when a piece of work fails', async () => {
    // Prepare
    const limit = concurrencyLimit(1);

    // Act
    const failed = limit(() => Promise.reject(new Error('boom')));
    const next = limit(async () => 'next');

    // Assess
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });

  it('refuses work at once, never running it, when its bounded queue is full', async () => {
    // Prepare
    const limit = concurrencyLimit(1, { maxWaiting: 2, full: () => new Error('full') });
    const release: Array<() => void> = [];
    const ran: number[] = [];
    const work = (n: number) => () =>
      new Promise<number>((done) => {
        ran.push(n);
        release.push(() => done(n));
      });

    // Act
    const pending = [1, 2, 3, 4].map((n) => limit(work(n)));
    const refused = pending[3];
    await expect(refused).rejects.toThrow('full');
    while (release.length > 0) {
      release.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    const results = await Promise.all(pending.slice(0, 3));

    // Assess
    expect(results).toEqual([1, 2, 3]);
    expect(ran).toEqual([1, 2, 3]);
    expect(limit.peak).toBe(1);
  });

  it('tells when nothing runs or waits any more: at once when idle, else as the last piece of work ends', async () => {
    // Prepare
    const limit = concurrencyLimit(1);
    const release: Array<() => void> = [];
    const work = () => new Promise<void>((done) => release.push(done));
    await limit.idle();
    const pending = [limit(work), limit(work)];
    let idle = false;
    const told = limit.idle().then(() => {
      idle = true;
    });

    // Act
    release.shift()?.();
    await new Promise((r) => setImmediate(r));
    const afterFirst = idle;
    release.shift()?.();
    await Promise.all([...pending, told]);

    // Assess
    expect(afterFirst).toBe(false);
    expect(idle).toBe(true);
    expect(limit.running + limit.waiting).toBe(0);
  });
});
