import { ForbiddenError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Project, ProjectStep } from '../domain/project.js';

/**
 * Per-object access rules. Leaders and admins see everything; an investor sees only their enterprise's
 * projects; an agent acts only on projects assigned to them; an officer decides only for their department.
 */
const isOverseer = (p: Principal): boolean => p.role === 'leader' || p.role === 'admin';

export function canSeeProject(principal: Principal, project: Project): boolean {
  switch (principal.role) {
    case 'leader':
    case 'admin':
      return true;
    case 'agent':
      return project.agentId === principal.userId;
    case 'investor':
      return principal.enterpriseId !== undefined && project.enterpriseId === principal.enterpriseId;
    case 'officer':
      // Officers work across projects (their inbox); what they may change is checked per step.
      return principal.departmentId !== undefined;
  }
}

export function assertCanSeeProject(principal: Principal, project: Project): void {
  if (!canSeeProject(principal, project)) {
    throw new ForbiddenError('PROJECT.FORBIDDEN', `you may not see project ${project.code}`);
  }
}

export function assertCanCreateProject(principal: Principal): void {
  if (principal.role !== 'agent' && !isOverseer(principal)) {
    throw new ForbiddenError('PROJECT.CREATE_FORBIDDEN', 'only agents, leaders and admins register projects');
  }
}

/** Submissions and resubmissions are made by the project's assigned agent. */
export function assertIsProjectAgent(principal: Principal, project: Project): void {
  if (principal.role !== 'agent' || principal.userId !== project.agentId) {
    throw new ForbiddenError(
      'STEP.NOT_YOUR_PROJECT',
      `only the agent assigned to project ${project.code} (${project.agentId}) may submit for it`,
    );
  }
}

/** Decisions are taken by an officer of the step's department. */
export function assertCanDecide(principal: Principal, step: ProjectStep): void {
  if (
    principal.role !== 'officer' ||
    !principal.departmentId ||
    principal.departmentId !== step.departmentId
  ) {
    throw new ForbiddenError(
      'STEP.NOT_YOUR_DEPARTMENT',
      `only an officer of department ${step.departmentId ?? '(none: a milestone the agent reports)'} may decide step ${step.stepId}`,
    );
  }
}

/** A project changes hands by a leader's or admin's order, or by its current agent handing it over. */
export function assertCanReassign(principal: Principal, project: Project): void {
  if (isOverseer(principal)) return;
  if (principal.role === 'agent' && principal.userId === project.agentId) return;
  throw new ForbiddenError(
    'PROJECT.REASSIGN_FORBIDDEN',
    'only a leader, an admin or the current agent may reassign',
  );
}

export function assertCanSeeInbox(principal: Principal, departmentId: string): void {
  if (isOverseer(principal)) return;
  if (principal.role === 'officer' && principal.departmentId === departmentId) return;
  throw new ForbiddenError(
    'INBOX.FORBIDDEN',
    `only officers of ${departmentId}, leaders and admins see its inbox`,
  );
}
