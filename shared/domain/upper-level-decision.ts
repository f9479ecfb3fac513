import type { DepartmentLevel } from './department.js';
import type { Principal } from './principal.js';
import type { ProjectStep } from './project.js';
import type { DecidedBy } from './steps/lifecycle.js';

/**
 * Levels (上下协同, DOMAIN.md "Also in the practice"): a step held by a city or provincial department is decided
 * there; its decision is recorded in the district's tracker on that department's behalf by the agent who collected
 * the approval or by the stage's lead department (who may record it is the access policy's `step.decide`). Such a
 * decision is marked as the upper level's (`via: 'upper_level'`); one recorded by an officer of the department
 * that holds the step is that department's own, whatever its level.
 */
export function decidedOnBehalf(
  principal: Pick<Principal, 'role' | 'departmentId'>,
  item: Pick<ProjectStep, 'departmentId'>,
  departmentLevel: DepartmentLevel | undefined,
): boolean {
  if (departmentLevel === undefined || departmentLevel === 'district') return false;
  return !(principal.role === 'officer' && principal.departmentId === item.departmentId);
}

/** Who decides, as the step lifecycle records it: the person, and the upper level when on its behalf. */
export function deciderOf(
  principal: Pick<Principal, 'userId' | 'role' | 'departmentId'>,
  item: Pick<ProjectStep, 'departmentId'>,
  departmentLevel: DepartmentLevel | undefined,
): DecidedBy {
  return {
    userId: principal.userId,
    ...(decidedOnBehalf(principal, item, departmentLevel) ? { via: 'upper_level' as const } : {}),
  };
}
