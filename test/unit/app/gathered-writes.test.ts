import { describe, expect, it } from 'vitest';
import { GatheredWrites } from '../../../shared/app/gathered-writes.js';

/** Records what it was asked to write, each write taking a moment. */
class Recorded extends GatheredWrites<number> {
  readonly written: number[][] = [];
  protected async write(gathered: number[]): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.written.push(gathered);
  }
}

describe('writes a sweep run gathers from its items', () => {
  it('writes every few items and what is left at the end, one flush after the other, in order', async () => {
    // Prepare
    const gathered = new Recorded(2);

    // Act: five items, the third with nothing to write
    await gathered.add([1, 2]);
    await gathered.add([3]);
    await gathered.add([]);
    await gathered.add([4]);
    await gathered.add([5]);
    await gathered.flush();

    // Assess
    expect(gathered.written).toEqual([[1, 2, 3], [4], [5]]);
  });

  it('writes nothing when nothing was gathered', async () => {
    // Prepare
    const gathered = new Recorded(10);

    // Act
    await gathered.add([]);
    await gathered.flush();
    await gathered.flush();

    // Assess
    expect(gathered.written).toEqual([]);
  });
});
