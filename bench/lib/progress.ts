/**
 * A progress bar on one terminal line while something long runs (seeding): `[#####.....] 512/1000 label`.
 * Without a terminal (CI, a pipe) it prints a line at each tenth instead.
 */
export function progressBar(
  label: string,
  total: number,
): { tick(done: number): void; done(note?: string): void } {
  const tty = process.stdout.isTTY === true;
  let lastTenth = -1;
  const started = Date.now();
  const line = (done: number) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    return `  [${'#'.repeat(filled).padEnd(width, '.')}] ${done}/${total} ${label}`;
  };
  return {
    tick(done: number) {
      if (tty) {
        process.stdout.write(`\r${line(done)}`);
        return;
      }
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        console.log(line(done));
      }
    },
    done(note?: string) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const text = `${line(total)} (${seconds} s${note ? `, ${note}` : ''})`;
      if (tty) process.stdout.write(`\r${text}\n`);
      else console.log(text);
    },
  };
}

/** Runs `work` over `items`, `concurrency` at a time, in order of the list. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i] as T, i);
    }),
  );
}
