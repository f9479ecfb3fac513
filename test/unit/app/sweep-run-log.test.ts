import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../shared/app/logger.js';
import { newProgress, RECORD_EVERY, SweepRunLog } from '../../../shared/app/sweep-progress.js';
import type { SweepRun } from '../../../shared/domain/sweep-run.js';

/** A store that keeps every record written, each write taking a moment (as DynamoDB does). */
function recordingStore() {
  const written: SweepRun[] = [];
  return {
    written,
    putSweepRun: async (run: SweepRun) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      written.push(run);
    },
  };
}

const settle = () => vi.advanceTimersByTimeAsync(50);

describe("the record of a sweep run's progress", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-12-07T04:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is written at once, then not per item: after so many items or a second, one write at a time', async () => {
    // Prepare
    const store = recordingStore();
    const log = new SweepRunLog(
      store,
      newProgress('r1', new Date(), { trigger: 'sla-sweeps' }),
      silentLogger,
    );

    // Act: the first item writes; the next items before the interval write nothing; then a second passes
    log.run.done += 1;
    log.changed();
    await settle();
    for (let i = 0; i < RECORD_EVERY.items - 2; i += 1) {
      log.run.done += 1;
      log.changed();
    }
    await settle();
    const afterMany = store.written.length;
    vi.advanceTimersByTime(RECORD_EVERY.ms);
    log.run.done += 1;
    log.changed();
    await settle();

    // Assess
    expect(afterMany).toBe(1);
    expect(store.written.map((r) => r.done)).toEqual([1, RECORD_EVERY.items]);
  });

  it('writes the end last, after a write still under way', async () => {
    // Prepare
    const store = recordingStore();
    const log = new SweepRunLog(store, newProgress('r2', new Date(), { trigger: 'clock' }), silentLogger);
    log.run.due = 3;
    log.changed();

    // Act
    log.run.state = 'done';
    const finished = log.finish();
    await settle();
    await finished;

    // Assess
    expect(store.written.at(-1)?.state).toBe('done');
    expect(store.written.at(-1)?.runId).toBe('r2');
  });

  it('of a scheduled run (lazy): nothing when it found nothing due, else from the first item found', async () => {
    // Prepare
    const idle = recordingStore();
    const busy = recordingStore();
    const idleLog = new SweepRunLog(idle, newProgress('idle', new Date()), silentLogger, { lazy: true });
    const busyLog = new SweepRunLog(busy, newProgress('busy', new Date()), silentLogger, {
      lazy: true,
      beforeFirstWrite: async (run) => {
        run.continues = 'before';
      },
    });

    // Act
    idleLog.run.state = 'done';
    await idleLog.finish();
    busyLog.run.due = 2;
    busyLog.changed();
    await settle();
    busyLog.run.state = 'done';
    const finished = busyLog.finish();
    await settle();
    await finished;

    // Assess
    expect(idle.written).toEqual([]);
    expect(busy.written.map((r) => [r.state, r.continues])).toEqual([
      ['running', 'before'],
      ['done', 'before'],
    ]);
  });

  it('logs a write that fails and goes on (the next write carries everything)', async () => {
    // Prepare
    const warnings: string[] = [];
    const log = new SweepRunLog(
      {
        putSweepRun: async () => {
          throw new Error('throttled');
        },
      },
      newProgress('r3', new Date(), { trigger: 'clock' }),
      { ...silentLogger, warn: (message: string) => warnings.push(message) },
    );

    // Act
    await log.write();

    // Assess
    expect(warnings).toHaveLength(1);
  });
});
