import type { JointPart, StepDefinition } from './chain.js';
import { DEFAULT_DEFERRED_SUPPLY_DAYS } from './chain.js';
import { findPart, findStep } from './chain-graph.js';
import {
  approvedOnCommitment,
  commitmentOf,
  recountVerification,
  type Verification,
  verificationCheckAt,
} from './commitment.js';
import type { Decision, NoticeMaterial, Resubmission, Submission } from './decision.js';
import {
  deferralCheckAt,
  deferralOf,
  earliest,
  outstandingOf,
  recountDeferral,
} from './deferred-materials.js';
import { assertDocumentDate, openedOn } from './document-date.js';
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js';
import { gateShouldOpen, gatesAfterClosing } from './gates.js';
import { jointOutcome } from './joint-review.js';
import { type ApprovalRecord, itemKey, type ProjectStep } from './project.js';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from './sla-policy.js';
import { nextCheckAt } from './sla-timeline.js';
import {
  type ClockPauseKind,
  clockDue,
  openPause,
  pauseClock,
  readClock,
  resumeClock,
  type StepClock,
  startClock,
  supplementTooLate,
} from './step-clock.js';
import { isClosed, isOpen, isPassed } from './step-status.js';
import {
  applyChanges,
  changed,
  type EventDraft,
  type ItemChange,
  type Owed,
  type ProjectChange,
  type ProjectState,
  partsOf,
  squashChanges,
  type Transition,
} from './transition.js';
import { chinaDate, type WorkingDayCalendar } from './working-days.js';

/**
 * A step's lifecycle (DOMAIN.md), as pure functions from the project as read to the change to write:
 *
 *   pending ─(engine opens it)→ ready ─(agent submits, 受理: the clock starts)→ in_review
 *   in_review ─(department)→ approved | approved with conditions | not_applicable | rejected | supplement_requested
 *   supplement_requested ─(agent supplies everything asked, 补正: the clock resumes)→ in_review
 *   rejected ─(agent re-applies: a new round)→ ready;  any open step ─(withdrawal)→ withdrawn
 *   pending ─(a prerequisite was rejected, or the project stopped)→ blocked
 *
 * A joint review (联合审查) moves its parts through the same statuses; the step follows the most severe of them.
 */
export type LifecycleInput = {
  state: ProjectState;
  now: Date;
  calendar: WorkingDayCalendar;
  /** the thresholds of lights and the escalation ladder (default: DEFAULT_SLA_POLICY) */
  sla?: SlaPolicy;
};

/** Who decides: an officer of the department, a minuted meeting, or the system (deemed approval). */
export type DecidedBy = {
  userId: string;
  /**
   * `upper_level`: a city or provincial department's decision, recorded on its behalf by the agent who collected
   * it or a district officer (上下协同)
   */
  via?: 'department' | 'meeting' | 'sla' | 'upper_level';
  /** the minutes (会议纪要) number, when a meeting decided */
  minutes?: string;
};

const empty = (): Transition => ({ changes: [], events: [], owed: [], relies: [] });

export function definitionOf(input: Pick<LifecycleInput, 'state'>, stepId: string): StepDefinition {
  const found = findStep(input.state.chain, stepId);
  if (!found) {
    throw new NotFoundError('STEP.NOT_FOUND', `this project's chain has no step '${stepId}'`);
  }
  return found.step;
}

function itemOf(input: Pick<LifecycleInput, 'state'>, stepId: string, partId?: string): ProjectStep {
  const definition = definitionOf(input, stepId);
  if (partId !== undefined && !findPart(definition, partId)) {
    const parts = definition.parts?.map((p) => p.id).join(', ');
    throw new NotFoundError(
      'STEP.PART_NOT_FOUND',
      parts
        ? `step ${stepId} has no part '${partId}'; its parts are ${parts}`
        : `step ${stepId} is not a joint review and has no parts`,
    );
  }
  const item = input.state.items.get(itemKey({ stepId, partId }));
  if (!item) throw new NotFoundError('STEP.NOT_FOUND', `this project has no step '${stepId}'`);
  return item;
}

/**
 * The due fields of an item for its clock: set while it runs, absent while it stands still; and when the SLA
 * sweep must next look at it.
 */
