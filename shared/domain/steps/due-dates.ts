import type { JointPart, StepDefinition } from '../chain.js';
import { DEFAULT_DEFERRED_SUPPLY_DAYS } from '../chain.js';
import { findStep } from '../chain-graph.js';
import { recountVerification, verificationCheckAt } from '../commitment.js';
import { deferralCheckAt, earliest, outstandingOf, recountDeferral } from '../deferred-materials.js';
import type { ProjectStep } from '../project.js';
import { DEFAULT_SLA_POLICY } from '../sla-policy.js';
import { nextCheckAt } from '../sla-timeline.js';
import { clockDue, type StepClock } from '../step-clock.js';
import { changed, type ProjectState, type Transition } from '../transition.js';
import { chinaDate } from '../working-days.js';
import { empty, itemOf, type LifecycleInput } from './lifecycle.js';

/**
 * The due fields of an item for its clock: set while it runs, absent while it stands still; and when the SLA
 * sweep must next look at it.
 */
export function withDue(
  item: ProjectStep,
  clock: StepClock,
  input: Pick<LifecycleInput, 'state' | 'calendar' | 'sla'>,
): ProjectStep {
  const { calendar } = input;
  const due = clockDue(calendar, clock);
  const {
    dueDate: _d,
    dueAt: _a,
    legalDueDate: _l,
    dueFlagged: _f,
    legalDueFlagged: _lf,
    slaCheckAt: _c,
    ...rest
  } = item;
  if (!due) return { ...rest, clock };
  const slaCheckAt = earliest(
    nextCheckAt(calendar, clock, item, input.sla ?? DEFAULT_SLA_POLICY, deemedAllowedFor(input.state, item)),
    deferralCheckAt(item),
  );
  return {
    ...rest,
    clock,
    dueDate: due.dueDate,
    dueAt: due.dueAt,
    legalDueDate: due.legalDueDate,
    ...(due.dueFlagged ? { dueFlagged: true } : {}),
    ...(due.legalDueFlagged ? { legalDueFlagged: true } : {}),
    ...(slaCheckAt ? { slaCheckAt } : {}),
  };
}

/**
 * Whether the SLA sweep may deem the item approved (超时默认) when its department misses the limit: its policy
 * allows it and no material accepted as missing (容缺) is still outstanding, for nothing approves the step until then.
 */
export function deemedAllowedFor(state: ProjectState, item: ProjectStep): boolean {
  const allowed = findStep(state.chain, item.stepId)?.step.policy.deemedApprovalAllowed ?? false;
  const step = item.partId ? state.items.get(item.stepId) : item;
  return allowed && outstandingOf(step ?? item).length === 0;
}

export const limitsOf = (definition: StepDefinition | JointPart) => ({
  promisedDays: definition.promisedDays ?? 0,
  legalDays: definition.legalDays ?? 0,
});

/** The dates an item derives from the calendar, as `due_recomputed` records them before and after. */
function derivedDates(item: ProjectStep) {
  return {
    dueDate: item.dueDate ?? null,
    dueFlagged: item.dueFlagged ?? false,
    legalDueDate: item.legalDueDate ?? null,
    legalDueFlagged: item.legalDueFlagged ?? false,
    supplyBy: item.deferred?.supplyBy ?? null,
    supplyByFlagged: item.deferred?.supplyByFlagged ?? false,
    verifyBy: item.commitment?.verifyBy ?? null,
    verifyByFlagged: item.commitment?.verifyByFlagged ?? false,
  };
}

/**
 * Every date of an item derived from the calendar computed again (an admin added or corrected a year's schedule, or
 * added or lifted a local closure): the due dates of a running clock on both limits (and so its yellow threshold and
 * the sweep's next look, which re-arms an item held on a guessed date), a 容缺 supply deadline still open, a
 * commitment's verification date still to come; each with its own flag. Nothing else changes. No change when every
 * date and flag stays as it is.
 */
export function recomputeDue(input: LifecycleInput, key: { stepId: string; partId?: string }): Transition {
  const item = itemOf(input, key.stepId, key.partId);
  const { calendar } = input;
  let after: ProjectStep = item;
  if (item.deferred && item.clock && !item.decidedAt) {
    const days =
      findStep(input.state.chain, item.stepId)?.step.policy.deferredSupplyDays ??
      DEFAULT_DEFERRED_SUPPLY_DAYS;
    after = {
      ...after,
      deferred: recountDeferral(item.deferred, days, calendar, chinaDate(new Date(item.clock.acceptedAt))),
    };
  }
  if (item.commitment) after = { ...after, commitment: recountVerification(item.commitment, calendar) };
  if (item.clock && !item.decidedAt) after = withDue(after, item.clock, input);
  else if (after.commitment !== item.commitment) {
    const { slaCheckAt: _c, ...rest } = after;
    const next = verificationCheckAt(rest);
    after = { ...rest, ...(next ? { slaCheckAt: next } : {}) };
  }
  const before = derivedDates(item);
  const now = derivedDates(after);
  if (JSON.stringify(before) === JSON.stringify(now)) return empty();
  return {
    changes: [changed(item, { ...after, updatedAt: input.now.toISOString() })],
    events: [
      {
        type: 'due_recomputed',
        stepId: key.stepId,
        ...(key.partId ? { partId: key.partId } : {}),
        before,
        after: now,
      },
    ],
    owed: [],
    relies: [],
  };
}
