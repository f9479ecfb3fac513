import type { ProjectStep } from '../project.js';
import { isClosed, isOpen, isPassed } from '../step-status.js';
import {
  applyChanges,
  changed,
  type EventDraft,
  type ItemChange,
  type ProjectChange,
  type ProjectState,
  partsOf,
} from '../transition.js';
import { itemIdentity, type LifecycleInput } from './lifecycle.js';

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
export function rewindFor(
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
    ...itemIdentity(item),
    status: 'pending' as const,
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
