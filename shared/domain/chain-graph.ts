import type { Chain, JointPart, Stage, StepDefinition } from './chain.js';

/**
 * Questions about the shape of a chain: where a step sits, what it waits for inside its stage, who waits for it.
 * Stages run in order, so only prerequisites inside the same stage ever make a step wait (its gate).
 */

export interface StepLocation {
  step: StepDefinition;
  stage: Stage;
  stageIndex: number;
}

/** The step with this id and the stage it sits in, or undefined. */
export function findStep(chain: Chain, stepId: string): StepLocation | undefined {
  for (const [stageIndex, stage] of chain.stages.entries()) {
    const step = stage.steps.find((s) => s.id === stepId);
    if (step !== undefined) return { step, stage, stageIndex };
  }
  return undefined;
}

/** The part of a joint step with this id, or undefined (also for a step that is not a joint review). */
export function findPart(step: StepDefinition, partId: string): JointPart | undefined {
  return step.parts?.find((p) => p.id === partId);
}

/** Every step id of the chain, stage by stage. */
export function stepIdsOf(chain: Chain): string[] {
  return chain.stages.flatMap((stage) => stage.steps.map((s) => s.id));
}

/**
 * The prerequisites of a step that sit in its own stage: the steps its branch in the stage's `Parallel` waits
 * for. Prerequisites in earlier stages are already closed when the stage starts. Unknown step: [].
 */
export function inStagePrerequisites(chain: Chain, stepId: string): string[] {
  const found = findStep(chain, stepId);
  return found ? inStagePrerequisitesOf(found.stage, found.step) : [];
}

/** {@link inStagePrerequisites} for a step already found in its stage. */
export function inStagePrerequisitesOf(stage: Stage, step: StepDefinition): string[] {
  const inStage = new Set(stage.steps.map((s) => s.id));
  return [...new Set(step.prerequisites)].filter((p) => p !== step.id && inStage.has(p));
}

/** The steps of the same stage that list `stepId` as a prerequisite (whose gates it may open). Unknown step: []. */
export function dependentsInStage(chain: Chain, stepId: string): string[] {
  const found = findStep(chain, stepId);
  if (found === undefined) return [];
  return found.stage.steps
    .filter((s) => s.id !== stepId && s.prerequisites.includes(stepId))
    .map((s) => s.id);
}

/** How many step and part items a project on this chain has (a joint step is one item plus one per part). */
export function itemCountOf(chain: Chain): number {
  return chain.stages.reduce(
    (n, stage) => n + stage.steps.reduce((m, step) => m + 1 + (step.parts?.length ?? 0), 0),
    0,
  );
}

/** The departments that hold a step or a part of this chain (milestones have none). */
export function departmentsOf(chain: Chain): string[] {
  const ids = new Set<string>();
  for (const stage of chain.stages) {
    for (const step of stage.steps) {
      if (step.departmentId) ids.add(step.departmentId);
      for (const part of step.parts ?? []) ids.add(part.departmentId);
    }
  }
  return [...ids].sort();
}
