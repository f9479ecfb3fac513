import { assertAllowed } from './access-policy.js';
import type { Decision } from './decision.js';
import type { DepartmentLevel } from './department.js';
import { NotFoundError } from './errors.js';
import type { Principal } from './principal.js';
import { itemKey, type ProjectStep } from './project.js';
import { decideStep } from './steps/decision.js';
import type { LifecycleInput } from './steps/lifecycle.js';
import type { ProjectState, Transition } from './transition.js';
import { deciderOf } from './upper-level-decision.js';

/** A step, or a part of a joint review. */
export type StepTarget = { stepId: string; partId?: string };

/** The item a request names (404 `STEP.NOT_FOUND` when the project has none). */
export function stepAt(state: Pick<ProjectState, 'items'>, target: StepTarget): ProjectStep {
  const item = state.items.get(itemKey(target));
  if (!item) {
    throw new NotFoundError(
      'STEP.NOT_FOUND',
      target.partId
        ? `this project has no step ${target.stepId} part '${target.partId}'`
        : `this project has no step '${target.stepId}'`,
    );
  }
  return item;
}

/**
 * The decision path's rule part, shared by every way a department's decision arrives: the policy (an officer of the
 * department; for a city or provincial department also the agent or the stage's lead department recording it on
 * its behalf, 上下协同) and the step lifecycle's pure transition. `input.now` is when it was decided (an upper-level
 * approval collected earlier is recorded at the moment it was collected).
 */
export function decisionTransition(
  principal: Principal,
  input: LifecycleInput,
  target: StepTarget,
  decision: Decision,
  departmentLevel: DepartmentLevel | undefined,
): Transition {
  const { state } = input;
  const item = stepAt(state, target);
  assertAllowed(principal, 'step.decide', {
    project: state.project,
    chain: state.chain,
    item,
    ...(departmentLevel ? { departmentLevel } : {}),
  });
  return decideStep(input, target, decision, deciderOf(principal, item, departmentLevel));
}
