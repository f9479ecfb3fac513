import { ConflictError } from '../errors.js';
import { type ClockPauseKind, openPause, pauseClock, resumeClock } from '../step-clock.js';
import { changed, type Transition } from '../transition.js';
import { withDue } from './due-dates.js';
import { itemOf, type LifecycleInput } from './lifecycle.js';

/**
 * The department declares a period the law excludes from its limit (听证, 专家评审, 检验检测, 现场勘查): the clock of
 * the step (or part) in review stands still until the department ends it (or the agent's resubmission does).
 */
export function pauseStepClock(
  input: LifecycleInput,
  target: { stepId: string; partId?: string },
  pause: {
    pauseId: string;
    kind: Exclude<ClockPauseKind, 'supplement'>;
    reason: string;
    expectedEnd?: string;
  },
): Transition {
  const item = itemOf(input, target.stepId, target.partId);
  const where = target.partId ? `part ${target.partId} of step ${target.stepId}` : `step ${target.stepId}`;
  if (item.status !== 'in_review' || !item.clock) {
    throw new ConflictError(
      'CLOCK.NOT_RUNNING',
      `${where} is ${item.status}; only a step in review has a clock to pause`,
      {
        status: item.status,
      },
    );
  }
  const clock = pauseClock(item.clock, input.now, pause);
  const after = withDue({ ...item, updatedAt: input.now.toISOString() }, clock, input);
  return {
    changes: [changed(item, after)],
    events: [
      {
        type: 'clock_paused',
        stepId: target.stepId,
        ...(target.partId ? { partId: target.partId } : {}),
        data: {
          kind: pause.kind,
          reason: pause.reason,
          ...(pause.expectedEnd ? { expectedEnd: pause.expectedEnd } : {}),
        },
      },
    ],
    owed: [],
    relies: [],
  };
}

/** The department ends a declared pause: the clock runs again, the due date moved on by the days it stood still. */
export function endStepClockPause(
  input: LifecycleInput,
  target: { stepId: string; partId?: string },
  by: string,
): Transition {
  const item = itemOf(input, target.stepId, target.partId);
  const current = item.clock ? openPause(item.clock) : undefined;
  if (!item.clock || !current || current.kind === 'supplement' || item.status !== 'in_review') {
    throw new ConflictError(
      'CLOCK.NOT_PAUSED',
      `${target.partId ? `part ${target.partId} of step ${target.stepId}` : `step ${target.stepId}`} has no declared pause to end`,
    );
  }
  const clock = resumeClock(item.clock, input.now, by);
  const after = withDue({ ...item, updatedAt: input.now.toISOString() }, clock, input);
  return {
    changes: [changed(item, after)],
    events: [
      {
        type: 'clock_resumed',
        stepId: target.stepId,
        ...(target.partId ? { partId: target.partId } : {}),
        before: { dueDate: item.dueDate ?? null },
        after: { dueDate: after.dueDate },
        data: { kind: current.kind, since: current.fromDate },
      },
    ],
    owed: [],
    relies: [],
  };
}
