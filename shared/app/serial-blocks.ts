import type { DaibanStore } from '../store/store.port.js';

/** How many numbers a process takes from a sequence at a time. */
export const SERIAL_BLOCK_SIZE = 20;

/**
 * Numbers of unique, not gapless sequences (a project code's serial), drawn a block at a time (hi/lo): one atomic
 * counter update takes {@link SERIAL_BLOCK_SIZE} numbers for this process, which hands them out one by one, so a
 * registration rarely waits on the counter. Concurrent draws in the process share one counter update; two
 * processes never get the same number (each block is its own range of the counter). The price: numbers a process
 * held when it stopped (a Lambda container recycled, the runtime restarted) are never given out, gaps; and with
 * several processes (Lambda containers) drawing at once, numbers are no longer in the order of registration.
 *
 * @example const serial = await ctx.serials.draw(`project-code#2026#320115`);
 */
export class SerialBlocks {
  readonly #blocks = new Map<string, { next: number; last: number }>();
  readonly #drawing = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Pick<DaibanStore, 'drawSerial'>,
    readonly blockSize = SERIAL_BLOCK_SIZE,
  ) {}

  /** The next number of `sequence` for this process. */
  async draw(sequence: string): Promise<number> {
    for (;;) {
      const block = this.#blocks.get(sequence);
      if (block && block.next <= block.last) {
        block.next += 1;
        return block.next - 1;
      }
      let drawing = this.#drawing.get(sequence);
      if (!drawing) {
        drawing = this.store
          .drawSerial(sequence, this.blockSize)
          .then((first) => {
            this.#blocks.set(sequence, { next: first, last: first + this.blockSize - 1 });
          })
          .finally(() => this.#drawing.delete(sequence));
        this.#drawing.set(sequence, drawing);
      }
      // a failed draw fails every caller waiting on it; the next call draws again
      await drawing;
    }
  }
}