export function withDue(
  item: ProjectStep,
  clock: StepClock,
  input: Pick<LifecycleInput, 'state' | 'calendar' | 'sla'>,
): ProjectStep {
  const { calendar } = input;
  const due = clockDue(calendar, clock);
  const {
    dueDate: _d,
    dueAt: _a,
    legalDueDate: _l,
    dueFlagged: _f,
    legalDueFlagged: _lf,
    slaCheckAt: _c,
    ...rest
  } = item;
  if (!due) return { ...rest, clock };
  const slaCheckAt = earliest(
    nextCheckAt(calendar, clock, item, input.sla ?? DEFAULT_SLA_POLICY, deemedAllowedFor(input.state, item)),
    deferralCheckAt(item),
  );
  return {
    ...rest,
    clock,
    dueDate: due.dueDate,
    dueAt: due.dueAt,
    legalDueDate: due.legalDueDate,
    ...(due.dueFlagged ? { dueFlagged: true } : {}),
    ...(due.legalDueFlagged ? { legalDueFlagged: true } : {}),
    ...(slaCheckAt ? { slaCheckAt } : {}),
  };
}

/**
 * Whether the SLA sweep may deem the item approved (超时默认) when its department misses the limit: its policy
 * allows it and no material accepted as missing (容缺) is still outstanding, for nothing approves the step until then.
 */
export function deemedAllowedFor(state: ProjectState, item: ProjectStep): boolean {
  const allowed = findStep(state.chain, item.stepId)?.step.policy.deemedApprovalAllowed ?? false;
  const step = item.partId ? state.items.get(item.stepId) : item;
  return allowed && outstandingOf(step ?? item).length === 0;
}

const limitsOf = (definition: StepDefinition | JointPart) => ({
  promisedDays: definition.promisedDays ?? 0,
  legalDays: definition.legalDays ?? 0,
});

// ---- the engine ------------------------------------------------------------------------------------------

/**
 * The step's task is waiting: a pending step opens (`ready`) unless it can never open, in which case it is
 * blocked and reports at once. Anything else is left as it is (a duplicate or late delivery).
 */
export function openStep(input: LifecycleInput, stepId: string): Transition {
  const { state, now } = input;
  const step = itemOf(input, stepId);
  if (step.status !== 'pending' || step.blocked) return empty();
  const at = now.toISOString();
  const stopped = gatesBlock(input, stepId);
  if (stopped !== undefined) {
    const change = changed(step, { ...step, blocked: true, updatedAt: at });
    const gates = gatesAfterClosing(applyChanges(state, [change]), change.after);
    return {
      changes: [change],
      events: [{ type: 'step_blocked', stepId, data: { reason: stopped } }],
      owed: [{ kind: 'report', stepId }, ...gates.owed],
      relies: gates.relies,
    };
  }
  // A task delivered before its gate opened (a misdelivery: the state machine never does this) opens nothing.
  if (!gateShouldOpen(state, stepId)) return empty();
  return {
    changes: [changed(step, { ...step, status: 'ready', openedAt: at, updatedAt: at })],
    events: [{ type: 'step_opened', stepId, before: { status: 'pending' }, after: { status: 'ready' } }],
    owed: [],
    relies: [],
  };
}

/** Why a pending step can never open, or undefined when it may. */
function gatesBlock(input: LifecycleInput, stepId: string): string | undefined {
  const { state } = input;
  if (state.project.status !== 'active') return `the project is ${state.project.status}`;
  for (const id of findStep(state.chain, stepId)?.step.prerequisites ?? []) {
    const prerequisite = state.items.get(id);
    if (prerequisite?.status === 'rejected') return `prerequisite step ${id} was rejected`;
    if (prerequisite?.blocked) return `prerequisite step ${id} was blocked`;
  }
  return undefined;
}

// ---- the agent -------------------------------------------------------------------------------------------

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

/**
 * The agent supplies materials accepted as missing (容缺补交): each named one must be outstanding. Once none is, the
 * step may be approved; one supplied after its deadline is still taken (the breach stays on the record).
 */
