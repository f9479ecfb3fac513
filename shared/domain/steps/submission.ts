import type { StepDefinition } from '../chain.js';
import { commitmentOf } from '../commitment.js';
import type { Submission } from '../decision.js';
import { deferralCheckAt, deferralOf } from '../deferred-materials.js';
import { ConflictError, InvalidInputError } from '../errors.js';
import { gatesAfterClosing } from '../gates.js';
import { startClock } from '../step-clock.js';
import { applyChanges, changed, type ItemChange, type Transition } from '../transition.js';
import { limitsOf, withDue } from './due-dates.js';
import { definitionOf, itemOf, type LifecycleInput } from './lifecycle.js';

/**
 * The agent submits a ready step's materials (申报). Every material the step lists must be there: what is missing
 * is named and nothing changes. An approval step goes into review and its clock starts (受理); each part of a joint
 * review starts its own clock; a milestone (e.g. 施工完成) is reported done.
 */
export function submitStep(input: LifecycleInput, stepId: string, submission: Submission): Transition {
  const { state, now, calendar } = input;
  const definition = definitionOf(input, stepId);
  const step = itemOf(input, stepId);
  if (step.status !== 'ready') {
    throw new ConflictError(
      'STEP.NOT_READY',
      `step ${stepId} is ${step.blocked ? 'blocked' : step.status}; materials can be submitted only when it is ready` +
        (step.blocked
          ? ' (a prerequisite was rejected or the project was returned: it opens again only once the rejected step is re-applied)'
          : step.status === 'pending'
            ? ' (its prerequisites are not all approved yet)'
            : ''),
      { status: step.status },
    );
  }
  const listed = new Map(definition.materials.map((m) => [m.id, m]));
  const unknown = [...new Set(submission.materials)].filter((id) => !listed.has(id));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      'STEP.UNKNOWN_MATERIAL',
      `step ${stepId} does not list material(s) ${unknown.slice(0, 5).join(', ')}; it lists: ${[...listed.keys()].join(', ') || 'none'}`,
    );
  }
  const handedIn = new Set(submission.materials);
  const missing = definition.materials.filter((m) => !handedIn.has(m.id));
  const { replaced, deferrable, required } = sortMissing(definition, missing, submission);
  if (definition.kind !== 'milestone' && required.length > 0) {
    throw new InvalidInputError(
      'STEP.MATERIALS_MISSING',
      `step ${stepId} cannot be accepted (受理) without: ${required.map((m) => `${m.name} (${m.id})`).join('; ')}`,
      { missing: required.map((m) => m.id) },
    );
  }
  const at = now.toISOString();
  if (definition.kind === 'milestone') {
    const change = changed(step, {
      ...step,
      status: 'approved',
      outcome: 'reported',
      submittedAt: at,
      decidedAt: at,
      updatedAt: at,
    });
    const gates = gatesAfterClosing(applyChanges(state, [change]), change.after);
    return {
      changes: [change],
      events: [
        {
          type: 'milestone_reported',
          stepId,
          before: { status: 'ready' },
          after: { status: 'approved' },
          ...(submission.note ? { data: { note: submission.note } } : {}),
        },
      ],
      project: { add: { stepsClosed: 1 } },
      owed: [{ kind: 'report', stepId }, ...gates.owed],
      relies: gates.relies,
    };
  }
  const accepted = { submittedAt: at, materialsSubmitted: [...handedIn], updatedAt: at };
  const deferred = deferrable.length > 0 ? deferralOf(definition, deferrable, calendar, now) : undefined;
  const commitment =
    submission.commitment && definition.policy.commitment
      ? commitmentOf(submission.commitment, replaced, definition.policy.commitment)
      : undefined;
  const onStep = { ...(deferred ? { deferred } : {}), ...(commitment ? { commitment } : {}) };
  const changes: ItemChange[] = [];
  const dueOf: Record<string, string | undefined> = {};
  if (definition.parts) {
    // A joint review's step item has no clock of its own: it carries the deferral and its deadline.
    const checkAt = deferralCheckAt(onStep);
    changes.push(
      changed(step, {
        ...step,
        status: 'in_review',
        ...accepted,
        ...onStep,
        ...(checkAt ? { slaCheckAt: checkAt } : {}),
      }),
    );
    for (const part of definition.parts) {
      const item = itemOf(input, stepId, part.id);
      if (item.status === 'not_applicable') continue; // closed at registration: nothing to review
      const clock = startClock(calendar, now, limitsOf(part));
      const after = withDue({ ...item, status: 'in_review', ...accepted }, clock, input);
      changes.push(changed(item, after));
      dueOf[part.id] = after.dueDate;
    }
  } else {
    const clock = startClock(calendar, now, limitsOf(definition));
    const after = withDue({ ...step, status: 'in_review', ...accepted, ...onStep }, clock, input);
    changes.push(changed(step, after));
    dueOf[stepId] = after.dueDate;
  }
  const first = changes[0]?.after ?? step;
  return {
    changes,
    events: [
      {
        type: 'step_submitted',
        stepId,
        before: { status: 'ready' },
        after: {
          status: 'in_review',
          ...(definition.parts
            ? { partsDue: dueOf }
            : { dueDate: first.dueDate, legalDueDate: first.legalDueDate }),
        },
        data: {
          materials: [...handedIn],
          ...(deferred ? { deferred: { materials: deferred.materials, supplyBy: deferred.supplyBy } } : {}),
          ...(commitment
            ? { commitment: { signatory: commitment.signatory, replaces: commitment.replaces } }
            : {}),
          ...(submission.note ? { note: submission.note } : {}),
        },
      },
    ],
    owed: [],
    relies: [],
  };
}

/**
 * The materials a submission leaves out, sorted: those the enterprise's commitment stands for (告知承诺制), those
 * the department accepts as missing for now (容缺受理), and those it cannot accept without.
 */
function sortMissing(
  definition: StepDefinition,
  missing: StepDefinition['materials'],
  submission: Submission,
): { replaced: typeof missing; deferrable: typeof missing; required: typeof missing } {
  const policy = definition.policy.commitment;
  if (submission.commitment && !policy) {
    throw new InvalidInputError(
      'STEP.NO_COMMITMENT',
      `step ${definition.id} takes no commitment (告知承诺制) instead of materials; submit its materials`,
    );
  }
  const replaced =
    submission.commitment && policy ? missing.filter((m) => policy.materials.includes(m.id)) : [];
  const rest = missing.filter((m) => !replaced.includes(m));
  const deferrable = definition.policy.acceptWithMinorMissing ? rest.filter((m) => m.deferrable) : [];
  const required = rest.filter((m) => !deferrable.includes(m));
  // (what cannot be left out is named first: the caller refuses the submission for it)
  if (submission.commitment && policy && replaced.length === 0 && required.length === 0) {
    throw new InvalidInputError(
      'STEP.COMMITMENT_REPLACES_NOTHING',
      `the commitment stands for ${policy.materials.join(', ')} on step ${definition.id}, and every one of them was handed in; submit without it`,
    );
  }
  return { replaced, deferrable, required };
}
