import type { StepDefinition } from '../chain.js';
import { approvedOnCommitment, verificationCheckAt } from '../commitment.js';
import type { Decision } from '../decision.js';
import { outstandingOf } from '../deferred-materials.js';
import { assertDocumentDate, openedOn } from '../document-date.js';
import { ConflictError, InvalidInputError } from '../errors.js';
import { type ApprovalRecord, itemKey, type ProjectStep } from '../project.js';
import { pauseClock, readClock, supplementTooLate } from '../step-clock.js';
import { isPassed } from '../step-status.js';
import { changed, type EventDraft, type ProjectState, type Transition } from '../transition.js';
import { chinaDate } from '../working-days.js';
import { closeStep } from './closing.js';
import { withDue } from './due-dates.js';
import { concludeJointReview } from './joint-conclusion.js';
import { type DecidedBy, definitionOf, itemOf, type LifecycleInput } from './lifecycle.js';

/**
 * A decision on a step in review (or on one part of a joint review), by its department, a joint review meeting
 * or the SLA sweep. A closing decision reports to the waiting task and may open the gates of the steps that
 * wait for it; a rejection returns the project; a supplement request stops the clock, once and completely
 * (一次性告知: a second request needs a stated reason and is recorded as a violation), and only in the first half
 * of the promised limit (补不过半).
 */
export function decideStep(
  input: LifecycleInput,
  target: { stepId: string; partId?: string },
  decision: Decision | { outcome: 'deemed_approved'; reason: string },
  by: DecidedBy,
): Transition {
  const { now, calendar } = input;
  const { stepId, partId } = target;
  const definition = definitionOf(input, stepId);
  if (definition.parts && partId === undefined) {
    throw new InvalidInputError(
      'STEP.DECIDE_A_PART',
      `step ${stepId} is a joint review (联合审查): each department decides its own part ` +
        `(${definition.parts.map((p) => `${p.id}: ${p.departmentId}`).join(', ')}) at …/steps/${stepId}/parts/{partId}/decision`,
    );
  }
  const item = itemOf(input, stepId, partId);
  const where = partId ? `part ${partId} of step ${stepId}` : `step ${stepId}`;
  if (item.status !== 'in_review') {
    throw new ConflictError('STEP.NOT_IN_REVIEW', `${where} is ${describeNotInReview(item)}`, {
      status: item.status,
    });
  }
  const approves =
    decision.outcome === 'approved' ||
    decision.outcome === 'approved_with_conditions' ||
    decision.outcome === 'deemed_approved';
  // Nothing is approved while a prerequisite stands rejected or revoked (a revocation reopens what rested on it).
  const standing = approves ? unpassedPrerequisite(input.state, definition) : undefined;
  if (standing) {
    throw new ConflictError(
      'STEP.PREREQUISITE_NOT_PASSED',
      `${where} cannot be approved while its prerequisite step ${standing.stepId} is ${
        standing.outcome === 'revoked' ? 'revoked' : standing.status
      }; it is reviewed again once that step passes`,
      { prerequisite: standing.stepId, status: standing.status },
    );
  }
  const outstanding = outstandingOf(partId ? itemOf(input, stepId) : item);
  if (approves && outstanding.length > 0) {
    const step = partId ? itemOf(input, stepId) : item;
    throw new ConflictError(
      'STEP.DEFERRED_MATERIALS_MISSING',
      `${where} cannot be approved until the materials accepted as missing (容缺受理) are supplied: ` +
        `${outstanding.map((m) => `${m.name} (${m.materialId})`).join('; ')}; the agent supplies them at ` +
        `…/steps/${stepId}/deferred-materials${step.deferred ? ` (due by ${step.deferred.supplyBy})` : ''}`,
      { missing: outstanding.map((m) => m.materialId) },
    );
  }
  const at = now.toISOString();
  const reading = item.clock ? readClock(calendar, item.clock, now) : undefined;
  const via = by.via && by.via !== 'department' ? { via: by.via } : {};
  let after: ProjectStep;
  let event: EventDraft;
  if (decision.outcome === 'supplement') {
    const promisedDays = item.clock?.promisedDays ?? 0;
    const tooLate = reading ? supplementTooLate(reading, promisedDays) : undefined;
    if (tooLate) throw new ConflictError('STEP.SUPPLEMENT_TOO_LATE', `${where}: ${tooLate}`);
    const repeated = item.supplementRounds > 0;
    if (repeated && !decision.repeatReason) {
      throw new InvalidInputError(
        'STEP.SUPPLEMENT_REPEATED',
        `一次性告知: ${where} already had a supplement request; a second one must state why its materials could ` +
          'not have been named the first time (repeatReason), and is recorded as a violation of the one-time notice',
      );
    }
    const clock = item.clock
      ? pauseClock(item.clock, now, {
          pauseId: `supplement-${item.supplementRounds + 1}`,
          kind: 'supplement',
        })
      : undefined;
    const base: ProjectStep = {
      ...item,
      status: 'supplement_requested',
      missingMaterials: decision.missingMaterials,
      supplementRounds: item.supplementRounds + 1,
      updatedAt: at,
    };
    after = clock ? withDue(base, clock, input) : base;
    event = {
      type: 'supplement_requested',
      stepId,
      ...(partId ? { partId } : {}),
      before: { status: 'in_review' },
      after: { status: 'supplement_requested' },
      data: {
        ...decision,
        ...via,
        ...(repeated ? { oneTimeNoticeViolation: true, round: item.supplementRounds + 1 } : {}),
      },
    };
  } else {
    const lateByDays = reading && reading.promisedLeft < 0 ? -reading.promisedLeft : undefined;
    const { dueAt: _a, slaCheckAt: _c, ...open } = item;
    const approvalDocument = approvalRecordOf(decision, by, now, where, openedOn(item));
    const closed: ProjectStep = {
      ...open,
      decidedAt: at,
      decidedBy: by.userId,
      ...(by.via === 'meeting' || by.via === 'upper_level' ? { decidedVia: by.via } : {}),
      ...(by.minutes ? { decidedIn: by.minutes } : {}),
      ...(approvalDocument ? { approvalDocument } : {}),
      outcome: decision.outcome,
      updatedAt: at,
      ...(lateByDays ? { lateByDays } : {}),
      // 告知承诺制: an approval on the enterprise's commitment is verified within the policy's working days
      ...(approves && item.commitment && !item.commitment.approvedAt
        ? { commitment: approvedOnCommitment(item.commitment, calendar, now) }
        : {}),
    };
    const verifyAt = approves ? verificationCheckAt(closed) : undefined;
    if (verifyAt) closed.slaCheckAt = verifyAt;
    switch (decision.outcome) {
      case 'approved':
        after = { ...closed, status: 'approved' };
        break;
      case 'approved_with_conditions':
        after = { ...closed, status: 'approved', conditions: decision.conditions };
        break;
      case 'deemed_approved':
        after = { ...closed, status: 'deemed_approved', reason: decision.reason };
        break;
      case 'not_applicable':
        after = { ...closed, status: 'not_applicable', reason: decision.reason };
        break;
      case 'rejected':
        after = { ...closed, status: 'rejected', legalBasis: decision.legalBasis, reason: decision.reason };
        break;
    }
    event = {
      type: 'step_decided',
      stepId,
      ...(partId ? { partId } : {}),
      before: { status: 'in_review' },
      after: { status: after.status, outcome: decision.outcome },
      data: {
        ...decision,
        ...via,
        ...(lateByDays ? { lateByDays } : {}),
        ...(after.commitment?.verifyBy && approves
          ? { onCommitment: true, verifyBy: after.commitment.verifyBy }
          : {}),
      },
    };
  }
  const change = changed(item, after);
  const transition: Transition = {
    changes: [change],
    events: [event],
    project: {
      add: { decisions: 1, ...(decision.outcome === 'supplement' ? { supplements: 1 } : {}) },
    },
    owed: [],
    relies: [],
  };
  if (partId !== undefined) return concludeJointReview(input, transition, stepId);
  if (decision.outcome === 'supplement') return transition;
  return closeStep(input, transition, change.after);
}

