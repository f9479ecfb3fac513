import { describe, expect, it } from 'vitest';
import {
  asSeen,
  countActions,
  currentRun,
  isGoingOn,
  leftWork,
  newSweepRun,
  SWEEP_RUN_SILENT_MS,
  type SweepRun,
  tickRun,
} from '../../../shared/domain/sweep-run.js';

const T0 = Date.parse('2026-12-07T04:00:00Z');
const run = (fields: Partial<SweepRun> = {}): SweepRun => ({
  ...newSweepRun(fields.runId ?? 'r', { trigger: 'schedule', at: new Date(T0), now: new Date(T0) }),
  ...fields,
});

describe('a run of the SLA sweep', () => {
  it('counts SLA actions by kind: deemed approvals, breaches, escalations and deadlines held', () => {
    // Prepare
    const progress = run();

    // Act
    countActions(progress, [{ kind: 'yellow' }, { kind: 'red' }, { kind: 'escalate' }, { kind: 'deemed' }]);
    countActions(progress, [{ kind: 'held' }, { kind: 'escalate' }]);

    // Assess
    expect(progress).toMatchObject({ sla: 6, deemed: 1, breached: 1, escalated: 2, held: 1 });
  });

  it('works out its rate from the items done since it started', () => {
    // Prepare
    const progress = run({ done: 50 });

    // Act
    tickRun(progress, T0 + 20_000);

    // Assess
    expect(progress.perSecond).toBe(2.5);
  });

  it('goes on while queued or running and heard from lately; one silent too long is taken for dead', () => {
    // Assess
    expect(isGoingOn(run({ state: 'running' }), T0 + 1000)).toBe(true);
    expect(isGoingOn(run({ state: 'queued' }), T0 + 1000)).toBe(true);
    expect(isGoingOn(run({ state: 'running' }), T0 + SWEEP_RUN_SILENT_MS + 1)).toBe(false);
    expect(isGoingOn(run({ state: 'done' }), T0 + 1000)).toBe(false);
  });

  it('takes as current the run going on, else the latest', () => {
    // Prepare
    const latest = run({ runId: 'c', state: 'skipped' });
    const going = run({ runId: 'b', state: 'running' });
    const older = run({ runId: 'a', state: 'done' });

    // Assess
    expect(currentRun([latest, going, older], T0 + 1000)?.runId).toBe('b');
    expect(currentRun([latest, older], T0 + 1000)?.runId).toBe('c');
    expect(currentRun([], T0)).toBeUndefined();
  });

  it('left work to the next run only when it stopped with some remaining', () => {
    // Assess
    expect(leftWork(run({ state: 'stopped', remaining: 3 }))).toBe(true);
    expect(leftWork(run({ state: 'stopped', remaining: 0 }))).toBe(false);
    expect(leftWork(run({ state: 'done', remaining: 0 }))).toBe(false);
  });

  it('reads a running run whose record fell silent as lost, saying since when in local time', () => {
    // Prepare
    const silent = run({ state: 'running', done: 40, due: 100 });

    // Act
    const seen = asSeen(silent, T0 + SWEEP_RUN_SILENT_MS + 1);

    // Assess: 04:00 UTC is 12:00 in Beijing; what it left is work for the next run
    expect(seen).toMatchObject({ state: 'lost', done: 40, due: 100 });
    expect(seen.note).toContain('2026-12-07 12:00');
    expect(leftWork(seen)).toBe(true);
  });

  it('leaves a run going on, and a run that ended, as recorded', () => {
    // Prepare
    const going = run({ state: 'running' });
    const ended = run({ state: 'done' });

    // Assess
    expect(asSeen(going, T0 + 1000)).toBe(going);
    expect(asSeen(ended, T0 + SWEEP_RUN_SILENT_MS * 10)).toBe(ended);
  });
});
