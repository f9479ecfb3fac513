import { describe, expect, it } from 'vitest';
import { inLane } from '../../../shared/app/sweep-lanes.js';
import { inPool } from '../../../shared/app/sweep-pool.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('the pool the scheduled job works its due items in', () => {
  it('never works more than its bound at once, and works every item', async () => {
    // Prepare
    let running = 0;
    let most = 0;
    const worked: number[] = [];

    // Act
    const { notStarted } = await inPool(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (i) => {
        running += 1;
        most = Math.max(most, running);
        await tick();
        worked.push(i);
        running -= 1;
      },
    );

    // Assess
    expect(most).toBe(4);
    expect(worked.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(notStarted).toBe(0);
  });

  it('starts nothing more once told to stop, lets the items in hand finish, and counts those never started', async () => {
    // Prepare
    let started = 0;
    let finished = 0;

    // Act
    const { notStarted } = await inPool(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async () => {
        started += 1;
        await tick();
        finished += 1;
      },
      () => started < 5,
    );

    // Assess
    expect(started).toBe(5);
    expect(finished).toBe(5);
    expect(notStarted).toBe(15);
  });
});

describe('lanes of work that must not run at once', () => {
  it('runs the work of one key one at a time, in order, and other keys beside it', async () => {
    // Prepare
    const order: string[] = [];
    const work = (name: string) => ({
      outside: async () => {
        order.push(`${name} reads`);
        return name;
      },
      inside: async (read: string) => {
        order.push(`${name} starts`);
        await tick();
        order.push(`${name} ends`);
        return read;
      },
    });

    // Act
    const results = await Promise.all([
      inLane('proposal-DRC', work('a')),
      inLane('proposal-DRC', work('b')),
      inLane('proposal-HUD', work('c')),
    ]);

    // Assess
    expect(results).toEqual(['a', 'b', 'c']);
    expect(order.indexOf('a ends')).toBeLessThan(order.indexOf('b starts'));
    expect(order.indexOf('c starts')).toBeLessThan(order.indexOf('a ends'));
    // what needs no lane is read at once, while the lane is still taken
    expect(order.indexOf('b reads')).toBeLessThan(order.indexOf('a ends'));
  });

  it('goes on with the next work of a key after one fails', async () => {
    // Act
    const failed = inLane('k', {
      outside: async () => undefined,
      inside: async () => {
        throw new Error('no');
      },
    });
    const next = inLane('k', { outside: async () => 'next', inside: async (read) => read });

    // Assess
    await expect(failed).rejects.toThrow('no');
    await expect(next).resolves.toBe('next');
  });

  it('answers a read that failed outside the lane once the lane is free, and runs nothing inside', async () => {
    // Prepare
    let release: () => void = () => undefined;
    const busy = inLane('k', {
      outside: async () => undefined,
      inside: () => new Promise<void>((r) => (release = r)),
    });
    const ran: string[] = [];

    // Act
    const failed = inLane('k', {
      outside: async () => {
        throw new Error('serial not drawn');
      },
      inside: async () => {
        ran.push('inside');
      },
    });
    await tick();
    release();

    // Assess
    await busy;
    await expect(failed).rejects.toThrow('serial not drawn');
    expect(ran).toEqual([]);
  });
});