export function supplyDeferred(
  input: LifecycleInput,
  stepId: string,
  supplied: readonly string[],
): Transition {
  const { now } = input;
  const step = itemOf(input, stepId);
  const outstanding = outstandingOf(step);
  if (!step.deferred || outstanding.length === 0 || isClosed(step.status)) {
    throw new ConflictError(
      'STEP.NOTHING_DEFERRED',
      `step ${stepId} has no materials accepted as missing (容缺) waiting to be supplied`,
      { status: step.status },
    );
  }
  const wanted = new Set(supplied);
  const unknown = [...wanted].filter((id) => !outstanding.some((m) => m.materialId === id || m.name === id));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      'STEP.NOT_DEFERRED',
      `step ${stepId} is not waiting for ${unknown.slice(0, 5).join(', ')}; it waits for: ${outstanding
        .map((m) => `${m.name} (${m.materialId})`)
        .join('; ')}`,
    );
  }
  const at = now.toISOString();
  const taken = outstanding.filter((m) => wanted.has(m.materialId) || wanted.has(m.name));
  const left = outstanding.filter((m) => !taken.includes(m));
  const deferred = {
    ...step.deferred,
    materials: left,
    supplied: [...step.deferred.supplied, ...taken.map((m) => ({ ...m, at }))],
  };
  const { slaCheckAt: _c, ...rest } = step;
  const base: ProjectStep = { ...rest, deferred, updatedAt: at };
  // The deadline no longer needs watching once everything is in; 超时默认 may apply again.
  const after =
    step.clock && step.status === 'in_review'
      ? withDue(base, step.clock, input)
      : {
          ...base,
          ...(step.kind === 'joint' && deferralCheckAt(base) ? { slaCheckAt: deferralCheckAt(base) } : {}),
        };
  return {
    changes: [changed(step, after)],
    events: [
      {
        type: 'deferred_materials_supplied',
        stepId,
        before: { outstanding: outstanding.map((m) => m.materialId) },
        after: { outstanding: left.map((m) => m.materialId) },
        data: {
          supplied: taken.map((m) => m.materialId),
          supplyBy: step.deferred.supplyBy,
          ...(step.deferred.missed ? { late: true } : {}),
        },
      },
    ],
    owed: [],
    relies: [],
  };
}

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

/**
 * The agent re-applies a rejected step once its cause is fixed (退办后重新申请): a new round from `ready` with a
 * fresh clock to come, the rejection kept in the record; the steps it blocked wait again; the project is active
 * again unless another step of it is still rejected. (The application renews the execution.)
 */
export function reapplyStep(input: LifecycleInput, stepId: string, note?: string): Transition {
  const { state, now } = input;
  const step = itemOf(input, stepId);
  if (step.status !== 'rejected') {
    throw new ConflictError(
      'STEP.NOT_REJECTED',
      `step ${stepId} is ${step.status}; only a rejected step can be re-applied`,
      { status: step.status },
    );
  }
  const at = now.toISOString();
  const fresh = (item: ProjectStep, status: 'ready' | 'pending'): ProjectStep => ({
    projectId: item.projectId,
    stepId: item.stepId,
    ...(item.partId ? { partId: item.partId } : {}),
    stageIndex: item.stageIndex,
    departmentId: item.departmentId,
    kind: item.kind,
    status,
    version: item.version,
    round: item.round + 1,
    supplementRounds: 0,
    ...(status === 'ready' ? { openedAt: at } : {}),
    earlierRounds: [
      ...(item.earlierRounds ?? []),
      {
        round: item.round,
        outcome: item.outcome ?? item.status,
        ...(item.decidedAt ? { decidedAt: item.decidedAt } : {}),
        ...(item.decidedBy ? { decidedBy: item.decidedBy } : {}),
        ...(item.legalBasis ? { legalBasis: item.legalBasis } : {}),
        ...(item.reason ? { reason: item.reason } : {}),
        // a revoked approval stays on the record with the round (the approvals list shows it revoked)
        ...(item.outcome === 'revoked' && item.approvalDocument
          ? { approvalDocument: item.approvalDocument }
          : {}),
        ...(item.outcome === 'revoked' && item.commitment?.approvedAt
          ? { approvedAt: item.commitment.approvedAt }
          : {}),
      },
    ],
    updatedAt: at,
  });
  // A step whose prerequisite does not stand (rejected or revoked itself, or reopened) waits behind its gate.
  const waits = (findStep(state.chain, stepId)?.step.prerequisites ?? []).some((id) => {
    const prerequisite = state.items.get(id);
    return prerequisite !== undefined && !isPassed(prerequisite.status);
  });
  const changes: ItemChange[] = [changed(step, fresh(step, waits ? 'pending' : 'ready'))];
  for (const part of partsOf(state, stepId)) changes.push(changed(part, fresh(part, 'pending')));
  const unblocked: string[] = [];
  for (const item of state.items.values()) {
    const stageConcerned =
      item.stageIndex === step.stageIndex || item.stageIndex === state.project.currentStageIndex;
    if (!stageConcerned || !item.blocked || item.partId) continue;
    const { blocked: _b, ...rest } = item;
    changes.push(changed(item, { ...rest, updatedAt: at }));
    unblocked.push(item.stepId);
  }
  const otherRejected = [...state.items.values()].some(
    (i) => i.status === 'rejected' && i.stepId !== stepId && !i.partId,
  );
  const reactivates = state.project.status === 'returned' && !otherRejected;
  const events: EventDraft[] = [
    {
      type: 'step_reapplied',
      stepId,
      before: { status: 'rejected', round: step.round },
      after: { status: waits ? 'pending' : 'ready', round: step.round + 1 },
      data: { ...(note ? { note } : {}), ...(unblocked.length > 0 ? { unblocked } : {}) },
    },
  ];
  if (reactivates) {
    events.push({ type: 'project_reactivated', before: { status: 'returned' }, after: { status: 'active' } });
  }
  // A step of a stage the project had left (a revocation recorded before revocations took the project back) takes
  // the project back to it, and what was approved on it since is reviewed again.
  const rewind =
    step.stageIndex < state.project.currentStageIndex
      ? rewindFor(input, changes, stepId, `第 ${stepId} 项重新申请`)
      : undefined;
  const set = { ...(reactivates ? { status: 'active' as const } : {}), ...rewind?.set };
  return {
    changes: rewind ? squashChanges(rewind.changes) : changes,
    events: [...events, ...(rewind?.events ?? [])],
    project: {
      add: { stepsClosed: -1 - (rewind?.reopenedSteps ?? 0) },
      ...(Object.keys(set).length > 0 ? { set } : {}),
      ...(reactivates ? { remove: ['returnedAt', 'executionEndedAt'] } : {}),
      expect: { status: state.project.status },
    },
    owed: [],
    relies: [],
  };
}

