import { assertAllowed } from '../domain/access-policy.js';
import {
  type CalendarOverrides,
  CalendarOverridesSchema,
  NO_OVERRIDES,
  type YearSchedule,
  yearScheduleProblems,
} from '../domain/calendar-overrides.js';
import { ConflictError, InvalidInputError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { SYSTEM_ACTOR } from '../domain/principal.js';
import { recomputeDue } from '../domain/step-lifecycle.js';
import { applyTransition, retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { lifecycleInput } from './context.js';
import { CALENDAR_SETTING } from './live-settings.js';
import { loadState } from './load.js';

/** The calendar as it stands: the years with an official schedule, and what the admin added. */
export async function calendarView(ctx: AppContext) {
  await ctx.settings.refresh(ctx.store, { force: true });
  return { knownYears: ctx.calendar.knownYears, overrides: ctx.settings.overrides };
}

/**
 * An admin gives a year's schedule (or corrects one) or a local closure: stored in the table, applied at once in
 * every process, and every due date that was flagged (counted on weekends only) is computed again.
 */
export async function changeCalendar(
  ctx: AppContext,
  principal: Principal,
  change: { year: number; schedule: YearSchedule } | { closure: string; reason: string | null },
): Promise<{ recomputed: number; stillFlagged: number }> {
  assertAllowed(principal, 'admin.operate');
  if ('year' in change) {
    const problems = yearScheduleProblems(change.year, change.schedule);
    if (problems.length > 0) {
      throw new InvalidInputError(
        'CALENDAR.INVALID',
        `the ${change.year} schedule is invalid: ${problems.join('; ')}`,
        {
          problems,
        },
      );
    }
  }
  for (let attempt = 0; ; attempt += 1) {
    const current = await ctx.store.getSetting(CALENDAR_SETTING);
    const overrides: CalendarOverrides = current
      ? CalendarOverridesSchema.parse(current.value)
      : NO_OVERRIDES;
    const next: CalendarOverrides =
      'year' in change
        ? { ...overrides, years: { ...overrides.years, [String(change.year)]: change.schedule } }
        : {
            ...overrides,
            closures: Object.fromEntries(
              Object.entries({ ...overrides.closures, [change.closure]: change.reason }).filter(
                (entry): entry is [string, string] => entry[1] !== null,
              ),
            ),
          };
    const written = await ctx.store.putSetting(CALENDAR_SETTING, next, {
      expectedRevision: current?.revision ?? null,
    });
    if (written) break;
    if (attempt >= 3)
      throw new ConflictError(
        'CALENDAR.BUSY',
        'the calendar was being changed at the same moment; try again',
      );
  }
  await ctx.settings.refresh(ctx.store, { force: true });
  return recomputeFlagged(ctx);
}

/** Computes again the due dates of every step or part still flagged. */
export async function recomputeFlagged(
  ctx: AppContext,
): Promise<{ recomputed: number; stillFlagged: number }> {
  let recomputed = 0;
  let stillFlagged = 0;
  let cursor: string | undefined;
  do {
    const page = await ctx.store.listFlaggedItems({ limit: 100, ...(cursor ? { cursor } : {}) });
    cursor = page.cursor;
    for (const item of page.items) {
      const outcome = await retryOnConflict(async (): Promise<'recomputed' | 'unchanged'> => {
        const state = await loadState(ctx, item.projectId);
        const transition = recomputeDue(lifecycleInput(ctx, state, ctx.clock.now()), item);
        if (transition.changes.length === 0) return 'unchanged';
        await applyTransition(ctx, state, transition, { actor: SYSTEM_ACTOR });
        return 'recomputed';
      });
      if (outcome === 'recomputed') recomputed += 1;
      else stillFlagged += 1;
    }
  } while (cursor);
  return { recomputed, stillFlagged };
}
