import type { Decision } from '../domain/decision.js';
import { ConflictError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { ProjectStep } from '../domain/project.js';
import type { ProjectChange } from '../store/store.port.js';
import { assertCanDecide } from './access.js';
import type { AppContext } from './context.js';
import { newEvent } from './events.js';
import { loadStep } from './load.js';
import { workingDaysLeft } from './step-clock.js';
import { afterStepClosed } from './step-progress.js';

/**
 * A department officer decides a step in review. The step, its event and the project counters are written
 * in one transaction conditional on the step's status and version, so a stale or repeated decision is refused
 * (409) and never applied twice; then the waiting task is signalled and dependent gates open.
 */
export async function decideStep(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  stepId: string,
  decision: Decision,
): Promise<ProjectStep> {
  const { chain, definition, step } = await loadStep(ctx, projectId, stepId);
  assertCanDecide(principal, step);
  if (step.status !== 'in_review') {
    throw new ConflictError(
      'STEP.NOT_IN_REVIEW',
      `step ${stepId} is ${step.status}, not in review; ${
        step.status === 'ready'
          ? 'the agent has not submitted its materials yet'
          : step.status === 'supplement_requested'
            ? 'the agent has not supplied the missing materials yet'
            : 'it has already been decided'
      }`,
      { status: step.status },
    );
  }
  const now = ctx.clock.now();
  const at = now.toISOString();
  const decided = { decidedAt: at, decidedBy: principal.userId, updatedAt: at };
  // Every outcome but a supplement closes the step.
  const closes: ProjectChange = { add: { decisions: 1, stepsClosed: 1 } };
  let after: ProjectStep;
  let project: ProjectChange;
  switch (decision.outcome) {
    case 'approved':
      after = { ...step, ...decided, status: 'approved', outcome: 'approved' };
      project = closes;
      break;
    case 'approved_with_conditions':
      after = {
        ...step,
        ...decided,
        status: 'approved',
        outcome: decision.outcome,
        conditions: decision.conditions,
      };
      project = closes;
      break;
    case 'not_applicable':
      after = {
        ...step,
        ...decided,
        status: 'not_applicable',
        outcome: decision.outcome,
        reason: decision.reason,
      };
      project = closes;
      break;
    case 'rejected':
      after = {
        ...step,
        ...decided,
        status: 'rejected',
        outcome: decision.outcome,
        legalBasis: decision.legalBasis,
        reason: decision.reason,
      };
      project = { ...closes, set: { status: 'returned', returnedAt: at } };
      break;
    case 'supplement': {
      // The clock pauses: keep the working days that are left and resume them on resubmission.
      const left = workingDaysLeft(ctx, now, step);
      const promised = definition.promisedDays ?? 0;
      if (promised > 0 && (promised - left.promised) * 2 > promised) {
        throw new ConflictError(
          'STEP.SUPPLEMENT_TOO_LATE',
          `补不过半: a supplement may be requested only in the first half of the ${promised}-working-day limit; ` +
            `step ${stepId} has ${Math.max(0, left.promised)} working day(s) left, so decide it on the materials as they are`,
        );
      }
      after = {
        ...step,
        status: 'supplement_requested',
        missingMaterials: decision.missingMaterials,
        supplementRounds: step.supplementRounds + 1,
        remainingWorkingDays: Math.max(0, left.promised),
        remainingLegalWorkingDays: Math.max(0, left.legal),
        updatedAt: at,
      };
      project = { add: { decisions: 1, supplements: 1 } };
      break;
    }
  }
  const returnsProject = decision.outcome === 'rejected';
  const saved = await ctx.store.transitionStep({
    before: step,
    after,
    event: newEvent(ctx, {
      projectId,
      type: decision.outcome === 'supplement' ? 'supplement_requested' : 'step_decided',
      actor: principal,
      at,
      stepId,
      before: { status: step.status },
      after: {
        status: after.status,
        outcome: decision.outcome,
        ...(returnsProject ? { projectStatus: 'returned' } : {}),
      },
      data: {
        ...decision,
        // 一次性告知: a second request is recorded so it can be reviewed as a possible violation.
        ...(decision.outcome === 'supplement' && step.supplementRounds > 0 ? { repeatedRequest: true } : {}),
      },
    }),
    project,
  });
  if (decision.outcome !== 'supplement') await afterStepClosed(ctx, chain, saved);
  return saved;
}
