import type { DaibanStore } from '../store/store.port.js';

type Asker = { resolve: (n: number) => void; reject: (error: unknown) => void };
type Sequences = { waiting: Map<string, Asker[]>; drawing: Set<string> };

const OF_STORE = new WeakMap<object, Sequences>();

/**
 * The next number of a sequence, drawn together with those asked for at the same moment (a group commit): while one
 * counter update is in flight the next askers wait, then one update draws as many numbers as they are, one each.
 * Unlike {@link SerialBlocks}, no number is held for later, so a process that stops loses none but those of the
 * draws whose transaction then failed, as with a draw of one. A storm's deemed approvals (超时默认通知单), sixteen at
 * once, then cost a counter update for several items instead of one each.
 *
 * @example const serial = await drawTogether(ctx.store, deemedNoticeSequence(now));
 */
export function drawTogether(store: Pick<DaibanStore, 'drawSerial'>, sequence: string): Promise<number> {
  let sequences = OF_STORE.get(store);
  if (!sequences) {
    sequences = { waiting: new Map(), drawing: new Set() };
    OF_STORE.set(store, sequences);
  }
  const { waiting, drawing } = sequences;
  return new Promise<number>((resolve, reject) => {
    const queue = waiting.get(sequence);
    if (queue) queue.push({ resolve, reject });
    else waiting.set(sequence, [{ resolve, reject }]);
    if (!drawing.has(sequence)) void drawFor(store, sequences, sequence);
  });
}

async function drawFor(
  store: Pick<DaibanStore, 'drawSerial'>,
  { waiting, drawing }: Sequences,
  sequence: string,
): Promise<void> {
  drawing.add(sequence);
  try {
    for (;;) {
      const askers = waiting.get(sequence) ?? [];
      waiting.delete(sequence);
      if (askers.length === 0) return;
      try {
        const first = await store.drawSerial(sequence, askers.length);
        askers.forEach((asker, i) => {
          asker.resolve(first + i);
        });
      } catch (error) {
        for (const asker of askers) asker.reject(error);
      }
    }
  } finally {
    drawing.delete(sequence);
  }
}
