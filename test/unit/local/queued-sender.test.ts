import { afterEach, describe, expect, it, vi } from 'vitest';
import { queuedSender } from '../../../infra/local/queued-sender.js';
import { transientKind } from '../../../shared/store/dynamo-retry.js';

/** A database whose every request waits until the test answers it. */
function heldDatabase() {
  const pending: Array<{ command: object; answer: (value: unknown) => void }> = [];
  return {
    pending,
    sender: {
      send: (command: object) => new Promise<unknown>((answer) => pending.push({ command, answer })),
    },
  };
}
const get = (pk: string) => ({ input: { Key: { PK: pk, SK: pk } } });
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the queue in front of DynamoDB Local', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends at most its limit at once, and the next in line as soon as one is answered', async () => {
    // Prepare
    const db = heldDatabase();
    const queued = queuedSender(db.sender, { concurrency: 2 });

    // Act
    const answers = [1, 2, 3, 4].map((n) => queued.send(get(`P${n}`)));
    await flush();
    const atOnce = db.pending.length;
    db.pending[0]?.answer('one');
    await flush();

    // Assess
    expect(atOnce).toBe(2);
    expect(db.pending.map((p) => (p.command as ReturnType<typeof get>).input.Key.PK)).toEqual([
      'P1',
      'P2',
      'P3',
    ]);
    expect(await answers[0]).toBe('one');
  });

  it('fails a request that waited too long for its turn as a timeout, which the store answers as 503', async () => {
    // Prepare
    vi.useFakeTimers();
    const db = heldDatabase();
    const queued = queuedSender(db.sender, { concurrency: 1, maxWaitMs: 5000 });
    void queued.send(get('P1'));

    // Act
    const late = queued.send(get('P2')).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(5001);
    const error = await late;

    // Assess
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(transientKind(error)).toBe('unreachable');
    expect(db.pending).toHaveLength(1);
  });

  it('never queues the health probe behind other work', async () => {
    // Prepare
    const db = heldDatabase();
    const queued = queuedSender(db.sender, { concurrency: 1 });
    void queued.send(get('P1'));

    // Act
    void queued.send(get('HEALTH'));
    await flush();

    // Assess
    expect(db.pending.map((p) => (p.command as ReturnType<typeof get>).input.Key.PK)).toEqual([
      'P1',
      'HEALTH',
    ]);
  });
});