/** The first prerequisite of a step that has not passed (rejected, revoked, reopened or still open), if any. */
function unpassedPrerequisite(state: ProjectState, definition: StepDefinition): ProjectStep | undefined {
  return definition.prerequisites
    .map((id) => state.items.get(id))
    .find((p) => p !== undefined && !isPassed(p.status));
}

/**
 * The document an approval records (批文/证照): the one the department named, or the minutes of the meeting that
 * decided it. A document dated after the day of the decision is a mistake. (A deemed approval's document is its
 * 超时默认通知单, numbered when the notice is issued: see `withApprovalRecord`.)
 */
function approvalRecordOf(
  decision: Decision | { outcome: 'deemed_approved'; reason: string },
  by: DecidedBy,
  now: Date,
  where: string,
  opened: string | undefined,
): ApprovalRecord | undefined {
  if (decision.outcome !== 'approved' && decision.outcome !== 'approved_with_conditions') return undefined;
  const today = chinaDate(now);
  if (decision.document) {
    assertDocumentDate(decision.document, { today, openedOn: opened }, where);
    return { ...decision.document, source: 'department' };
  }
  if (by.minutes) return { number: by.minutes, date: today, source: 'minutes' };
  return undefined;
}

/** The transition with an approval record put on the item it closes (a deemed approval's notice number). */
export function withApprovalRecord(
  transition: Transition,
  target: { stepId: string; partId?: string },
  record: ApprovalRecord,
): Transition {
  const key = itemKey(target);
  return {
    ...transition,
    changes: transition.changes.map((c) =>
      itemKey(c.after) === key ? { ...c, after: { ...c.after, approvalDocument: record } } : c,
    ),
  };
}

function describeNotInReview(item: ProjectStep): string {
  switch (item.status) {
    case 'ready':
      return 'not in review: the agent has not submitted its materials yet';
    case 'pending':
      return 'not in review: it has not opened yet';
    case 'supplement_requested':
      return 'not in review: the agent has not supplied the missing materials yet';
    case 'deemed_approved':
      return 'already deemed approved (超时默认): the department missed its promised limit, so no later decision applies';
    default:
      return item.decidedVia === 'meeting'
        ? `already decided (${item.status}) by a joint review meeting${item.decidedIn ? ` (${item.decidedIn})` : ''}: the minutes bind the department, so it cannot be decided again`
        : `already decided (${item.status}); it cannot be decided again`;
  }
}