/**
 * The enterprise withdraws the project (撤回/终止): every step or part not yet closed is closed as withdrawn, and
 * nothing waits any longer. (The application stops the execution.)
 */
export function withdrawProject(input: LifecycleInput, reason: string): Transition {
  const { state, now } = input;
  const { project } = state;
  if (project.status !== 'active' && project.status !== 'returned') {
    throw new ConflictError(
      'PROJECT.NOT_IN_FLIGHT',
      `the project is ${project.status}; only an active or returned project can be withdrawn`,
      { status: project.status },
    );
  }
  const at = now.toISOString();
  const changes: ItemChange[] = [];
  for (const item of state.items.values()) {
    if (isClosed(item.status)) {
      // an approval on commitment waiting for its verification: nothing is left to verify for
      if (item.slaCheckAt) {
        const { slaCheckAt: _c, ...rest } = item;
        changes.push(changed(item, { ...rest, updatedAt: at }));
      }
      continue;
    }
    const { dueAt: _a, slaCheckAt: _c, ...rest } = item;
    changes.push(
      changed(item, {
        ...rest,
        status: 'withdrawn',
        outcome: 'withdrawn',
        reason,
        decidedAt: at,
        ...(item.clock ? { clock: resumeClock(item.clock, now) } : {}),
        updatedAt: at,
      }),
    );
  }
  return {
    changes,
    events: [
      {
        type: 'project_withdrawn',
        before: { status: project.status },
        after: { status: 'withdrawn' },
        data: {
          reason,
          withdrawnSteps: changes
            .filter((c) => !c.after.partId && c.after.status === 'withdrawn')
            .map((c) => c.after.stepId),
        },
      },
    ],
    project: {
      set: { status: 'withdrawn', withdrawnAt: at },
      remove: ['execution', 'renewAt'],
      expect: { status: project.status },
    },
    owed: [],
    relies: [],
  };
}

// ---- the department --------------------------------------------------------------------------------------

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

/** A step closed: counters, the project returned on a rejection, its task reported, its dependents' gates. */
function closeStep(input: LifecycleInput, transition: Transition, step: ProjectStep): Transition {
  const rejects = step.status === 'rejected' && input.state.project.status === 'active';
  const project: ProjectChange = {
    ...transition.project,
    add: { ...transition.project?.add, stepsClosed: 1 },
    ...(rejects ? { set: { status: 'returned', returnedAt: input.now.toISOString() } } : {}),
  };
  const closedState = applyChanges(
    {
      ...input.state,
      project: rejects ? { ...input.state.project, status: 'returned' } : input.state.project,
    },
    transition.changes,
  );
  const gates = gatesAfterClosing(closedState, step);
  const events = rejects
    ? [
        ...transition.events,
        {
          type: 'project_returned' as const,
          stepId: step.stepId,
          before: { status: 'active' },
          after: { status: 'returned' },
        },
      ]
    : transition.events;
  return {
    ...transition,
    events,
    project,
    owed: [...transition.owed, { kind: 'report', stepId: step.stepId } satisfies Owed, ...gates.owed],
    relies: [...new Set([...transition.relies, ...gates.relies])],
  };
}

/**
 * After a part's decision: the joint review's step follows its parts. It closes when every part answered (most
 * severe first), asks the agent for everything at once when parts asked for materials, or waits; it is written on
 * every part decision so two parts decided at once never both think they are not the last.
 */
