import { findStep } from '../chain-graph.js';
import { ConflictError } from '../errors.js';
import type { ProjectStep } from '../project.js';
import { isPassed } from '../step-status.js';
import {
  changed,
  type EventDraft,
  type ItemChange,
  partsOf,
  squashChanges,
  type Transition,
} from '../transition.js';
import { itemIdentity, itemOf, type LifecycleInput } from './lifecycle.js';
import { rewindFor } from './reopening.js';

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
    ...itemIdentity(item),
    status,
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
