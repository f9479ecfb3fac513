import { type Light, lightOf } from '../domain/lights.js';
import type { ProjectStep } from '../domain/project.js';
import { readClock } from '../domain/step-clock.js';
import type { AppContext } from './context.js';

/**
 * What a step's clock reads now: working days elapsed and left on both limits (DOMAIN.md 承诺时限/法定时限), and its
 * light (红黄灯) while the department holds it.
 */
export function clockView(ctx: AppContext, item: Pick<ProjectStep, 'clock' | 'decidedAt'>, now: Date) {
  if (!item.clock) return null;
  // a decided step's clock stopped at its decision: it reads as it did then
  const reading = readClock(ctx.calendar, item.clock, now, item.decidedAt);
  const closed = item.decidedAt !== undefined;
  return {
    light: closed ? null : lightOf(reading, item.clock.promisedDays, ctx.settings.sla),
    acceptedOn: item.clock.acceptedOn,
    promisedDays: item.clock.promisedDays,
    legalDays: item.clock.legalDays,
    running: !closed && !reading.paused,
    paused: !closed && reading.paused,
    elapsedWorkingDays: reading.elapsed,
    promisedDaysLeft: reading.promisedLeft,
    legalDaysLeft: reading.legalLeft,
    pausedWorkingDays: reading.pausedDays,
    pauses: item.clock.pauses,
  };
}

/** A step or part as an action's answer shows it: its ids, its state and what its clock reads now. */
export function itemView(ctx: AppContext, item: ProjectStep) {
  return {
    stepId: item.stepId,
    ...(item.partId ? { partId: item.partId } : {}),
    departmentId: item.departmentId,
    kind: item.kind,
    ...itemState(ctx, item, ctx.clock.now()),
  };
}

/** The state of a step or part as shown: everything but keys, versions and the clock's raw record. */
export function itemState(ctx: AppContext, item: ProjectStep, now: Date) {
  const {
    projectId: _p,
    version: _v,
    stepId: _s,
    partId: _pt,
    kind: _k,
    departmentId: _d,
    stageIndex: _i,
    clock: _c,
    slaCheckAt: _a,
    ...state
  } = item;
  return { ...state, clock: clockView(ctx, item, now) };
}

type WithLight = { clock?: { light: Light | null } | null };

/** The lights of the steps and parts still held by a department. */
export function lightsOf(steps: Array<WithLight & { parts?: WithLight[] }>): Light[] {
  return steps
    .flatMap((s) => [s, ...(s.parts ?? [])])
    .flatMap((s) => (s.clock?.light ? [s.clock.light] : []));
}