function concludeJointReview(input: LifecycleInput, transition: Transition, stepId: string): Transition {
  const { now } = input;
  const at = now.toISOString();
  const state = applyChanges(input.state, transition.changes);
  const step = itemOf({ state }, stepId);
  const parts = partsOf(state, stepId);
  const outcome = jointOutcome(parts);
  if (outcome.kind === 'waiting') {
    return { ...transition, changes: [...transition.changes, changed(step, { ...step, updatedAt: at })] };
  }
  if (outcome.kind === 'supplement') {
    const notice: NoticeMaterial[] = outcome.missingMaterials;
    const change = changed(step, {
      ...step,
      status: 'supplement_requested',
      missingMaterials: notice,
      supplementRounds: step.supplementRounds + 1,
      updatedAt: at,
    });
    return {
      ...transition,
      changes: [...transition.changes, change],
      events: [
        ...transition.events,
        {
          type: 'joint_supplement_notice',
          stepId,
          before: { status: 'in_review' },
          after: { status: 'supplement_requested' },
          data: { parts: outcome.partIds, missingMaterials: notice },
        },
      ],
    };
  }
  const lapsed = parts.filter((p) => outcome.lapsedPartIds?.includes(p.partId ?? ''));
  const lapse = (p: ProjectStep): Omit<ProjectStep, 'version'> => ({
    ...p,
    status: 'withdrawn',
    outcome: 'lapsed',
    reason: 'another part of the joint review rejected it',
    decidedAt: at,
    ...(p.clock ? { clock: resumeClock(p.clock, now) } : {}),
    updatedAt: at,
  });
  // The part just decided may be one that lapses (it asked for materials after another part had rejected): its
  // change is extended to the lapse, so the item changes once, one version up from the item as read.
  const lapsedKeys = new Set(lapsed.map(itemKey));
  const decidedChanges = transition.changes.map((c) =>
    lapsedKeys.has(itemKey(c.after)) ? changed(c.before, lapse(c.after)) : c,
  );
  const decidedKeys = new Set(transition.changes.map((c) => itemKey(c.after)));
  const lapsedChanges = lapsed.filter((p) => !decidedKeys.has(itemKey(p))).map((p) => changed(p, lapse(p)));
  const { dueAt: _a, slaCheckAt: _c, ...open } = step;
  const closed: ProjectStep = {
    ...open,
    status: outcome.status,
    outcome: outcome.outcome,
    decidedAt: at,
    ...(outcome.conditions ? { conditions: outcome.conditions } : {}),
    ...(outcome.rejections
      ? {
          legalBasis: outcome.rejections.map((r) => `[${r.partId}] ${r.legalBasis ?? ''}`).join('; '),
          reason: outcome.rejections.map((r) => `[${r.partId}] ${r.reason ?? ''}`).join('; '),
        }
      : {}),
    updatedAt: at,
  };
  const change = changed(step, closed);
  return closeStep(
    input,
    {
      ...transition,
      changes: [...decidedChanges, ...lapsedChanges, change],
      events: [
        ...transition.events,
        {
          type: 'joint_review_concluded',
          stepId,
          before: { status: step.status },
          after: { status: closed.status, outcome: closed.outcome },
          data: {
            parts: parts.map((p) => ({ partId: p.partId, status: p.status, outcome: p.outcome })),
            ...(lapsed.length > 0 ? { lapsedParts: lapsed.map((p) => p.partId) } : {}),
          },
        },
      ],
    },
    closed,
  );
}

// ---- 告知承诺制: the verification after an approval on commitment -------------------------------------------

/** What a revocation rests on when the officer names nothing more specific. */
export const REVOCATION_BASIS =
  '《中华人民共和国行政许可法》第六十九条；告知承诺制：申请人承诺内容与实际情况不符的，撤销审批决定，记入信用记录';

/**
 * The department records its verification of an approval given on the enterprise's commitment (核查). Passed: the
 * approval stands and nothing is watched any longer. Failed: the approval is revoked (撤销) through the decision
 * path: the step is closed as rejected with the outcome `revoked` and the finding as its reason, so the agent
 * re-applies it as a new round (a new submission, the revoked round kept in the record); the project is returned
 * at that step and its chain stops where it is (the application stops the running execution; the re-application
 * renews it).
 */
