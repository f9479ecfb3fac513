import { startOfChinaDay, type WorkingDayCalendar } from './working-days.js';

/**
 * The escalation ladder (升级督办) of a limit that has passed, a step's or an efficiency complaint's alike: rung by rung
 * as the working days overdue pile up, each rung at the start of the working day it is due (a rung at 0 days comes
 * with red, the day after the due date). The policy names the rungs (sla-policy.ts); who hears of each is in
 * escalation-audiences.ts.
 */

/** A rung climbed: its place on the ladder (1 is the first) and its working days overdue. */
export type Escalation<R> = { kind: 'escalate'; level: number; rung: R; afterOverdueDays: number };

/** Each rung of the policy's ladder as a checkpoint after `dueDate` (`redAt`: the instant the limit turns red). */
export function ladderCheckpoints<R>(
  calendar: WorkingDayCalendar,
  dueDate: string,
  redAt: string,
  ladder: readonly { rung: R; afterOverdueDays: number }[],
): Array<Escalation<R> & { at: string }> {
  return ladder.map(({ rung, afterOverdueDays }, index) => ({
    kind: 'escalate',
    level: index + 1,
    rung,
    afterOverdueDays,
    at:
      afterOverdueDays === 0
        ? redAt
        : startOfChinaDay(calendar.addWorkingDays(dueDate, afterOverdueDays).date),
  }));
}

/** The rung a checkpoint climbs, as a sweep reports it. */
export const climbed = <R>({ level, rung, afterOverdueDays }: Escalation<R>): Escalation<R> => ({
  kind: 'escalate',
  level,
  rung,
  afterOverdueDays,
});
