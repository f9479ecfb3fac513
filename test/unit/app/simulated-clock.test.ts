import { describe, expect, it } from 'vitest';
import { SettableClock, SimulatedClock } from '../../../shared/app/clock.js';

const DAY = 86_400_000;

describe('the simulated clock', () => {
  it('flows with real time, ahead by its offset', () => {
    // Prepare
    let real = Date.parse('2026-03-02T01:00:00Z');
    const clock = new SimulatedClock(2 * DAY, () => real);

    // Act
    const first = clock.now();
    real += 5_000;
    const second = clock.now();

    // Assess
    expect(first.toISOString()).toBe('2026-03-04T01:00:00.000Z');
    expect(second.getTime() - first.getTime()).toBe(5_000);
  });

  it('moves forward to an instant and keeps flowing from there', () => {
    // Prepare
    let real = Date.parse('2026-03-02T01:00:00Z');
    const clock = new SimulatedClock(0, () => real);

    // Act
    const moved = clock.moveTo(new Date('2026-06-01T00:00:00Z'));
    real += 1_000;

    // Assess
    expect(moved).toBe(true);
    expect(clock.now().toISOString()).toBe('2026-06-01T00:00:01.000Z');
    expect(clock.offsetMs).toBe(Date.parse('2026-06-01T00:00:00Z') - Date.parse('2026-03-02T01:00:00Z'));
  });

  it('refuses to move back, and stays where it was', () => {
    // Prepare
    const real = Date.parse('2026-03-02T01:00:00Z');
    const clock = new SimulatedClock(DAY, () => real);

    // Act
    const moved = clock.moveTo(new Date('2026-03-02T12:00:00Z'));

    // Assess
    expect(moved).toBe(false);
    expect(clock.now().toISOString()).toBe('2026-03-03T01:00:00.000Z');
  });

  it('lies beneath a settable clock: frozen to seed the demo, then released to simulated time', () => {
    // Prepare
    const real = Date.parse('2026-03-02T01:00:00Z');
    const simulated = new SimulatedClock(10 * DAY, () => real);
    const clock = new SettableClock(simulated);

    // Act
    clock.freeze('2026-01-01T00:00:00Z');
    clock.advanceDays(400); // never past the clock beneath
    const capped = clock.now();
    clock.release();

    // Assess
    expect(capped.toISOString()).toBe('2026-03-12T01:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-03-12T01:00:00.000Z');
  });
});
