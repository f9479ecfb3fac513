import type { Resubmission } from '../decision.js';
import { ConflictError, InvalidInputError } from '../errors.js';
import type { ProjectStep } from '../project.js';
import { resumeClock } from '../step-clock.js';
import { changed, type ItemChange, partsOf, type Transition } from '../transition.js';
import { withDue } from './due-dates.js';
import { itemOf, type LifecycleInput } from './lifecycle.js';

/**
 * The agent supplies what a supplement notice asked for (补正): everything listed, or nothing changes. The clock
 * resumes (the working days it stood still move the due date on); of a joint review only the parts that asked
 * review again.
 */
export function resubmitStep(input: LifecycleInput, stepId: string, resubmission: Resubmission): Transition {
  const { state, now } = input;
  const step = itemOf(input, stepId);
  if (step.status !== 'supplement_requested') {
    throw new ConflictError(
      'STEP.NO_SUPPLEMENT_REQUESTED',
      `step ${stepId} is ${step.status}; a resubmission answers a supplement notice`,
      { status: step.status },
    );
  }
  const supplied = new Set(resubmission.supplied);
  const stillMissing = (step.missingMaterials ?? []).filter(
    (m) => !supplied.has(m.name) && !(m.materialId && supplied.has(m.materialId)),
  );
  if (stillMissing.length > 0) {
    throw new InvalidInputError(
      'STEP.SUPPLEMENT_INCOMPLETE',
      `the supplement notice also asked for: ${stillMissing.map((m) => m.name).join('; ')}`,
      { missing: stillMissing.map((m) => m.name) },
    );
  }
  const at = now.toISOString();
  const resumed = (item: ProjectStep): ProjectStep => {
    const { missingMaterials: _m, ...rest } = item;
    const base = { ...rest, status: 'in_review' as const, updatedAt: at };
    return item.clock ? withDue(base, resumeClock(item.clock, now), input) : base;
  };
  const changes: ItemChange[] = [changed(step, resumed(step))];
  const reviewing: string[] = [];
  for (const part of partsOf(state, stepId)) {
    if (part.status !== 'supplement_requested') continue;
    changes.push(changed(part, resumed(part)));
    reviewing.push(part.partId ?? '');
  }
  return {
    changes,
    events: [
      {
        type: 'step_resubmitted',
        stepId,
        before: { status: 'supplement_requested' },
        after: {
          status: 'in_review',
          ...(reviewing.length > 0
            ? { partsReviewingAgain: reviewing }
            : { dueDate: changes[0]?.after.dueDate }),
        },
        data: {
          supplied: resubmission.supplied,
          round: step.supplementRounds,
          ...(resubmission.note ? { note: resubmission.note } : {}),
        },
      },
    ],
    owed: [],
    relies: [],
  };
}
