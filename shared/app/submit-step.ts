import type { Resubmission, Submission } from '../domain/decision.js';
import { ConflictError, InvalidInputError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { ProjectStep } from '../domain/project.js';
import { assertIsProjectAgent } from './access.js';
import type { AppContext } from './context.js';
import { newEvent } from './events.js';
import { loadStep } from './load.js';
import { startClock } from './step-clock.js';
import { afterStepClosed } from './step-progress.js';

/**
 * The agent submits a ready step's materials (申报): the step goes into review and the department's clock
 * starts against the promised limit, counted in working days. A milestone step (e.g. 施工完成) is reported
 * done by the same call.
 */
export async function submitStep(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  stepId: string,
  submission: Submission,
): Promise<ProjectStep> {
  const loaded = await loadStep(ctx, projectId, stepId);
  const { project, chain, definition, step } = loaded;
  assertIsProjectAgent(principal, project);
  if (step.status !== 'ready') {
    throw new ConflictError(
      'STEP.NOT_READY',
      `step ${stepId} is ${step.status}${step.blocked ? ' (blocked)' : ''}; materials can be submitted only when it is ready`,
      { status: step.status },
    );
  }
  const known = new Set(definition.materials.map((m) => m.id));
  const unknown = submission.materials.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new InvalidInputError(
      'STEP.UNKNOWN_MATERIAL',
      `step ${stepId} does not list material(s) ${unknown.join(', ')}; it lists: ${[...known].join(', ') || 'none'}`,
    );
  }
  const now = ctx.clock.now();
  const at = now.toISOString();

  if (definition.kind === 'milestone') {
    const after: ProjectStep = {
      ...step,
      status: 'approved',
      outcome: 'reported',
      submittedAt: at,
      decidedAt: at,
      decidedBy: principal.userId,
      updatedAt: at,
    };
    const saved = await ctx.store.transitionStep({
      before: step,
      after,
      event: newEvent(ctx, {
        projectId,
        type: 'milestone_reported',
        actor: principal,
        at,
        stepId,
        before: { status: step.status },
        after: { status: 'approved' },
        data: submission.note ? { note: submission.note } : undefined,
      }),
      project: { add: { stepsClosed: 1 } },
    });
    await afterStepClosed(ctx, chain, saved);
    return saved;
  }

  const due = startClock(ctx, now, {
    promisedDays: definition.promisedDays ?? 0,
    legalDays: definition.legalDays ?? 0,
  });
  const missing = definition.materials.filter((m) => !submission.materials.includes(m.id)).map((m) => m.id);
  const after: ProjectStep = {
    ...step,
    status: 'in_review',
    submittedAt: at,
    materialsSubmitted: submission.materials,
    ...due,
    updatedAt: at,
  };
  return ctx.store.transitionStep({
    before: step,
    after,
    event: newEvent(ctx, {
      projectId,
      type: 'step_submitted',
      actor: principal,
      at,
      stepId,
      before: { status: step.status },
      after: { status: 'in_review', dueDate: due.dueDate, legalDueDate: due.legalDueDate },
      data: { materials: submission.materials, notSubmitted: missing, note: submission.note },
    }),
  });
}

/**
 * The agent supplies what a supplement request asked for (补正): the clock resumes with the working days
 * that were left when it paused, and the step is back in review.
 */
export async function resubmitStep(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  stepId: string,
  resubmission: Resubmission,
): Promise<ProjectStep> {
  const { project, step } = await loadStep(ctx, projectId, stepId);
  assertIsProjectAgent(principal, project);
  if (step.status !== 'supplement_requested') {
    throw new ConflictError(
      'STEP.NO_SUPPLEMENT_REQUESTED',
      `step ${stepId} is ${step.status}; a resubmission answers a supplement request`,
      { status: step.status },
    );
  }
  const asked = step.missingMaterials ?? [];
  const supplied = new Set(resubmission.supplied);
  const stillMissing = asked.filter(
    (m) => !supplied.has(m.name) && !(m.materialId && supplied.has(m.materialId)),
  );
  if (stillMissing.length) {
    throw new InvalidInputError(
      'STEP.SUPPLEMENT_INCOMPLETE',
      `the supplement request also asked for: ${stillMissing.map((m) => m.name).join('; ')}`,
    );
  }
  const now = ctx.clock.now();
  const at = now.toISOString();
  const due = startClock(ctx, now, {
    promisedDays: step.remainingWorkingDays ?? 0,
    legalDays: step.remainingLegalWorkingDays ?? 0,
    flagged: step.dueFlagged,
  });
  const after: ProjectStep = {
    ...step,
    status: 'in_review',
    ...due,
    remainingWorkingDays: undefined,
    remainingLegalWorkingDays: undefined,
    updatedAt: at,
  };
  return ctx.store.transitionStep({
    before: step,
    after,
    event: newEvent(ctx, {
      projectId,
      type: 'step_resubmitted',
      actor: principal,
      at,
      stepId,
      before: { status: step.status },
      after: { status: 'in_review', dueDate: due.dueDate },
      data: { supplied: resubmission.supplied, note: resubmission.note, round: step.supplementRounds },
    }),
  });
}
