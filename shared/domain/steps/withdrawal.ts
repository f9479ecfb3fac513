import { ConflictError } from '../errors.js';
import { resumeClock } from '../step-clock.js';
import { isClosed } from '../step-status.js';
import { changed, type ItemChange, type Transition } from '../transition.js';
import type { LifecycleInput } from './lifecycle.js';

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
