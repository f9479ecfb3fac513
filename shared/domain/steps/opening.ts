import { inStagePrerequisites } from '../chain-graph.js';
import { gateShouldOpen } from '../gates.js';
import { stageEnd } from '../stage-end.js';
import type { ProjectState } from '../transition.js';

/**
 * Read-your-writes (即写即读): a pending step that opens without anyone acting, once the engine's task handlers have
 * run. It is in the project's current stage with every in-stage prerequisite passed, or among the first steps of
 * the next stage when every step of the current one has passed (the stage's end is still to be handled).
 *
 * An answer that opened such a step (a registration, a decision, minutes, a collection) describes it as ready; reads
 * show it `ready` with `opening: true`, and a submission or a batch arriving meanwhile waits for it.
 */
export function stepOpening(state: ProjectState, stepId: string): boolean {
  const step = state.items.get(stepId);
  if (!step || step.partId || step.status !== 'pending' || step.blocked) return false;
  if (state.project.status !== 'active') return false;
  const current = state.project.currentStageIndex;
  if (step.stageIndex === current) return gateShouldOpen(state, stepId);
  return (
    step.stageIndex === current + 1 &&
    stageEnd(state, current).kind === 'advance' &&
    inStagePrerequisites(state.chain, stepId).length === 0
  );
}

/** Every step of the project that is opening (see {@link stepOpening}), in chain order. */
export function stepsOpening(state: ProjectState): string[] {
  return state.chain.stages.flatMap((stage) =>
    stage.steps.map((s) => s.id).filter((stepId) => stepOpening(state, stepId)),
  );
}
