import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from '../../../shared/app/adaptive-limit.js';
import { inPool } from '../../../shared/app/sweep-pool.js';

describe('the sweep’s adaptive concurrency (Vegas)', () => {
  it('grows one at a time, up to its most, while pieces are answered without a queue', () => {
    // Prepare
    const limit = new AdaptiveLimit({ max: 16, initial: 4 });

    // Act
    for (let i = 0; i < 40; i += 1) limit.record(20);

    // Assess
    expect(limit.current()).toBe(16);
  });

  it('shrinks while pieces take longer than the shortest, to about beta pieces waiting, never below its least', () => {
    // Prepare
    const free = new AdaptiveLimit({ max: 16, initial: 16 });
    const floored = new AdaptiveLimit({ max: 16, initial: 16, min: 8 });
    for (let i = 0; i < 5; i += 1) {
      free.record(20);
      floored.record(20);
    }

    // Act
    for (let i = 0; i < 40; i += 1) {
      free.record(400);
      floored.record(400);
    }

    // Assess
    expect(free.current()).toBeLessThanOrEqual(6);
    expect(free.current()).toBeGreaterThanOrEqual(3);
    expect(floored.current()).toBe(8);
  });

  it('holds between its bounds: a few pieces waiting is the aim', () => {
    // Prepare: at 8, pieces taking 2× the shortest mean about 4 waiting (between alpha 3 and beta 6)
    const limit = new AdaptiveLimit({ max: 16, initial: 8 });
    for (let i = 0; i < 3; i += 1) limit.record(10);
    const before = limit.current();

    // Act
    limit.record(20);

    // Assess
    expect(limit.current()).toBe(before);
  });

  it('bounds the pool by what the limit says at each start', async () => {
    // Prepare: a limit that allows 2 at once
    let running = 0;
    let most = 0;

    // Act
    const { notStarted } = await inPool(
      Array.from({ length: 12 }, (_, i) => i),
      { current: () => 2, record: () => {} },
      async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running -= 1;
      },
    );

    // Assess
    expect(most).toBe(2);
    expect(notStarted).toBe(0);
  });
});
