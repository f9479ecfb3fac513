import { gatesAfterClosing } from '../gates.js';
import type { ProjectStep } from '../project.js';
import { applyChanges, type Owed, type ProjectChange, type Transition } from '../transition.js';
import type { LifecycleInput } from './lifecycle.js';

/** A step closed: counters, the project returned on a rejection, its task reported, its dependents' gates. */
export function closeStep(input: LifecycleInput, transition: Transition, step: ProjectStep): Transition {
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
