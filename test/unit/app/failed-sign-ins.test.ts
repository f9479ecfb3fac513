import { describe, expect, it } from 'vitest';
import { FailedSignIns } from '../../../shared/app/sign-in.js';

describe('failed sign-ins of a user id', () => {
  const at = { now: 0 };
  const attempts = () =>
    new FailedSignIns(
      { waitFromFailure: 5, lockSeconds: 30, maxLockSeconds: 900, maxTracked: 3 },
      () => at.now,
    );

  it('makes the user id wait 30 s from its fifth failure in a row, doubling with each further failure', () => {
    // Prepare
    at.now = 0;
    const failures = attempts();

    // Act
    const waits = Array.from({ length: 9 }, () => failures.failed('agent-wang'));

    // Assess
    expect(waits).toEqual([0, 0, 0, 0, 30, 60, 120, 240, 480]);
    expect(failures.waitFor('agent-wang')).toBe(480);
  });

  it('never makes anyone wait more than the longest wait', () => {
    // Prepare
    at.now = 0;
    const failures = attempts();

    // Act
    const waits = Array.from({ length: 40 }, () => failures.failed('agent-wang'));

    // Assess
    expect(Math.max(...waits)).toBe(900);
  });

  it('counts the wait down with time, and forgets the failures after a success', () => {
    // Prepare
    at.now = 0;
    const failures = attempts();
    for (let i = 0; i < 5; i++) failures.failed('agent-wang');

    // Act
    at.now = 20_500;
    const later = failures.waitFor('agent-wang');
    failures.succeeded('agent-wang');

    // Assess
    expect(later).toBe(10);
    expect(failures.waitFor('agent-wang')).toBe(0);
    expect(failures.failed('agent-wang')).toBe(0);
  });

  it('keeps one user id’s failures from making another wait', () => {
    // Prepare
    at.now = 0;
    const failures = attempts();

    // Act
    for (let i = 0; i < 6; i++) failures.failed('agent-wang');

    // Assess
    expect(failures.waitFor('agent-li')).toBe(0);
  });

  it('remembers a bounded number of user ids, forgetting the longest quiet first', () => {
    // Prepare
    at.now = 0;
    const failures = attempts();
    for (let i = 0; i < 6; i++) failures.failed('first');

    // Act: three more ids fill the memory of three
    for (const id of ['second', 'third', 'fourth']) failures.failed(id);

    // Assess
    expect(failures.waitFor('first')).toBe(0);
  });
});
