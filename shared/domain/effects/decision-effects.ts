import { assertAllowed } from '../access-policy.js';
import type { Decision } from '../decision.js';
import { decisionTransition, type StepTarget, stepAt } from '../decision-path.js';
import type { Department } from '../department.js';
import type { Principal } from '../principal.js';
import type { SlaPolicy } from '../sla-policy.js';
import type { ProjectState } from '../transition.js';
import type { WorkingDayCalendar } from '../working-days.js';
import type { NoticeNumbering } from './notice-effects.js';
import { type TransitionEffects, transitionEffects } from './transition-effects.js';

/**
 * A department's decision on a step or its part of a joint review, from what was read once to every effect: the
 * project visible to the officer, the holding department's level (an upper-level decision recorded on its behalf),
 * the decision's transition, then its writes, notice, inbox items, counters and signals (`transitionEffects`).
 */
export function decisionEffects(input: {
  principal: Principal;
  state: ProjectState;
  target: StepTarget;
  decision: Decision;
  now: Date;
  calendar: WorkingDayCalendar;
  sla: SlaPolicy | undefined;
  newId: () => string;
  outboxGraceSeconds: number;
  departments: readonly Department[];
  /** the year's notice numbers, read with the project when the decision may issue a 一次性告知书 */
  numbering: NoticeNumbering | undefined;
}): TransitionEffects & { decided: ReturnType<typeof stepAt> } {
  const { principal, state, target, now, calendar, departments } = input;
  assertAllowed(principal, 'project.read', { project: state.project, chain: state.chain });
  const holder = stepAt(state, target).departmentId;
  const level = holder ? departments.find((d) => d.id === holder)?.level : undefined;
  const transition = decisionTransition(
    principal,
    { state, now, calendar, ...(input.sla ? { sla: input.sla } : {}) },
    target,
    input.decision,
    level,
  );
  const effects = transitionEffects({
    state,
    transition,
    actor: principal,
    now,
    calendar,
    newId: input.newId,
    outboxGraceSeconds: input.outboxGraceSeconds,
    reference: { departments, ...(input.numbering ? { numbering: input.numbering } : {}) },
  });
  return { ...effects, decided: stepAt(effects.after, target) };
}
