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

/** A clock that can be frozen at an instant (to seed a demo in the past) and then released to real time. */
export class SettableClock implements Clock {
  private fixed: number | undefined;
  now(): Date {
    return this.fixed === undefined ? new Date() : new Date(this.fixed);
  }
  freeze(instant: Date | string): void {
    this.fixed = new Date(instant).getTime();
  }
  /** Moves a frozen clock on, never past the real now. */
  advanceDays(days: number): void {
    this.fixed = Math.min(Date.now(), (this.fixed ?? Date.now()) + days * 86_400_000);
  }
  release(): void {
    this.fixed = undefined;
  }
}
