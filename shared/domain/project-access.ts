import {
  allow,
  deny,
  holdsItem,
  isOverseer,
  isProjectAgent,
  type Resource,
  type Verdict,
} from './access-verdict.js';
import type { Principal } from './principal.js';
import { leadsStageHolding } from './project-visibility.js';

/** What is done to a project, its steps, and the lists of projects and work. */
export type ProjectAction =
  | 'project.register'
  | 'project.read'
  | 'project.read_timeline'
  | 'project.reassign'
  | 'project.withdraw'
  | 'project.read_approvals'
  | 'project.set_code'
  | 'step.submit'
  | 'step.resubmit'
  | 'step.reapply'
  | 'step.decide'
  | 'step.pause_clock'
  | 'projects.filter_by_department'
  | 'projects.filter_by_agent'
  | 'inbox.read';

/**
 * Who may act on a project or its steps, or list projects and work (DOMAIN.md "Who sees what"). The caller
 * (access-policy.ts `decide`) has already hidden a project the principal may not see.
 */
export function decideProjectAction(
  principal: Principal,
  action: ProjectAction,
  resource: Resource,
): Verdict {
  const { item } = resource;
  switch (action) {
    case 'project.register':
      if (isOverseer(principal)) return allow;
      if (principal.role !== 'agent')
        return deny('PROJECT.REGISTER_FORBIDDEN', 'only agents, leaders and admins register projects');
      if (resource.agentId !== undefined && resource.agentId !== principal.userId) {
        return deny(
          'PROJECT.REGISTER_FOR_OTHERS',
          'an agent registers projects for themselves; a leader or admin assigns other agents',
        );
      }
      return allow;
    case 'project.read':
    case 'project.read_timeline':
      return allow;
    case 'project.reassign':
      if (isOverseer(principal) || isProjectAgent(principal, resource)) return allow;
      return deny(
        'PROJECT.REASSIGN_FORBIDDEN',
        'only a leader, an admin or the current agent may hand a project over',
      );
    case 'project.withdraw':
      if (isOverseer(principal) || isProjectAgent(principal, resource)) return allow;
      return deny(
        'PROJECT.WITHDRAW_FORBIDDEN',
        "only the project's agent, a leader or an admin may withdraw it",
      );
    case 'step.submit':
    case 'step.resubmit':
    case 'step.reapply':
      if (isProjectAgent(principal, resource)) return allow;
      return deny(
        'STEP.NOT_YOUR_PROJECT',
        "only the project's assigned agent submits, supplies and re-applies for it",
      );
    case 'step.decide':
      if (holdsItem(principal, resource)) return allow;
      // 上下协同: a city or provincial department's decision is recorded on its behalf by the project's agent (who
      // collected the approval) or by an officer of the district department leading the step's stage
      if (resource.departmentLevel && resource.departmentLevel !== 'district') {
        if (isProjectAgent(principal, resource)) return allow;
        const lead = item ? resource.chain?.stages[item.stageIndex]?.leadDepartmentId : undefined;
        if (principal.role === 'officer' && lead !== undefined && principal.departmentId === lead)
          return allow;
        return deny(
          'STEP.NOT_YOUR_DEPARTMENT',
          "an upper-level department's decision is recorded by its own officers, the project's agent or the stage's lead department",
        );
      }
      return deny(
        'STEP.NOT_YOUR_DEPARTMENT',
        'only an officer of the department that holds this step (or part) may act on it',
      );
    case 'step.pause_clock':
      if (holdsItem(principal, resource)) return allow;
      return deny(
        'STEP.NOT_YOUR_DEPARTMENT',
        'only an officer of the department that holds this step (or part) may act on it',
      );
    case 'project.read_approvals':
      // the enterprise's own record of its 批文 and 证照: its investors, its agent, the service centre
      if (principal.role === 'officer') {
        return deny(
          'APPROVALS.FORBIDDEN',
          "a project's approvals list is for its enterprise, its agent and leaders; a department sees each step in the project view",
        );
      }
      return allow;
    case 'project.set_code':
      // 项目代码 is issued at filing: the agent records it, or the filing department's officer, or a leader
      if (isOverseer(principal) || isProjectAgent(principal, resource)) return allow;
      if (holdsItem(principal, resource)) return allow;
      return deny(
        'PROJECT.CODE_FORBIDDEN',
        "the national project code is recorded by the project's agent, the filing department or a leader",
      );
    case 'projects.filter_by_department':
      if (isOverseer(principal)) return allow;
      if (principal.role === 'officer' && principal.departmentId === resource.departmentId) return allow;
      if (resource.departmentId && leadsStageHolding(principal, resource.departmentId, resource.chains ?? []))
        return allow;
      return deny(
        'DEPARTMENT.FORBIDDEN',
        "only the department's own officers, the lead department of a stage it works in, leaders and admins see its projects",
      );
    case 'inbox.read':
      if (isOverseer(principal)) return allow;
      if (principal.role === 'officer' && principal.departmentId === resource.departmentId) return allow;
      return deny(
        'DEPARTMENT.FORBIDDEN',
        "only the department's own officers, leaders and admins see its work",
      );
    case 'projects.filter_by_agent':
      if (isOverseer(principal) || (principal.role === 'agent' && principal.userId === resource.agentId))
        return allow;
      return deny('AGENT.FORBIDDEN', "only leaders and admins see another agent's projects");
  }
}
