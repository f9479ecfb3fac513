import { findStep } from '../chain-graph.js';
import { gateShouldOpen, gatesAfterClosing } from '../gates.js';
import { applyChanges, changed, type Transition } from '../transition.js';
import { empty, itemOf, type LifecycleInput } from './lifecycle.js';

/**
 * The step's task is waiting: a pending step opens (`ready`) unless it can never open, in which case it is
 * blocked and reports at once. Anything else is left as it is (a duplicate or late delivery).
 */
export function openStep(input: LifecycleInput, stepId: string): Transition {
  const { state, now } = input;
  const step = itemOf(input, stepId);
  if (step.status !== 'pending' || step.blocked) return empty();
  const at = now.toISOString();
  const stopped = gatesBlock(input, stepId);
  if (stopped !== undefined) {
    const change = changed(step, { ...step, blocked: true, updatedAt: at });
    const gates = gatesAfterClosing(applyChanges(state, [change]), change.after);
    return {
      changes: [change],
      events: [{ type: 'step_blocked', stepId, data: { reason: stopped } }],
      owed: [{ kind: 'report', stepId }, ...gates.owed],
      relies: gates.relies,
    };
  }
  // A task delivered before its gate opened (a misdelivery: the state machine never does this) opens nothing.
  if (!gateShouldOpen(state, stepId)) return empty();
  return {
    changes: [changed(step, { ...step, status: 'ready', openedAt: at, updatedAt: at })],
    events: [{ type: 'step_opened', stepId, before: { status: 'pending' }, after: { status: 'ready' } }],
    owed: [],
    relies: [],
  };
}

/** Why a pending step can never open, or undefined when it may. */
function gatesBlock(input: LifecycleInput, stepId: string): string | undefined {
  const { state } = input;
  if (state.project.status !== 'active') return `the project is ${state.project.status}`;
  for (const id of findStep(state.chain, stepId)?.step.prerequisites ?? []) {
    const prerequisite = state.items.get(id);
    if (prerequisite?.status === 'rejected') return `prerequisite step ${id} was rejected`;
    if (prerequisite?.blocked) return `prerequisite step ${id} was blocked`;
  }
  return undefined;
}
