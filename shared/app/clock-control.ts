import { ConflictError } from '../domain/errors.js';
import type { ReferenceStore } from '../store/reference/reference.port.js';
import type { SimulatedClock } from './clock.js';

/** Which clock a runtime runs on: the real one, or simulated time an admin may move forward. */
export type ClockMode = 'real' | 'simulated';

/** What a runtime lets an admin see and do with its time (`GET /health`, `POST /admin/clock`). */
export interface ClockControl {
  readonly mode: ClockMode;
  /**
   * Moves simulated time forward to `instant` and returns the clock's new now.
   * Throws `ConflictError` on the real clock, or for an instant before the clock's now.
   */
  moveTo(instant: Date): Promise<Date>;
}

/** The real clock: nobody moves it (AWS, and `npm start` without `--clock=simulated`). */
export const realClockControl: ClockControl = {
  mode: 'real',
  moveTo: async () => {
    throw new ConflictError(
      'CLOCK.REAL',
      'this runtime runs on the real clock, which cannot be moved; start it with --clock=simulated (or DAIBAN_CLOCK=simulated) to move time',
    );
  },
};

/** Where a simulated clock's offset is kept, so a restart carries on from the same simulated time. */
const SIMULATED_CLOCK_SETTING = 'simulated-clock';

/**
 * A simulated clock an admin may move forward. Its offset is saved in the table after every move: a runtime
 * restarted on simulated time carries on from there, instead of going back to a time before data it wrote.
 */
export function simulatedClockControl(clock: SimulatedClock, store: ReferenceStore): ClockControl {
  return {
    mode: 'simulated',
    async moveTo(instant) {
      const before = clock.now();
      if (!clock.moveTo(instant)) {
        throw new ConflictError(
          'CLOCK.BACKWARDS',
          `the clock only moves forward: ${instant.toISOString()} is before its now (${before.toISOString()})`,
        );
      }
      await store.putSetting(SIMULATED_CLOCK_SETTING, {
        offsetMs: clock.offsetMs,
        movedTo: instant.toISOString(),
      });
      return clock.now();
    },
  };
}

/** The offset a simulated clock ran at when the runtime last stopped (0 the first time). */
export async function savedSimulatedOffset(store: ReferenceStore): Promise<number> {
  const saved = await store.getSetting(SIMULATED_CLOCK_SETTING);
  const offset = saved?.value.offsetMs;
  return typeof offset === 'number' && Number.isFinite(offset) && offset > 0 ? offset : 0;
}
