/** Everything that reads time takes a clock, so a demo or test can move a project through months in seconds. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at a given instant and moves only when told to (simulated time). */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(instant: Date | string): void {
    this.current = new Date(instant).getTime();
  }
  advanceDays(days: number): void {
    this.current += days * 86_400_000;
  }
}

/**
 * A clock that can be frozen at an instant (to seed a demo in the past) and then released to the clock beneath it
 * (the real clock, or a simulated one).
 */
export class SettableClock implements Clock {
  private fixed: number | undefined;
  constructor(private readonly base: Clock = systemClock) {}
  now(): Date {
    return this.fixed === undefined ? this.base.now() : new Date(this.fixed);
  }
  freeze(instant: Date | string): void {
    this.fixed = new Date(instant).getTime();
  }
  /** Moves a frozen clock on, never past the clock beneath it. */
  advanceDays(days: number): void {
    const limit = this.base.now().getTime();
    this.fixed = Math.min(limit, (this.fixed ?? limit) + days * 86_400_000);
  }
  release(): void {
    this.fixed = undefined;
  }
}

/**
 * Simulated time for the local runtime: real time plus an offset, so time still flows (grace periods, retries and
 * timeouts behave as they would) while a demo or a test jumps weeks ahead to see deadlines pass. It only moves
 * forward: data written at a simulated instant must never end up in the future of the clock.
 *
 * @example const clock = new SimulatedClock(); clock.moveTo(new Date(clock.now().getTime() + 30 * 86_400_000));
 */
export class SimulatedClock implements Clock {
  private offset: number;
  constructor(
    offsetMs = 0,
    private readonly real: () => number = Date.now,
  ) {
    this.offset = Math.max(0, offsetMs);
  }
  now(): Date {
    return new Date(this.real() + this.offset);
  }
  /** how far ahead of real time this clock runs */
  get offsetMs(): number {
    return this.offset;
  }
  /** Moves the clock to `instant`; an instant before the clock's now is refused (returns false), nothing moves. */
  moveTo(instant: Date): boolean {
    const ahead = instant.getTime() - this.now().getTime();
    if (ahead < 0) return false;
    this.offset += ahead;
    return true;
  }
}
