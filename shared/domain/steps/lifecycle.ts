import type { StepDefinition } from '../chain.js';
import { findPart, findStep } from '../chain-graph.js';
import { NotFoundError } from '../errors.js';
import { itemKey, type ProjectStep } from '../project.js';
import type { SlaPolicy } from '../sla-policy.js';
import type { ProjectState, Transition } from '../transition.js';
import type { WorkingDayCalendar } from '../working-days.js';

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
 *
 * Each transition is a file of its own beside this one: gate-opening, submission, deferred-supply (容缺补交),
 * decision, supplement (补正), reapplication, withdrawal, clock-pauses, commitment-verification (告知承诺核查),
 * joint-conclusion (联合审查), with closing, reopening and due-dates as the rules they share. This file holds what
 * they all read: the input, who decides, and the step (or part) a transition is about.
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

export const empty = (): Transition => ({ changes: [], events: [], owed: [], relies: [] });

export function definitionOf(input: Pick<LifecycleInput, 'state'>, stepId: string): StepDefinition {
  const found = findStep(input.state.chain, stepId);
  if (!found) {
    throw new NotFoundError('STEP.NOT_FOUND', `this project's chain has no step '${stepId}'`);
  }
  return found.step;
}

export function itemOf(input: Pick<LifecycleInput, 'state'>, stepId: string, partId?: string): ProjectStep {
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
 * What an item is and where it stands, without its rounds' history: the start of the item a new round (or a
 * reopening) writes over it, keeping its version for the conditional write.
 */
export const itemIdentity = (item: ProjectStep) => ({
  projectId: item.projectId,
  stepId: item.stepId,
  ...(item.partId ? { partId: item.partId } : {}),
  stageIndex: item.stageIndex,
  departmentId: item.departmentId,
  kind: item.kind,
  version: item.version,
});
