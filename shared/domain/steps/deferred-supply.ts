import { deferralCheckAt, outstandingOf } from '../deferred-materials.js';
import { ConflictError, InvalidInputError } from '../errors.js';
import type { ProjectStep } from '../project.js';
import { isClosed } from '../step-status.js';
import { changed, type Transition } from '../transition.js';
import { withDue } from './due-dates.js';
import { itemOf, type LifecycleInput } from './lifecycle.js';

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
