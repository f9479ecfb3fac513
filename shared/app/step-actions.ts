import { assertAllowed } from '../domain/access-policy.js';
import { findStep } from '../domain/chain-graph.js';
import type { Verification } from '../domain/commitment.js';
import type { Decision, Resubmission, Submission } from '../domain/decision.js';
import type { DepartmentLevel } from '../domain/department.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { itemKey, type ProjectStep } from '../domain/project.js';
import type { ClockPauseKind } from '../domain/step-clock.js';
import {
  endStepClockPause as endPauseRule,
  pauseStepClock as pauseRule,
} from '../domain/steps/clock-pauses.js';
import { verifyCommitment as verifyCommitmentRule } from '../domain/steps/commitment-verification.js';
import { decideStep as decideRule } from '../domain/steps/decision.js';
import { supplyDeferred as supplyDeferredRule } from '../domain/steps/deferred-supply.js';
import { stepOpening } from '../domain/steps/opening.js';
import { reapplyStep as reapplyRule } from '../domain/steps/reapplication.js';
import { submitStep as submitRule } from '../domain/steps/submission.js';
import { resubmitStep as resubmitRule } from '../domain/steps/supplement.js';
import { mayIssueNotice } from '../domain/supplement-notice.js';
import type { ProjectState, Transition } from '../domain/transition.js';
import { deciderOf } from '../domain/upper-level-decision.js';
import { noticeNumbering } from './agent-notices.js';
import { type ApplyOptions, applyTransition, retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { lifecycleInput } from './context.js';
import { renewal, stopSend } from './executions.js';
import { loadState } from './load.js';
import { notificationEffects } from './notify.js';
import { OPENING_WAIT_MS } from './opened-state.js';
import { referenceData } from './reference-cache.js';

/**
 * What agents and departments do to a step. Each reads as one straight line: load the project (one read) →
 * the access policy → the domain's pure transition → one transaction → the relay. A transaction that found
 * something it relied on changed is tried again from a fresh read (`retryOnConflict`).
 */

export type StepTarget = { stepId: string; partId?: string };

function itemFor(state: ProjectState, target: StepTarget): ProjectStep {
  const item = state.items.get(itemKey(target));
  if (!item) {
    throw new NotFoundError(
      'STEP.NOT_FOUND',
      target.partId
        ? `this project has no step ${target.stepId} part '${target.partId}'`
        : `this project has no step '${target.stepId}'`,
    );
  }
  return item;
}

/** What a use case adds to the transition's own writes: a project change, sends, more operations. */
type Extra = Partial<Pick<ApplyOptions, 'sends' | 'ops'>> & { project?: Transition['project'] };

async function act(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  target: StepTarget,
  decideTransition: (state: ProjectState, now: Date) => Transition,
  check: (state: ProjectState, item: ProjectStep) => void,
  extra?: (state: ProjectState, now: Date) => Extra | Promise<Extra>,
): Promise<ProjectStep> {
  return retryOnConflict(async () => {
    const state = await loadState(ctx, projectId);
    assertAllowed(principal, 'project.read', { project: state.project, chain: state.chain });
    const item = itemFor(state, target);
    check(state, item);
    const now = ctx.clock.now();
    const transition = decideTransition(state, now);
    const more = await extra?.(state, now);
    const merged: Transition = more?.project
      ? { ...transition, project: mergeProjectChanges(transition.project, more.project) }
      : transition;
    const after = await applyTransition(ctx, state, merged, {
      actor: principal,
      ...(more?.sends ? { sends: more.sends } : {}),
      ...(more?.ops ? { ops: more.ops } : {}),
    });
    return itemFor(after, target);
  });
}

function mergeProjectChanges(a: Transition['project'], b: Transition['project']): Transition['project'] {
  if (!a) return b;
  if (!b) return a;
  return {
    add: { ...a.add, ...b.add },
    set: { ...a.set, ...b.set },
    remove: [...new Set([...(a.remove ?? []), ...(b.remove ?? [])])],
    expect: { ...a.expect, ...b.expect },
  };
}

/**
 * The agent submits a ready step's materials (申报, 受理: the department's clock starts).
 *
 * Read-your-writes: a step an answer just opened (a registration's first stage, a decision that passed its
 * prerequisites or ended its stage) is opened by the engine's task handlers a moment after that answer. A submit
 * arriving meanwhile, on a step that opens without anyone acting, waits for it (reading again, at most
 * {@link OPENING_WAIT_MS}) instead of refusing; past the bound (the engine is slow or behind), a 409 says to retry.
 */
export async function submitStep(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  stepId: string,
  submission: Submission,
  options: { waitMs?: number } = {},
): Promise<ProjectStep> {
  const deadline = Date.now() + (options.waitMs ?? OPENING_WAIT_MS);
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    let opening = false;
    try {
      return await act(
        ctx,
        principal,
        projectId,
        { stepId },
        (state, now) => submitRule(lifecycleInput(ctx, state, now), stepId, submission),
        (state) => {
          assertAllowed(principal, 'step.submit', { project: state.project });
          opening = stepOpening(state, stepId);
          if (opening) throw stillOpening(stepId);
        },
      );
    } catch (error) {
      if (!opening) throw error;
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

const stillOpening = (stepId: string) =>
  new ConflictError(
    'STEP.NOT_READY',
    `step ${stepId} is being opened: the engine's task handlers have not opened it yet (its prerequisites have all passed); retry in a moment`,
    { status: 'pending', retry: true },
  );

/** The agent supplies what a supplement notice asked for (补正: the clock resumes). */
export function resubmitStep(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  stepId: string,
  resubmission: Resubmission,
): Promise<ProjectStep> {
  return act(
    ctx,
    principal,
    projectId,
    { stepId },
    (state, now) => resubmitRule(lifecycleInput(ctx, state, now), stepId, resubmission),
    (state) => assertAllowed(principal, 'step.resubmit', { project: state.project }),
  );
}

/**
 * The decision path's rule part, shared by every way a department's decision arrives: the policy (an officer of the
 * department; for a city or provincial department also the agent or the stage's lead department recording it on
 * its behalf, 上下协同) and the step lifecycle's pure transition. `now` is when it was decided (an upper-level
 * approval collected earlier is recorded at the moment it was collected).
 */
export function decisionTransition(
  ctx: AppContext,
  principal: Principal,
  state: ProjectState,
  target: StepTarget,
  decision: Decision,
  now: Date,
  departmentLevel: DepartmentLevel | undefined,
): Transition {
  const item = itemFor(state, target);
  assertAllowed(principal, 'step.decide', {
    project: state.project,
    chain: state.chain,
    item,
    ...(departmentLevel ? { departmentLevel } : {}),
  });
  return decideRule(
    lifecycleInput(ctx, state, now),
    target,
    decision,
    deciderOf(principal, item, departmentLevel),
  );
}

/**
 * The level of the department holding an item (undefined: none, or a department no longer known), from the
 * reference cache.
 */
export async function levelOf(ctx: AppContext, item: ProjectStep | undefined) {
  return item?.departmentId
    ? (await referenceData(ctx.store).department(item.departmentId))?.level
    : undefined;
}

/**
 * An officer decides a step, or their department's part of a joint review; a city or provincial department's
 * decision is recorded here too, by the agent who collected it or the stage's lead department.
 *
 * Read once, write once: the project's working set (one Query), the departments (the reference cache: their levels
 * and names) and, when the decision may issue a 一次性告知书, the year's last notice number are read together up
 * front; the rule decides; its writes (items, events, notice, inbox, counters, outbox) go in one transaction, then
 * the relay sends what it owes. Nothing is read between the rule and the commit.
 */
export async function decideStep(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  target: StepTarget,
  decision: Decision,
): Promise<ProjectStep> {
  const decided = await retryOnConflict(async () => {
    const now = ctx.clock.now();
    const [state, departments, numbering] = await Promise.all([
      loadState(ctx, projectId),
      referenceData(ctx.store).departments(),
      mayIssueNotice(target, decision) ? noticeNumbering(ctx, now) : undefined,
    ]);
    assertAllowed(principal, 'project.read', { project: state.project, chain: state.chain });
    const holder = itemFor(state, target).departmentId;
    const level = holder ? departments.find((d) => d.id === holder)?.level : undefined;
    const transition = decisionTransition(ctx, principal, state, target, decision, now, level);
    const after = await applyTransition(ctx, state, transition, {
      actor: principal,
      reference: { departments, ...(numbering ? { numbering } : {}) },
    });
    return itemFor(after, target);
  });
  ctx.metrics?.add('Decisions', 1);
  return decided;
}

/**
 * The agent re-applies a rejected step (a new round); the project's execution is renewed so the new round runs,
 * whether the old execution still waits on sibling reviews or had stopped.
 */
export function reapplyStep(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  stepId: string,
  note?: string,
): Promise<ProjectStep> {
  return act(
    ctx,
    principal,
    projectId,
    { stepId },
    (state, now) => reapplyRule(lifecycleInput(ctx, state, now), stepId, note),
    (state) => assertAllowed(principal, 'step.reapply', { project: state.project }),
    (state, now) => {
      const renewed = renewal(ctx, state.project, now);
      return { project: renewed.change, sends: renewed.sends };
    },
  );
}

/** The department declares a period the law excludes (hearing, expert review, testing, site survey). */
export function pauseClock(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  target: StepTarget,
  pause: { kind: Exclude<ClockPauseKind, 'supplement'>; reason: string; expectedEnd?: string },
): Promise<ProjectStep> {
  return act(
    ctx,
    principal,
    projectId,
    target,
    (state, now) =>
      pauseRule(lifecycleInput(ctx, state, now), target, {
        pauseId: ctx.newId(),
        ...pause,
      }),
    (state, item) => assertAllowed(principal, 'step.pause_clock', { project: state.project, item }),
  );
}

/** The department ends its declared pause: the clock runs again. */
export function endClockPause(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  target: StepTarget,
): Promise<ProjectStep> {
  return act(
    ctx,
    principal,
    projectId,
    target,
    (state, now) => endPauseRule(lifecycleInput(ctx, state, now), target, principal.userId),
    (state, item) => assertAllowed(principal, 'step.pause_clock', { project: state.project, item }),
  );
}

/** The agent supplies materials accepted as missing at acceptance (容缺补交); once none is missing, it may be approved. */
export function supplyDeferredMaterials(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  stepId: string,
  supplied: string[],
): Promise<ProjectStep> {
  return act(
    ctx,
    principal,
    projectId,
    { stepId },
    (state, now) => supplyDeferredRule(lifecycleInput(ctx, state, now), stepId, supplied),
    (state) => assertAllowed(principal, 'step.resubmit', { project: state.project }),
  );
}

/**
 * The department records its verification of an approval on commitment (告知承诺制). A failure revokes the approval
 * through the decision path and stops the project's execution where it is, in the same transaction's outbox; the
 * agent's re-application starts the next one.
 */
export function verifyCommitment(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  stepId: string,
  verification: Verification,
): Promise<ProjectStep> {
  return act(
    ctx,
    principal,
    projectId,
    { stepId },
    (state, now) =>
      verifyCommitmentRule(lifecycleInput(ctx, state, now), stepId, verification, {
        userId: principal.userId,
      }),
    (state, item) => assertAllowed(principal, 'step.decide', { project: state.project, item }),
    async (state, now) => {
      if (verification.result === 'passed') return {};
      const { project } = state;
      const step = findStep(state.chain, stepId)?.step;
      const told = await notificationEffects(
        ctx,
        [
          {
            kind: 'commitment',
            title: `告知承诺核查不符，审批撤销：${project.code} ${step?.name ?? stepId}`,
            message: `项目 ${project.code}「${project.name}」第 ${stepId} 项按告知承诺制作出的审批经核查与承诺不符，已撤销，项目退回该环节：${verification.findings}。整改后请重新申请。`,
            project,
            stepId,
            audiences: [{ userId: project.agentId }],
          },
        ],
        now,
      );
      const execution = project.execution;
      const stop = execution && !project.executionEndedAt ? [stopSend(project, execution)] : [];
      return { sends: [...stop, ...told.sends], ops: told.ops };
    },
  );
}
