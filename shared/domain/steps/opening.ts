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
  return opening(state, stepId, () => stageEnd(state, state.project.currentStageIndex).kind === 'advance');
}

/** Every step of the project that is opening (see {@link stepOpening}), in chain order. */
export function stepsOpening(state: ProjectState): string[] {
  // whether the current stage ends is the same question for every step of the next one: asked once
  let advances: boolean | undefined;
  const stageAdvances = () =>
    (advances ??= stageEnd(state, state.project.currentStageIndex).kind === 'advance');
  return state.chain.stages.flatMap((stage) =>
    stage.steps.map((s) => s.id).filter((stepId) => opening(state, stepId, stageAdvances)),
  );
}

function opening(state: ProjectState, stepId: string, stageAdvances: () => boolean): boolean {
  const step = state.items.get(stepId);
  if (!step || step.partId || step.status !== 'pending' || step.blocked) return false;
  if (state.project.status !== 'active') return false;
  const current = state.project.currentStageIndex;
  if (step.stageIndex === current) return gateShouldOpen(state, stepId);
  return (
    step.stageIndex === current + 1 &&
    stageAdvances() &&
    inStagePrerequisites(state.chain, stepId).length === 0
  );
}