export function verifyCommitment(
  input: LifecycleInput,
  stepId: string,
  verification: Verification,
  by: DecidedBy,
): Transition {
  const { state, now } = input;
  const step = itemOf(input, stepId);
  const commitment = step.commitment;
  if (
    !commitment?.approvedAt ||
    commitment.verification ||
    (step.status !== 'approved' && step.status !== 'deemed_approved')
  ) {
    throw new ConflictError(
      'STEP.NO_COMMITMENT_TO_VERIFY',
      commitment?.verification
        ? `step ${stepId}'s commitment was verified already (${commitment.verification.result}); a verification is recorded once`
        : `step ${stepId} has no approval on a commitment (告知承诺制) waiting for verification`,
      { status: step.status },
    );
  }
  const at = now.toISOString();
  const record = {
    result: verification.result,
    findings: verification.findings,
    ...(verification.legalBasis ? { legalBasis: verification.legalBasis } : {}),
    at,
    by: by.userId,
  };
  const { slaCheckAt: _c, ...rest } = step;
  const verified = { ...commitment, verification: record };
  if (verification.result === 'passed') {
    return {
      changes: [changed(step, { ...rest, commitment: verified, updatedAt: at })],
      events: [
        {
          type: 'commitment_verified',
          stepId,
          after: { result: 'passed' },
          data: { findings: verification.findings, verifyBy: commitment.verifyBy },
        },
      ],
      owed: [],
      relies: [],
    };
  }
  const { project } = state;
  if (project.status !== 'active' && project.status !== 'returned') {
    throw new ConflictError(
      'PROJECT.NOT_IN_FLIGHT',
      `the project is ${project.status}; a failed verification can return only an active or returned project`,
      { status: project.status },
    );
  }
  const legalBasis = verification.legalBasis ?? REVOCATION_BASIS;
  const revoked: ProjectStep = {
    ...rest,
    commitment: verified,
    status: 'rejected',
    outcome: 'revoked',
    reason: `告知承诺核查不符：${verification.findings}`,
    legalBasis,
    decidedAt: at,
    decidedBy: by.userId,
    updatedAt: at,
  };
  const returns = project.status === 'active';
  const events: EventDraft[] = [
    {
      type: 'approval_revoked',
      stepId,
      before: { status: step.status, outcome: step.outcome ?? step.status },
      after: { status: 'rejected', outcome: 'revoked' },
      data: { findings: verification.findings, legalBasis, verifyBy: commitment.verifyBy },
    },
    ...(returns
      ? [
          {
            type: 'project_returned' as const,
            stepId,
            before: { status: 'active' },
            after: { status: 'returned' },
          },
        ]
      : []),
  ];
  if (project.execution && !project.executionEndedAt) {
    events.push({
      type: 'chain_stopped',
      data: { stageIndex: project.execution.stageIndex, reason: 'an approval was revoked' },
    });
  }
  const rewind = rewindFor(
    input,
    [changed(step, revoked)],
    stepId,
    `第 ${stepId} 项审批经告知承诺核查不符已撤销`,
  );
  return {
    changes: rewind.changes,
    events: [...events, ...rewind.events],
    project: {
      add: { stepsClosed: -rewind.reopenedSteps },
      set: {
        ...(returns ? { status: 'returned' as const, returnedAt: at } : {}),
        ...(project.execution ? { executionEndedAt: at } : {}),
        ...rewind.set,
      },
      remove: ['renewAt'],
      expect: { status: project.status, executionName: project.execution?.name ?? null },
    },
    owed: [],
    relies: [],
  };
}

/** Every step that needs this one, directly or through others, in its stage or a later one, in the chain's order. */
export function transitiveDependents(chain: ProjectState['chain'], stepId: string): string[] {
  const found = new Set<string>([stepId]);
  const order: string[] = [];
  // the chain is acyclic and a prerequisite never sits in a later stage: one pass in the chain's order finds them all
  for (const stage of chain.stages) {
    for (const step of stage.steps) {
      if (found.has(step.id)) continue;
      if (step.prerequisites.some((p) => found.has(p))) {
        found.add(step.id);
        order.push(step.id);
      }
    }
  }
  return order;
}

/**
 * What an approval that no longer stands (revoked, or a step re-opened) takes back with it (DOMAIN.md "A project
 * never contradicts itself"): every step that needs it, directly or through others, and that has moved on since
 * (opened, in review, waiting for a supplement, approved or deemed approved) is reopened: back to `pending` behind
 * its closed gate, a decided or submitted one as a new round with the earlier one kept (its approval and the
 * reason), each with a `step_reopened` event. A stage behind the project that now has a step not passed is open
 * again: the project goes back to the earliest such stage (`stage_reopened`), and its executions from then on are
 * named apart (`rewinds`). Steps rejected, not applicable or withdrawn stay as they are.
 */
