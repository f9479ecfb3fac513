import type { NoticeMaterial } from '../decision.js';
import { jointOutcome } from '../joint-review.js';
import { itemKey, type ProjectStep } from '../project.js';
import { resumeClock } from '../step-clock.js';
import { applyChanges, changed, partsOf, type Transition } from '../transition.js';
import { closeStep } from './closing.js';
import { itemOf, type LifecycleInput } from './lifecycle.js';

/**
 * After a part's decision: the joint review's step follows its parts. It closes when every part answered (most
 * severe first), asks the agent for everything at once when parts asked for materials, or waits; it is written on
 * every part decision so two parts decided at once never both think they are not the last.
 */
export function concludeJointReview(
  input: LifecycleInput,
  transition: Transition,
  stepId: string,
): Transition {
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
