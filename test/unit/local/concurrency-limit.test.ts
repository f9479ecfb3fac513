import { describe, expect, it } from 'vitest';
import { concurrencyLimit } from '../../../infra/local/concurrency-limit.js';

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
});