function rewindFor(
  input: LifecycleInput,
  changes: readonly ItemChange[],
  stepId: string,
  reason: string,
): { changes: ItemChange[]; events: EventDraft[]; reopenedSteps: number; set: ProjectChange['set'] } {
  const { state, now } = input;
  const at = now.toISOString();
  const all: ItemChange[] = [...changes];
  const events: EventDraft[] = [];
  let reopenedSteps = 0;
  const current = applyChanges(state, changes);
  for (const dependentId of transitiveDependents(state.chain, stepId)) {
    const items = [current.items.get(dependentId), ...partsOf(current, dependentId)].filter(
      (i): i is ProjectStep => i !== undefined,
    );
    const step = items[0];
    if (!step || !reopens(step)) continue;
    const was = step.outcome ?? step.status;
    for (const item of items) {
      // a part closed at registration stays so; a part still waiting has nothing to take back
      if (item.partId && !reopens(item) && item.status !== 'withdrawn') continue;
      all.push(changed(item, reopened(item, at, `${reason}，本项重新审查`)));
    }
    if (isClosed(step.status)) reopenedSteps += 1;
    events.push({
      type: 'step_reopened',
      stepId: dependentId,
      before: { status: step.status, round: step.round },
      after: { status: 'pending', round: roundAfterReopening(step) },
      data: { reason: `${reason}，本项重新审查`, revokedStep: stepId, was },
    });
  }
  const after = applyChanges(state, all);
  const stuck = [...after.items.values()].filter(
    (i) => !i.partId && i.stageIndex < state.project.currentStageIndex && !isPassed(i.status),
  );
  const back = stuck.reduce((min, i) => Math.min(min, i.stageIndex), state.project.currentStageIndex);
  if (back === state.project.currentStageIndex) return { changes: all, events, reopenedSteps, set: {} };
  const stage = state.chain.stages[back];
  events.push({
    type: 'stage_reopened',
    before: { stageIndex: state.project.currentStageIndex },
    after: { stageIndex: back },
    data: {
      stage: stage?.id,
      reason,
      steps: stuck.filter((i) => i.stageIndex === back).map((i) => i.stepId),
    },
  });
  return {
    changes: all,
    events,
    reopenedSteps,
    set: {
      currentStageIndex: back,
      rewinds: (state.project.rewinds ?? 0) + 1,
      ...(stage ? { leadDepartmentId: stage.leadDepartmentId } : {}),
    },
  };
}

/** Whether a dependent of an approval that no longer stands has moved on since, so it must be reviewed again. */
const reopens = (item: ProjectStep): boolean =>
  isOpen(item.status) || item.status === 'approved' || item.status === 'deemed_approved';

/** A submitted or decided item is reopened as a new round; one merely opened goes back to waiting in its round. */
const roundAfterReopening = (item: ProjectStep): number =>
  item.submittedAt || item.decidedAt ? item.round + 1 : item.round;

/** The item back behind its gate (`pending`), a new round when it had been submitted or decided, the earlier kept. */
function reopened(item: ProjectStep, at: string, reason: string): Omit<ProjectStep, 'version'> {
  const base = {
    projectId: item.projectId,
    stepId: item.stepId,
    ...(item.partId ? { partId: item.partId } : {}),
    stageIndex: item.stageIndex,
    departmentId: item.departmentId,
    kind: item.kind,
    status: 'pending' as const,
    version: item.version,
    supplementRounds: 0,
    updatedAt: at,
  };
  if (!item.submittedAt && !item.decidedAt) {
    return {
      ...base,
      round: item.round,
      ...(item.earlierRounds ? { earlierRounds: item.earlierRounds } : {}),
    };
  }
  const approved = item.status === 'approved' || item.status === 'deemed_approved';
  return {
    ...base,
    round: item.round + 1,
    earlierRounds: [
      ...(item.earlierRounds ?? []),
      {
        round: item.round,
        outcome: 'reopened',
        was: item.outcome ?? item.status,
        reopenedAt: at,
        ...(item.decidedAt ? { decidedAt: item.decidedAt } : {}),
        ...(item.decidedBy ? { decidedBy: item.decidedBy } : {}),
        ...(approved && item.decidedAt ? { approvedAt: item.decidedAt } : {}),
        ...(approved && item.approvalDocument ? { approvalDocument: item.approvalDocument } : {}),
        reason,
      },
    ],
  };
}

// ---- declared clock pauses -------------------------------------------------------------------------------

/**
 * The department declares a period the law excludes from its limit (听证, 专家评审, 检验检测, 现场勘查): the clock of
 * the step (or part) in review stands still until the department ends it (or the agent's resubmission does).
 */
