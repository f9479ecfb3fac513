import { ConflictError } from '../errors.js';
import { brokenInvariants, describeBroken, invariantKey } from '../project-invariants.js';
import { type ProjectState, stateAfter, type Transition } from '../transition.js';

/**
 * Refuses a transition that would make the project contradict itself (see `project-invariants.ts`): a completed
 * project with an open step, a stage behind the project with a step not passed, an approval standing on a rejected
 * or revoked prerequisite, a returned project with nothing rejected. Only what the transition would break is
 * refused: a contradiction already stored (written before these checks) does not stop the change that repairs it.
 * Nothing is written; the caller gets a 409 `PROJECT.INVARIANT` naming what would break.
 */
export function assertInvariants(state: ProjectState, transition: Transition): void {
  const before = new Set(brokenInvariants(state).map(invariantKey));
  const broken = brokenInvariants(stateAfter(state, transition)).filter((b) => !before.has(invariantKey(b)));
  if (broken.length === 0) return;
  throw new ConflictError(
    'PROJECT.INVARIANT',
    `this change would make project ${state.project.code} contradict itself: ${describeBroken(broken)}; nothing was written`,
    { broken },
  );
}
