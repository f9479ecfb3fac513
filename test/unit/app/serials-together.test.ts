import { describe, expect, it } from 'vitest';
import { drawTogether } from '../../../shared/app/serials-together.js';

/** A counter that answers after a tick, recording how many numbers each update drew. */
function slowCounter() {
  let value = 0;
  const draws: number[] = [];
  return {
    draws,
    async drawSerial(_sequence: string, count = 1): Promise<number> {
      draws.push(count);
      await new Promise((resolve) => setTimeout(resolve, 5));
      value += count;
      return value - count + 1;
    },
  };
}

describe('numbers drawn together (a storm’s deemed-approval notices)', () => {
  it('gives each asker a number of its own, the askers of one moment sharing one counter update', async () => {
    // Prepare
    const store = slowCounter();

    // Act
    const numbers = await Promise.all(Array.from({ length: 6 }, () => drawTogether(store, 'deemed#2026')));

    // Assess: the first asks alone, the five who asked meanwhile share the next update; no number held back
    expect([...numbers].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(store.draws).toEqual([1, 5]);
  });

  it('fails the askers of a failed update only, and draws again for the next', async () => {
    // Prepare
    let fail = true;
    const store = {
      async drawSerial(_sequence: string, _count = 1) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (fail) {
          fail = false;
          throw new Error('the database did not answer');
        }
        return 41;
      },
    };

    // Act
    const failed = drawTogether(store, 'deemed#2026').catch((error: unknown) => String(error));
    const first = await failed;
    const next = await drawTogether(store, 'deemed#2026');

    // Assess
    expect(first).toContain('did not answer');
    expect(next).toBe(41);
  });
});
