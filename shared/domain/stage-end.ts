import { isPassed } from './step-status.js';
import type { ProjectState } from './transition.js';

/**
 * What the end of a stage's execution means for the project (its `FinishStage` task): the project moves on to the
 * next stage, or is completed after the last, only when it is active, in that very stage, and every step of the
 * stage passed (approved, deemed approved or not applicable). Anything else is a late or stale report (an execution
 * of a stage a revoked approval took the project back from, a returned project): nothing moves.
 */
export type StageEnd =
  | { kind: 'advance'; nextStage: number }
  | { kind: 'complete' }
  | { kind: 'none'; why: string };

export function stageEnd(
  state: Pick<ProjectState, 'project' | 'chain' | 'items'>,
  stageIndex: number,
): StageEnd {
  const { project, chain } = state;
  if (project.status !== 'active') return { kind: 'none', why: `the project is ${project.status}` };
  if (stageIndex !== project.currentStageIndex) {
    return { kind: 'none', why: `the project is in stage ${project.currentStageIndex}, not ${stageIndex}` };
  }
  const open = (chain.stages[stageIndex]?.steps ?? [])
    .map((step) => state.items.get(step.id))
    .filter((item) => item !== undefined && !isPassed(item.status))
    .map((item) => `${item?.stepId} (${item?.status})`);
  if (open.length > 0) return { kind: 'none', why: `steps of the stage have not passed: ${open.join(', ')}` };
  return stageIndex >= chain.stages.length - 1
    ? { kind: 'complete' }
    : { kind: 'advance', nextStage: stageIndex + 1 };
}
