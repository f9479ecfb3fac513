import { z } from 'zod';
import { DEFAULT_DEFERRED_SUPPLY_DAYS, type Material, type StepDefinition } from './chain.js';
import { ChinaDateSchema, InstantSchema } from './time.js';
import { addCalendarDays, chinaDate, startOfChinaDay, type WorkingDayCalendar } from './working-days.js';

/**
 * 容缺受理 (DOMAIN.md "Rules the system enforces"): for materials the chain marks deferrable, the department accepts
 * a submission without them and gives the applicant a deadline to supply them; the clock runs; the step cannot be
 * approved until they are in. A deadline missed is the applicant's breach, not the department's.
 */

const DeferredMaterialSchema = z.object({ materialId: z.string(), name: z.string() });

export const DeferredSchema = z.object({
  /** still to be supplied */
  materials: z.array(DeferredMaterialSchema),
  /** supplied since, and when */
  supplied: z.array(DeferredMaterialSchema.extend({ at: InstantSchema })),
  /** the last China date to supply them on */
  supplyBy: ChinaDateSchema,
  /** the day counting started from (the working day of acceptance), so a calendar change can count it again */
  from: ChinaDateSchema.optional(),
  /** `supplyBy` is a guess: a day counted falls in a year whose official schedule the calendar lacks */
  supplyByFlagged: z.boolean().optional(),
  /** the deadline passed with materials still missing (the applicant's breach) */
  missed: z.boolean().optional(),
});
export type Deferred = z.infer<typeof DeferredSchema>;

/** The deferral a submission with these deferrable materials missing gets, due so many working days on. */
export function deferralOf(
  definition: StepDefinition,
  missing: readonly Material[],
  calendar: WorkingDayCalendar,
  now: Date,
): Deferred {
  const days = definition.policy.deferredSupplyDays ?? DEFAULT_DEFERRED_SUPPLY_DAYS;
  const today = chinaDate(now);
  const start = calendar.isWorkingDay(today) ? today : calendar.workingDayOnOrAfter(today).date;
  const supplyBy = calendar.addWorkingDays(start, days);
  return {
    materials: missing.map((m) => ({ materialId: m.id, name: m.name })),
    supplied: [],
    supplyBy: supplyBy.date,
    from: start,
    ...(supplyBy.flagged || !calendar.isKnownYear(start) ? { supplyByFlagged: true } : {}),
  };
}

/**
 * The deferral's deadline counted again on the calendar as it now is (an admin added a year or a closure). Old
 * records without `from` count from the clock's acceptance day. Returned unchanged when nothing is left to supply.
 */
export function recountDeferral(
  deferred: Deferred,
  days: number,
  calendar: WorkingDayCalendar,
  fallbackFrom: string,
): Deferred {
  if (deferred.materials.length === 0 || deferred.missed) return deferred;
  const from = deferred.from ?? fallbackFrom;
  const start = calendar.workingDayOnOrAfter(from).date;
  const supplyBy = calendar.addWorkingDays(start, days);
  const { supplyByFlagged: _f, ...rest } = deferred;
  return {
    ...rest,
    supplyBy: supplyBy.date,
    from,
    ...(supplyBy.flagged || !calendar.isKnownYear(start) ? { supplyByFlagged: true } : {}),
  };
}

/** Materials accepted as missing and not yet supplied. */
export const outstandingOf = (item: { deferred?: Deferred }): Deferred['materials'] =>
  item.deferred?.materials ?? [];

/** When the sweep must look at the deferral: the day after its deadline, while materials are missing and unrecorded. */
export function deferralCheckAt(item: { deferred?: Deferred }): string | undefined {
  const deferred = item.deferred;
  if (!deferred || deferred.missed || deferred.materials.length === 0) return undefined;
  return startOfChinaDay(addCalendarDays(deferred.supplyBy, 1));
}

/** The earliest of some instants (undefined when none is given). */
export function earliest(...instants: Array<string | undefined>): string | undefined {
  return instants.filter((i): i is string => i !== undefined).sort()[0];
}
