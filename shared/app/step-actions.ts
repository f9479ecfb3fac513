import { assertAllowed } from '../domain/access-policy.js';
import { findStep } from '../domain/chain-graph.js';
import type { Verification } from '../domain/commitment.js';
import type { Decision, Resubmission, Submission } from '../domain/decision.js';
import { decisionTransition as decideRule, type StepTarget, stepAt } from '../domain/decision-path.js';
import type { DepartmentLevel } from '../domain/department.js';
import { decisionEffects } from '../domain/effects/decision-effects.js';
import { ConflictError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { ProjectStep } from '../domain/project.js';
import type { ClockPauseKind } from '../domain/step-clock.js';
import {
  endStepClockPause as endPauseRule,
  pauseStepClock as pauseRule,
} from '../domain/steps/clock-pauses.js';
import { verifyCommitment as verifyCommitmentRule } from '../domain/steps/commitment-verification.js';
import { supplyDeferred as supplyDeferredRule } from '../domain/steps/deferred-supply.js';
import type { LifecycleInput } from '../domain/steps/lifecycle.js';
import { stepOpening } from '../domain/steps/opening.js';
import { reapplyStep as reapplyRule } from '../domain/steps/reapplication.js';
import { submitStep as submitRule } from '../domain/steps/submission.js';
import { resubmitStep as resubmitRule } from '../domain/steps/supplement.js';
import { mayIssueNotice } from '../domain/supplement-notice.js';
import type { ProjectState, Transition } from '../domain/transition.js';
import { type ApplyOptions, applyTransition } from './apply-transition.js';
import { commitEffects, retryOnConflict } from './commit.js';
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

export type { StepTarget };

const itemFor = stepAt;

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

/** Who acts: what a rule may need of them besides the project (a new id, the officer's user id). */
type Actor = { ctx: AppContext; principal: Principal };

/** A period the law excludes, as a department declares it. */
type DeclaredPause = { kind: Exclude<ClockPauseKind, 'supplement'>; reason: string; expectedEnd?: string };

/**
 * A use case on one step (by its id) or a joint review's part (by its target): who may do it (the access policy's
 * action, asked with the project and the item), the domain's rule, and what the use case adds to the rule's writes.
 */
type StepUseCase<At extends string | StepTarget, P> = {
  may: 'step.resubmit' | 'step.reapply' | 'step.pause_clock' | 'step.decide';
  rule: (input: LifecycleInput, at: At, payload: P, actor: Actor) => Transition;
  adds?: (actor: Actor, state: ProjectState, now: Date, payload: P, at: At) => Extra | Promise<Extra>;
};

/** The use case `(ctx, principal, projectId, step or target, payload)` that acts so, in one straight line (`act`). */
function stepUseCase<At extends string | StepTarget, P = void>(useCase: StepUseCase<At, P>) {
  return (
    ctx: AppContext,
    principal: Principal,
    projectId: string,
    at: At,
    payload: P,
  ): Promise<ProjectStep> => {
    const actor: Actor = { ctx, principal };
    const { adds } = useCase;
    return act(
      ctx,
      principal,
      projectId,
      typeof at === 'string' ? { stepId: at } : at,
      (state, now) => useCase.rule(lifecycleInput(ctx, state, now), at, payload, actor),
      (state, item) => assertAllowed(principal, useCase.may, { project: state.project, item }),
      adds && ((state, now) => adds(actor, state, now, payload, at)),
    );
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
export const resubmitStep = stepUseCase<string, Resubmission>({ may: 'step.resubmit', rule: resubmitRule });

/**
 * The decision path's rule part (the rule: `domain/decision-path.ts`), for a use case that decides several steps in
 * one transaction (a batch).
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
  return decideRule(principal, lifecycleInput(ctx, state, now), target, decision, departmentLevel);
}

/**
 * An officer decides a step, or their department's part of a joint review; a city or provincial department's
 * decision is recorded here too, by the agent who collected it or the stage's lead department.
 *
 * Read once, write once: the project's working set (one Query), the departments (the reference cache: their levels,
 * names and robots) and, when the decision may issue a 一次性告知书, the year's last notice number are read together
 * up front; the pure `decisionEffects` decides and states every effect (items, events, notice, inbox, counters,
 * outbox); they are committed in one transaction, then the relay sends what is owed. Nothing is read between the
 * rule and the commit.
 */
export async function decideStep(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  target: StepTarget,
  decision: Decision,
): Promise<ProjectStep> {
  const reference = referenceData(ctx.store);
  const decided = await retryOnConflict(async () => {
    const now = ctx.clock.now();
    const [state, departments, numbering] = await Promise.all([
      loadState(ctx, projectId),
      reference.departments(),
      mayIssueNotice(target, decision) ? reference.noticeNumbering(now) : undefined,
    ]);
    const effects = decisionEffects({
      principal,
      state,
      target,
      decision,
      now,
      calendar: ctx.calendar,
      sla: ctx.settings.sla,
      newId: ctx.newId,
      outboxGraceSeconds: ctx.spine.outboxGraceSeconds,
      departments,
      numbering,
    });
    await commitEffects(ctx, effects);
    return effects.decided;
  });
  ctx.metrics?.add('Decisions', 1);
  return decided;
}

/**
 * The agent re-applies a rejected step (a new round); the project's execution is renewed so the new round runs,
 * whether the old execution still waits on sibling reviews or had stopped.
 */
export const reapplyStep = stepUseCase<string, string | undefined>({
  may: 'step.reapply',
  rule: (input, stepId, note) => reapplyRule(input, stepId, note),
  adds: ({ ctx }, state, now) => {
    const renewed = renewal(ctx, state.project, now);
    return { project: renewed.change, sends: renewed.sends };
  },
});

/** The department declares a period the law excludes (hearing, expert review, testing, site survey). */
export const pauseClock = stepUseCase<StepTarget, DeclaredPause>({
  may: 'step.pause_clock',
  rule: (input, target, pause, { ctx }) => pauseRule(input, target, { pauseId: ctx.newId(), ...pause }),
});

/** The department ends its declared pause: the clock runs again. */
export const endClockPause = stepUseCase<StepTarget>({
  may: 'step.pause_clock',
  rule: (input, target, _, { principal }) => endPauseRule(input, target, principal.userId),
});

/** The agent supplies materials accepted as missing at acceptance (容缺补交); once none is missing, it may be approved. */
export const supplyDeferredMaterials = stepUseCase<string, string[]>({
  may: 'step.resubmit',
  rule: (input, stepId, supplied) => supplyDeferredRule(input, stepId, supplied),
});

/**
 * The department records its verification of an approval on commitment (告知承诺制). A failure revokes the approval
 * through the decision path and stops the project's execution where it is, in the same transaction's outbox; the
 * agent's re-application starts the next one.
 */
export const verifyCommitment = stepUseCase<string, Verification>({
  may: 'step.decide',
  rule: (input, stepId, verification, { principal }) =>
    verifyCommitmentRule(input, stepId, verification, { userId: principal.userId }),
  adds: async ({ ctx }, state, now, verification, stepId) => {
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
});
