import { expect } from 'vitest';
import { chineseDaysCalendar } from '../../shared/calendar/chinese-days-calendar.js';
import type { Decision } from '../../shared/domain/decision.js';
import { DomainError } from '../../shared/domain/errors.js';
import { itemKey } from '../../shared/domain/project.js';
import { decideStep } from '../../shared/domain/steps/decision.js';
import type { DecidedBy, LifecycleInput } from '../../shared/domain/steps/lifecycle.js';
import { submitStep } from '../../shared/domain/steps/submission.js';
import { resubmitStep } from '../../shared/domain/steps/supplement.js';
import type { ProjectState, Transition } from '../../shared/domain/transition.js';
import { afterTransition, chinaTime } from './project-state.js';

/** The real State Council schedule (chinese-days: 2004–2026), as the runtime uses it. */
export const calendar = chineseDaysCalendar();

/** The lifecycle's input at a China wall-clock time (`2026-03-02 10:00`). */
export const at = (state: ProjectState, wallClock: string): LifecycleInput => ({
  state,
  now: chinaTime(wallClock),
  calendar,
});

export const officer: DecidedBy = { userId: 'officer-zhao' };

/** The state after the agent submits a ready step with these materials at this China time. */
export const submitted = (
  state: ProjectState,
  stepId: string,
  wallClock: string,
  materials: string[] = [],
): ProjectState => afterTransition(state, submitStep(at(state, wallClock), stepId, { materials }));

/** The state after a decision on a step (or part) at this China time. */
export const decided = (
  state: ProjectState,
  target: { stepId: string; partId?: string },
  wallClock: string,
  decision: Decision,
): ProjectState => afterTransition(state, decideStep(at(state, wallClock), target, decision, officer));

/** The state after the agent supplies these materials at this China time. */
export const resubmitted = (
  state: ProjectState,
  stepId: string,
  wallClock: string,
  supplied: string[],
): ProjectState => afterTransition(state, resubmitStep(at(state, wallClock), stepId, { supplied }));

/** The domain error a call throws (fails the test when it throws none, or something else). */
export function refusal(act: () => unknown): DomainError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a refusal, but the call went through');
}

/** The domain error a decision on a step (or part) at this China time is refused with. */
export const decisionRefused = (
  state: ProjectState,
  target: { stepId: string; partId?: string },
  wallClock: string,
  decision: Decision,
): DomainError => refusal(() => decideStep(at(state, wallClock), target, decision, officer));

/**
 * What every transition must keep: each item changes at most once, from the state as read (the transaction's
 * condition is on that version), to a version exactly one higher.
 */
export function expectSoundChanges(state: ProjectState, transition: Transition): void {
  const keys = transition.changes.map((c) => itemKey(c.after));
  expect(keys, 'an item changed more than once in one transition').toEqual([...new Set(keys)]);
  for (const change of transition.changes) {
    const key = itemKey(change.after);
    expect(itemKey(change.before), key).toBe(key);
    expect(change.before, `${key} changes from the item as read`).toEqual(state.items.get(key));
    expect(change.after.version, `${key} goes up by one version`).toBe(change.before.version + 1);
  }
}
