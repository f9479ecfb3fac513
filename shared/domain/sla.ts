import { findStep } from './chain-graph.js';
import type { Light } from './lights.js';
import { itemKey, type ProjectStep } from './project.js';
import type { EscalationRung, SlaPolicy } from './sla-policy.js';
import { DEFAULT_SLA_POLICY } from './sla-policy.js';
import { nextCheckAt, pendingCheckpoints, slaTimeline } from './sla-timeline.js';
import { openPause } from './step-clock.js';
import { decideStep, type LifecycleInput } from './step-lifecycle.js';
import { applyChanges, changed, type EventDraft, squashChanges, type Transition } from './transition.js';

/** What the SLA sweep did to an item, for notifications, notices and the department's counters. */
export type SlaAction =
  | { kind: 'yellow' }
  | { kind: 'red'; dueDate: string }
  | {
      kind: 'escalate';
      level: number;
      rung: EscalationRung;
      afterOverdueDays: number;
    }
  | { kind: 'deemed'; dueDate: string };

/**
 * The SLA sweep's step on one item in review at `now`: every checkpoint due and not yet acted on is acted on, in
 * order (a light, the breach, the rungs of the escalation ladder, 超时默认 through the same decision path as an
 * officer's), and the item learns when to be looked at next. Nothing due: nothing changes (a second sweep at the
 * same instant is a no-op). A step held by a city or provincial department (`heldUpstairs`) is never deemed
 * approved: a district cannot approve on a higher level's behalf; it goes on climbing the ladder instead.
 */
export function slaStep(
  input: LifecycleInput,
  target: { stepId: string; partId?: string },
  options: { heldUpstairs?: boolean } = {},
): { transition: Transition; actions: SlaAction[] } {
  const { state, now, calendar } = input;
  const policy: SlaPolicy = input.sla ?? DEFAULT_SLA_POLICY;
  const nothing = { transition: { changes: [], events: [], owed: [], relies: [] }, actions: [] };
  const item = state.items.get(itemKey(target));
  if (item?.status !== 'in_review' || !item.clock || openPause(item.clock) || !item.dueDate) return nothing;
  const deemedAllowed =
    !options.heldUpstairs && (findStep(state.chain, item.stepId)?.step.policy.deemedApprovalAllowed ?? false);
  const at = now.toISOString();
  const due = pendingCheckpoints(slaTimeline(calendar, item.clock, policy, deemedAllowed), item).filter(
    (c) => c.at <= at,
  );
  if (due.length === 0) {
    const next = nextCheckAt(calendar, item.clock, item, policy, deemedAllowed);
    if (next === item.slaCheckAt) return nothing;
    return {
      transition: {
        ...nothing.transition,
        changes: [changed(item, { ...item, ...(next ? { slaCheckAt: next } : {}) })],
      },
      actions: [],
    };
  }
  let light: Light = item.light ?? 'green';
  let escalationLevel = item.escalationLevel ?? 0;
  const events: EventDraft[] = [];
  const actions: SlaAction[] = [];
  const where = { stepId: item.stepId, ...(item.partId ? { partId: item.partId } : {}) };
  let deem = false;
  for (const checkpoint of due) {
    switch (checkpoint.kind) {
      case 'yellow':
        events.push({
          type: 'sla_light_changed',
          ...where,
          before: { light },
          after: { light: 'yellow' },
          data: { dueDate: item.dueDate },
        });
        light = 'yellow';
        actions.push({ kind: 'yellow' });
        break;
      case 'red':
        events.push({
          type: 'sla_breached',
          ...where,
          before: { light },
          after: { light: 'red' },
          data: { dueDate: item.dueDate },
        });
        light = 'red';
        actions.push({ kind: 'red', dueDate: item.dueDate });
        break;
      case 'escalate':
        events.push({
          type: 'sla_escalated',
          ...where,
          before: { escalationLevel },
          after: { escalationLevel: checkpoint.level },
          data: {
            rung: checkpoint.rung,
            afterOverdueDays: checkpoint.afterOverdueDays,
            dueDate: item.dueDate,
          },
        });
        escalationLevel = checkpoint.level;
        actions.push({
          kind: 'escalate',
          level: checkpoint.level,
          rung: checkpoint.rung,
          afterOverdueDays: checkpoint.afterOverdueDays,
        });
        break;
      case 'deemed':
        deem = true;
        break;
    }
  }
  const marked: ProjectStep = { ...item, light, escalationLevel, updatedAt: at };
  const markedChange = changed(item, marked);
  if (!deem) {
    const next = nextCheckAt(calendar, item.clock, marked, policy, deemedAllowed);
    const { slaCheckAt: _c, ...rest } = markedChange.after;
    return {
      transition: {
        changes: [{ before: item, after: next ? { ...rest, slaCheckAt: next } : rest }],
        events,
        owed: [],
        relies: [],
      },
      actions,
    };
  }
  // 超时默认: the same decision path as an officer's, on the item as marked.
  const decided = decideStep(
    { ...input, state: applyChanges(state, [markedChange]) },
    target,
    {
      outcome: 'deemed_approved',
      reason: `超时默认: the department did not decide within its promised limit (due ${item.dueDate})`,
    },
    { userId: 'system', via: 'sla' },
  );
  actions.push({ kind: 'deemed', dueDate: item.dueDate });
  return {
    transition: {
      ...decided,
      changes: squashChanges([markedChange, ...decided.changes]),
      events: [...events, ...decided.events],
    },
    actions,
  };
}
