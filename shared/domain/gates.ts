import { dependentsInStage, inStagePrerequisites } from './chain-graph.js';
import type { ProjectStep } from './project.js';
import { isClosed, isPassed } from './step-status.js';
import type { Owed, ProjectState } from './transition.js';

/**
 * A step waits at its gate until every prerequisite inside its stage has passed (并联审批: nothing else holds it).
 * The gate also opens when the step can never open (a prerequisite was rejected or blocked, or the project was
 * returned or withdrawn), so that the step's task ends as `blocked` instead of waiting forever.
 */

/** The in-stage prerequisite that stops a step from ever opening (rejected, or itself blocked), if any. */
export function stoppingPrerequisite(state: ProjectState, stepId: string): ProjectStep | undefined {
  return inStagePrerequisites(state.chain, stepId)
    .map((id) => state.items.get(id))
    .find((p) => p !== undefined && (p.status === 'rejected' || p.blocked === true));
}

/** Whether the step's gate may open now. */
export function gateShouldOpen(state: ProjectState, stepId: string): boolean {
  if (state.project.status !== 'active') return true;
  const self = state.items.get(stepId);
  if (self && (isClosed(self.status) || self.blocked)) return true;
  if (stoppingPrerequisite(state, stepId)) return true;
  return inStagePrerequisites(state.chain, stepId).every((id) => {
    const prerequisite = state.items.get(id);
    return prerequisite !== undefined && isPassed(prerequisite.status);
  });
}

/**
 * For steps whose gates a change may have moved: the gates owed an opening, and the items the answer relied on.
 * A gate still waiting relies on its own item (its token may be stored meanwhile) and on each prerequisite not yet
 * passed (it may pass meanwhile): the transaction checks their versions, so a concurrent change to any of them
 * makes one side try again and see the other (see `shared/app/commit.ts`).
 */
export function gatesToRelease(
  state: ProjectState,
  stepIds: readonly string[],
): { owed: Owed[]; relies: string[] } {
  const owed: Owed[] = [];
  const relies = new Set<string>();
  for (const stepId of stepIds) {
    const step = state.items.get(stepId);
    if (step?.status !== 'pending' || step.blocked) continue;
    relies.add(stepId);
    if (gateShouldOpen(state, stepId)) {
      owed.push({ kind: 'open_gate', stepId });
      continue;
    }
    for (const id of inStagePrerequisites(state.chain, stepId)) {
      const prerequisite = state.items.get(id);
      if (prerequisite && !isPassed(prerequisite.status)) relies.add(id);
    }
  }
  return { owed, relies: [...relies] };
}

/** The gates a closed (or blocked) step may open: its dependents, or, when the project stopped, every waiting step of the stage. */
export function gatesAfterClosing(
  state: ProjectState,
  step: ProjectStep,
): { owed: Owed[]; relies: string[] } {
  if (state.project.status !== 'active') {
    const stage = state.chain.stages[step.stageIndex];
    return gatesToRelease(state, stage ? stage.steps.map((s) => s.id) : []);
  }
  return gatesToRelease(state, dependentsInStage(state.chain, step.stepId));
}
