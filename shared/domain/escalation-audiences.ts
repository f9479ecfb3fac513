import type { User } from './project.js';
import type { SlaAction } from './sla.js';
import type { EscalationRung } from './sla-policy.js';

/** Who is concerned by a piece of news: a department's officers, a role, or one user. */
export type Audience = { departmentId: string } | { role: User['role'] } | { userId: string };

/** The people an item's SLA news can reach: its department, its stage's lead department, and the project's agent. */
export type ItemConcerned = { departmentId?: string; leadDepartmentId?: string; agentId: string };

/** An action of the sweep that tells someone (a held deadline tells the admins instead, once per missing year). */
export type TellingAction = Exclude<SlaAction, { kind: 'held' }>;

const LEADERS: Audience = { role: 'leader' };

/** The rungs above the departments: their news also goes outside the system (SNS on AWS). */
export const isUpperRung = (rung: EscalationRung): boolean =>
  rung === 'joint_meeting' || rung === 'secretary_general' || rung === 'mayor';

/**
 * Who is told at each rung of the escalation ladder (DOMAIN.md 督办): the handling department at the first rung; the
 * stage's lead department with it at the second; from the joint meeting up, the district leaders as well. The
 * agent hears of every rung.
 */
export function escalationAudiences(rung: EscalationRung, who: ItemConcerned): Audience[] {
  const department: Audience[] = who.departmentId ? [{ departmentId: who.departmentId }] : [];
  const lead: Audience[] = who.leadDepartmentId ? [{ departmentId: who.leadDepartmentId }] : [];
  const ladder =
    rung === 'department'
      ? department
      : rung === 'stage_lead'
        ? [...lead, ...department]
        : [LEADERS, ...lead, ...department];
  return [...ladder, { userId: who.agentId }];
}

/**
 * Who is told of each thing the sweep does to an item: a light or a breach, the department and the agent; a rung,
 * see {@link escalationAudiences}; a deemed approval (超时默认), the department, the lead department, the leaders and
 * the agent; a 容缺 deadline missed, the agent alone (the applicant's breach); a commitment's verification overdue,
 * the department and the leaders.
 */
export function audiencesOf(action: TellingAction, who: ItemConcerned): Audience[] {
  const department: Audience[] = who.departmentId ? [{ departmentId: who.departmentId }] : [];
  const lead: Audience[] = who.leadDepartmentId ? [{ departmentId: who.leadDepartmentId }] : [];
  const agent: Audience = { userId: who.agentId };
  switch (action.kind) {
    case 'yellow':
    case 'red':
      return [...department, agent];
    case 'escalate':
      return escalationAudiences(action.rung, who);
    case 'deemed':
      return [...department, ...lead, LEADERS, agent];
    case 'deferral_missed':
      return [agent];
    case 'verification_overdue':
      return [...department, LEADERS];
  }
}

/** The departments and roles (not single users) a list of audiences names, each once: what to look up before. */
export function groupAudiences(
  audiences: readonly Audience[],
): Array<{ departmentId: string } | { role: User['role'] }> {
  const seen = new Map<string, { departmentId: string } | { role: User['role'] }>();
  for (const a of audiences) {
    if ('departmentId' in a) seen.set(`dept:${a.departmentId}`, { departmentId: a.departmentId });
    else if ('role' in a) seen.set(`role:${a.role}`, { role: a.role });
  }
  return [...seen.values()];
}
