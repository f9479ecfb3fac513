import type { Chain } from './chain.js';
import type { Principal } from './principal.js';
import type { Project } from './project.js';

/** Whether this officer's department leads a stage of the project's chain (牵头部门 see their whole stage). */
function leadsStageOf(principal: Principal, chain: Chain | undefined): boolean {
  if (principal.role !== 'officer' || !principal.departmentId || !chain) return false;
  return chain.stages.some((s) => s.leadDepartmentId === principal.departmentId);
}

/** Whether the officer's department leads a stage (in any of the chains) in which `departmentId` holds a step. */
export function leadsStageHolding(
  principal: Principal,
  departmentId: string,
  chains: readonly Chain[],
): boolean {
  if (principal.role !== 'officer' || !principal.departmentId) return false;
  return chains.some((chain) =>
    chain.stages.some(
      (stage) =>
        stage.leadDepartmentId === principal.departmentId &&
        stage.steps.some(
          (step) =>
            step.departmentId === departmentId ||
            (step.parts ?? []).some((p) => p.departmentId === departmentId),
        ),
    ),
  );
}

/** Whether a principal may see a project: a whole one, or a list's row of it (which holds the fields read here). */
export function canSeeProject(
  principal: Principal,
  project: Pick<Project, 'agentId' | 'enterpriseId' | 'departments'>,
  chain?: Chain,
): boolean {
  switch (principal.role) {
    case 'leader':
    case 'admin':
      return true;
    case 'agent':
      return project.agentId === principal.userId;
    case 'investor':
      return principal.enterpriseId !== undefined && project.enterpriseId === principal.enterpriseId;
    case 'officer':
      return (
        principal.departmentId !== undefined &&
        (project.departments.includes(principal.departmentId) || leadsStageOf(principal, chain))
      );
    case 'efficiency':
      // 效能办 sees complaints and reports (each complaint names its project and step), not the projects themselves
      return false;
  }
}