export function pauseStepClock(
  input: LifecycleInput,
  target: { stepId: string; partId?: string },
  pause: {
    pauseId: string;
    kind: Exclude<ClockPauseKind, 'supplement'>;
    reason: string;
    expectedEnd?: string;
  },
): Transition {
  const item = itemOf(input, target.stepId, target.partId);
  const where = target.partId ? `part ${target.partId} of step ${target.stepId}` : `step ${target.stepId}`;
  if (item.status !== 'in_review' || !item.clock) {
    throw new ConflictError(
      'CLOCK.NOT_RUNNING',
      `${where} is ${item.status}; only a step in review has a clock to pause`,
      {
        status: item.status,
      },
    );
  }
  const clock = pauseClock(item.clock, input.now, pause);
  const after = withDue({ ...item, updatedAt: input.now.toISOString() }, clock, input);
  return {
    changes: [changed(item, after)],
    events: [
      {
        type: 'clock_paused',
        stepId: target.stepId,
        ...(target.partId ? { partId: target.partId } : {}),
        data: {
          kind: pause.kind,
          reason: pause.reason,
          ...(pause.expectedEnd ? { expectedEnd: pause.expectedEnd } : {}),
        },
      },
    ],
    owed: [],
    relies: [],
  };
}

/** The department ends a declared pause: the clock runs again, the due date moved on by the days it stood still. */
export function endStepClockPause(
  input: LifecycleInput,
  target: { stepId: string; partId?: string },
  by: string,
): Transition {
  const item = itemOf(input, target.stepId, target.partId);
  const current = item.clock ? openPause(item.clock) : undefined;
  if (!item.clock || !current || current.kind === 'supplement' || item.status !== 'in_review') {
    throw new ConflictError(
      'CLOCK.NOT_PAUSED',
      `${target.partId ? `part ${target.partId} of step ${target.stepId}` : `step ${target.stepId}`} has no declared pause to end`,
    );
  }
  const clock = resumeClock(item.clock, input.now, by);
  const after = withDue({ ...item, updatedAt: input.now.toISOString() }, clock, input);
  return {
    changes: [changed(item, after)],
    events: [
      {
        type: 'clock_resumed',
        stepId: target.stepId,
        ...(target.partId ? { partId: target.partId } : {}),
        before: { dueDate: item.dueDate ?? null },
        after: { dueDate: after.dueDate },
        data: { kind: current.kind, since: current.fromDate },
      },
    ],
    owed: [],
    relies: [],
  };
}

/** The dates an item derives from the calendar, as `due_recomputed` records them before and after. */
function derivedDates(item: ProjectStep) {
  return {
    dueDate: item.dueDate ?? null,
    dueFlagged: item.dueFlagged ?? false,
    legalDueDate: item.legalDueDate ?? null,
    legalDueFlagged: item.legalDueFlagged ?? false,
    supplyBy: item.deferred?.supplyBy ?? null,
    supplyByFlagged: item.deferred?.supplyByFlagged ?? false,
    verifyBy: item.commitment?.verifyBy ?? null,
    verifyByFlagged: item.commitment?.verifyByFlagged ?? false,
  };
}

/**
 * Every date of an item derived from the calendar computed again (an admin added or corrected a year's schedule, or
 * added or lifted a local closure): the due dates of a running clock on both limits (and so its yellow threshold and
 * the sweep's next look, which re-arms an item held on a guessed date), a 容缺 supply deadline still open, a
 * commitment's verification date still to come; each with its own flag. Nothing else changes. No change when every
 * date and flag stays as it is.
 */
export function recomputeDue(input: LifecycleInput, key: { stepId: string; partId?: string }): Transition {
  const item = itemOf(input, key.stepId, key.partId);
  const { calendar } = input;
  let after: ProjectStep = item;
  if (item.deferred && item.clock && !item.decidedAt) {
    const days =
      findStep(input.state.chain, item.stepId)?.step.policy.deferredSupplyDays ??
      DEFAULT_DEFERRED_SUPPLY_DAYS;
    after = {
      ...after,
      deferred: recountDeferral(item.deferred, days, calendar, chinaDate(new Date(item.clock.acceptedAt))),
    };
  }
  if (item.commitment) after = { ...after, commitment: recountVerification(item.commitment, calendar) };
  if (item.clock && !item.decidedAt) after = withDue(after, item.clock, input);
  else if (after.commitment !== item.commitment) {
    const { slaCheckAt: _c, ...rest } = after;
    const next = verificationCheckAt(rest);
    after = { ...rest, ...(next ? { slaCheckAt: next } : {}) };
  }
  const before = derivedDates(item);
  const now = derivedDates(after);
  if (JSON.stringify(before) === JSON.stringify(now)) return empty();
  return {
    changes: [changed(item, { ...after, updatedAt: input.now.toISOString() })],
    events: [
      {
        type: 'due_recomputed',
        stepId: key.stepId,
        ...(key.partId ? { partId: key.partId } : {}),
        before,
        after: now,
      },
    ],
    owed: [],
    relies: [],
  };
}
