import { findStep } from './chain-graph.js';
import type { ProjectStep } from './project.js';
import { isPassed } from './step-status.js';
import type { ProjectState } from './transition.js';

/**
 * What a project may never say of itself (DOMAIN.md "A project never contradicts itself"), as a pure check of a
 * project as read or as it would be after a transition:
 * - a completed project has no open step: every step passed;
 * - a stage is done only when each of its steps is closed: every stage behind the project's current one passed;
 * - nothing is approved while one of its prerequisites stands rejected or revoked (or is not approved at all);
 * - a returned project completes nothing: it is returned only while one of its steps stands rejected, and is
 *   never completed while one does.
 * Each broken invariant is one line naming the step and what contradicts it; none: the project is consistent.
 */

export type BrokenInvariant = {
  invariant:
    | 'completed_has_open_step'
    | 'stage_done_with_open_step'
    | 'approved_on_unpassed_prerequisite'
    | 'returned_without_rejection'
    | 'active_with_rejection';
  stepId?: string;
  /** for an approval on a prerequisite not passed: that prerequisite */
  prerequisiteId?: string;
  message: string;
};

/** What identifies a broken invariant whatever the statuses it names (to tell a new contradiction from an old one). */
export const invariantKey = (b: BrokenInvariant): string =>
  [b.invariant, b.stepId ?? '', b.prerequisiteId ?? ''].join(':');

const approves = (item: ProjectStep): boolean =>
  item.status === 'approved' || item.status === 'deemed_approved';

const describe = (item: ProjectStep): string =>
  item.status === 'rejected' && item.outcome === 'revoked'
    ? 'revoked'
    : item.blocked
      ? 'blocked'
      : item.status;

/** The invariants this project state breaks (none: an empty list). */
export function brokenInvariants(
  state: Pick<ProjectState, 'project' | 'chain' | 'items'>,
): BrokenInvariant[] {
  const { project, chain, items } = state;
  const broken: BrokenInvariant[] = [];
  const steps = chain.stages.flatMap((stage, stageIndex) =>
    stage.steps.map((step) => ({ step, stageIndex, item: items.get(step.id) })),
  );
  for (const { step, stageIndex, item } of steps) {
    if (!item) continue;
    if (project.status === 'completed' && !isPassed(item.status)) {
      broken.push({
        invariant: 'completed_has_open_step',
        stepId: step.id,
        message: `the project is completed but step ${step.id} is ${describe(item)}`,
      });
    } else if (
      (project.status === 'active' || project.status === 'returned') &&
      stageIndex < project.currentStageIndex &&
      !isPassed(item.status)
    ) {
      broken.push({
        invariant: 'stage_done_with_open_step',
        stepId: step.id,
        message: `stage ${chain.stages[stageIndex]?.id ?? stageIndex} is behind the project (in stage ${
          chain.stages[project.currentStageIndex]?.id ?? project.currentStageIndex
        }) but its step ${step.id} is ${describe(item)}`,
      });
    }
    if (approves(item)) {
      for (const id of step.prerequisites) {
        const prerequisite = items.get(id);
        if (!prerequisite || isPassed(prerequisite.status) || !findStep(chain, id)) continue;
        broken.push({
          invariant: 'approved_on_unpassed_prerequisite',
          stepId: step.id,
          prerequisiteId: id,
          message: `step ${step.id} is ${item.status} while its prerequisite ${id} is ${describe(prerequisite)}`,
        });
      }
    }
  }
  const rejected = steps.filter((s) => s.item?.status === 'rejected').map((s) => s.step.id);
  if (project.status === 'returned' && rejected.length === 0) {
    broken.push({
      invariant: 'returned_without_rejection',
      message: 'the project is returned but none of its steps stands rejected',
    });
  }
  if (project.status === 'active' && rejected.length > 0) {
    broken.push({
      invariant: 'active_with_rejection',
      message: `the project is active while step ${rejected.join(', ')} stands rejected (it should be returned)`,
    });
  }
  return broken;
}

/** The broken invariants as one sentence (for a refusal). */
export const describeBroken = (broken: readonly BrokenInvariant[]): string =>
  broken.map((b) => b.message).join('; ');
