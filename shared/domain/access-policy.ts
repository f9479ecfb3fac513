import type { Batch } from './batch.js';
import type { Chain } from './chain.js';
import { type Complaint, canSeeComplaint } from './complaint.js';
import type { DepartmentLevel } from './department.js';
import type { ErrorCodeOf } from './error-codes.js';
import { ForbiddenError, NotFoundError } from './errors.js';
import type { Meeting } from './meeting.js';
import type { Principal } from './principal.js';
import type { Project, ProjectStep } from './project.js';

/**
 * Who may do what to which object (DOMAIN.md "Who sees what"), as one pure function: principal × action ×
 * resource → allowed, or denied with a reason. Every route and every path or query parameter goes through it.
 * A refusal never reveals what the caller may not see: a project they may not see is "not found", exactly like
 * one that does not exist, and no message names a project code or an agent they could not have known.
 */
export type Action =
  | 'project.register'
  | 'project.read'
  | 'project.read_timeline'
  | 'project.reassign'
  | 'project.withdraw'
  | 'project.read_approvals'
  | 'project.set_code'
  | 'batch.assemble'
  | 'batch.read'
  | 'batch.carry'
  | 'batch.collect'
  | 'step.submit'
  | 'step.resubmit'
  | 'step.reapply'
  | 'step.decide'
  | 'step.pause_clock'
  | 'projects.filter_by_department'
  | 'projects.filter_by_agent'
  | 'inbox.read'
  | 'chain.publish'
  | 'reports.read'
  | 'reports.read_credit'
  | 'complaint.file'
  | 'complaint.read'
  | 'complaint.handle'
  | 'reports.read_weekly'
  | 'exports.read'
  | 'meeting.convene'
  | 'meeting.request'
  | 'meeting.answer_request'
  | 'meeting.respond'
  | 'meeting.run'
  | 'meeting.read'
  | 'admin.operate';

export type Resource = {
  project?: Project;
  /** the step or part acted on */
  item?: ProjectStep;
  /** the department named in a path or filter */
  departmentId?: string;
  /** the agent named in a body or filter */
  agentId?: string;
  /** the project's chain, for stage leadership (牵头部门 see their whole stage) */
  chain?: Chain;
  /** the chains in use, for a stage lead filtering by a department of its stages */
  chains?: readonly Chain[];
  /** a joint review meeting */
  meeting?: Meeting;
  /** an efficiency complaint (行政效能投诉) */
  complaint?: Complaint;
  /** the level of the department holding `item` (an upper-level decision may be recorded on its behalf) */
  departmentLevel?: DepartmentLevel;
  /** a batch of originals carried up to an upper-level department */
  batch?: Batch;
};

export type Verdict =
  | { allowed: true }
  /** not_found: the caller may not know the object exists; forbidden: they may, but not act on it */
  | { allowed: false; as: 'not_found'; code: ErrorCodeOf<404>; reason: string }
  | { allowed: false; as: 'forbidden'; code: ErrorCodeOf<403>; reason: string };

const allow: Verdict = { allowed: true };
const deny = (code: ErrorCodeOf<403>, reason: string): Verdict => ({
  allowed: false,
  as: 'forbidden',
  code,
  reason,
});
const hidden: Verdict = {
  allowed: false,
  as: 'not_found',
  code: 'PROJECT.NOT_FOUND',
  reason: 'no such project (or it is not one you may see)',
};

const isOverseer = (p: Principal): boolean => p.role === 'leader' || p.role === 'admin';

const hiddenComplaint: Verdict = {
  allowed: false,
  as: 'not_found',
  code: 'COMPLAINT.NOT_FOUND',
  reason: 'no such complaint (or it is not one you may see)',
};

const hiddenBatch: Verdict = {
  allowed: false,
  as: 'not_found',
  code: 'BATCH.NOT_FOUND',
  reason: 'no such batch (or it is not one you may see)',
};

const hiddenMeeting: Verdict = {
  allowed: false,
  as: 'not_found',
  code: 'MEETING.NOT_FOUND',
  reason: 'no such meeting (or it is not one you may see)',
};

/** Leaders see every meeting; departments those they are invited to or convened; agents and investors theirs. */
export function canSeeMeeting(principal: Principal, meeting: Meeting): boolean {
  switch (principal.role) {
    case 'leader':
    case 'admin':
      return true;
    case 'officer':
      return (
        principal.departmentId !== undefined &&
        (meeting.invited.includes(principal.departmentId) ||
          meeting.convenedBy?.departmentId === principal.departmentId)
      );
    case 'agent':
      return (
        meeting.requestedBy?.userId === principal.userId ||
        meeting.agenda.some((i) => i.agentId === principal.userId)
      );
    case 'investor':
      return meeting.agenda.some((i) => i.enterpriseId === principal.enterpriseId);
    case 'efficiency':
      return false;
  }
}

/** The stages of the project's chain this officer's department leads (牵头部门). */
function leadsStageOf(principal: Principal, resource: Resource): boolean {
  if (principal.role !== 'officer' || !principal.departmentId || !resource.chain) return false;
  return resource.chain.stages.some((s) => s.leadDepartmentId === principal.departmentId);
}

/** Whether the officer's department leads a stage (in any of the chains) in which `departmentId` holds a step. */
function leadsStageHolding(principal: Principal, departmentId: string, chains: readonly Chain[]): boolean {
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

/** Whether the principal may see the project at all. */
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
        (project.departments.includes(principal.departmentId) ||
          leadsStageOf(principal, { ...(chain ? { chain } : {}) }))
      );
    case 'efficiency':
      // 效能办 sees complaints and reports (each complaint names its project and step), not the projects themselves
      return false;
  }
}

export function decide(principal: Principal, action: Action, resource: Resource = {}): Verdict {
  const { project, item } = resource;
  if (project && !canSeeProject(principal, project, resource.chain)) return hidden;
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
      if (isOverseer(principal) || (principal.role === 'agent' && project?.agentId === principal.userId))
        return allow;
      return deny(
        'PROJECT.REASSIGN_FORBIDDEN',
        'only a leader, an admin or the current agent may hand a project over',
      );
    case 'project.withdraw':
      if (isOverseer(principal) || (principal.role === 'agent' && project?.agentId === principal.userId))
        return allow;
      return deny(
        'PROJECT.WITHDRAW_FORBIDDEN',
        "only the project's agent, a leader or an admin may withdraw it",
      );
    case 'step.submit':
    case 'step.resubmit':
    case 'step.reapply':
      if (principal.role === 'agent' && project?.agentId === principal.userId) return allow;
      return deny(
        'STEP.NOT_YOUR_PROJECT',
        "only the project's assigned agent submits, supplies and re-applies for it",
      );
    case 'step.decide':
      if (
        principal.role === 'officer' &&
        principal.departmentId &&
        principal.departmentId === item?.departmentId
      ) {
        return allow;
      }
      // 上下协同: a city or provincial department's decision is recorded on its behalf by the project's agent (who
      // collected the approval) or by an officer of the district department leading the step's stage
      if (resource.departmentLevel && resource.departmentLevel !== 'district') {
        if (principal.role === 'agent' && project?.agentId === principal.userId) return allow;
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
      if (
        principal.role === 'officer' &&
        principal.departmentId &&
        principal.departmentId === item?.departmentId
      ) {
        return allow;
      }
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
      if (isOverseer(principal) || (principal.role === 'agent' && project?.agentId === principal.userId))
        return allow;
      if (
        principal.role === 'officer' &&
        principal.departmentId &&
        principal.departmentId === item?.departmentId
      )
        return allow;
      return deny(
        'PROJECT.CODE_FORBIDDEN',
        "the national project code is recorded by the project's agent, the filing department or a leader",
      );
    case 'batch.assemble':
      if (principal.role === 'agent') return allow;
      return deny('BATCH.AGENTS_ONLY', 'agents assemble batches of their projects’ upper-level steps');
    case 'batch.read':
    case 'batch.carry':
    case 'batch.collect': {
      const batch = resource.batch;
      const own = principal.role === 'agent' && batch?.agentId === principal.userId;
      // officers: those of the department it goes to (a district officer records an upper-level decision step by
      // step, through the step's decision)
      const seen =
        own ||
        isOverseer(principal) ||
        (principal.role === 'officer' &&
          batch !== undefined &&
          principal.departmentId === batch.departmentId);
      if (!batch || !seen) return hiddenBatch;
      if (action === 'batch.read' || own) return allow;
      return deny(
        'BATCH.NOT_YOUR_BATCH',
        'the agent who assembled a batch records carrying it up and collecting its approvals',
      );
    }
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
    case 'reports.read':
      // leaders and admins read every row; officers their department's, agents their own (the use case filters)
      if (principal.role === 'investor')
        return deny('REPORTS.FORBIDDEN', 'reports are for the service centre, departments and agents');
      return allow;
    case 'reports.read_credit':
      if (isOverseer(principal) || principal.role === 'efficiency') return allow;
      return deny(
        'REPORTS.CREDIT_FORBIDDEN',
        "enterprises' credit records are for leaders and the efficiency office",
      );
    case 'complaint.file':
      // the project is visible (checked above): an agent's own project, an investor's enterprise's
      if (principal.role === 'agent' || principal.role === 'investor') return allow;
      return deny(
        'COMPLAINT.FILE_FORBIDDEN',
        "efficiency complaints are filed by the project's investor or agent",
      );
    case 'complaint.read':
      return resource.complaint && canSeeComplaint(principal, resource.complaint) ? allow : hiddenComplaint;
    case 'complaint.handle':
      if (!resource.complaint || !canSeeComplaint(principal, resource.complaint)) return hiddenComplaint;
      if (principal.role === 'efficiency') return allow;
      return deny('COMPLAINT.HANDLE_FORBIDDEN', 'the efficiency office (效能办) handles complaints');
    case 'reports.read_weekly':
      // the weekly report ranks every department: the service centre's leaders receive it (DOMAIN.md)
      if (isOverseer(principal) || principal.role === 'efficiency') return allow;
      return deny(
        'REPORTS.WEEKLY_FORBIDDEN',
        'the weekly report is for leaders, the efficiency office and admins',
      );
    case 'exports.read':
      // every project's approvals at once (开放数据 for the national platform and the statistics office)
      if (isOverseer(principal)) return allow;
      return deny('EXPORTS.FORBIDDEN', "the district's open-data exports are for leaders and admins");
    case 'meeting.convene':
      // a leader; or a stage's lead department, for the steps of the stages it leads (the use case checks which)
      if (isOverseer(principal) || principal.role === 'officer') return allow;
      return deny(
        'MEETING.CONVENE_FORBIDDEN',
        'a leader or a stage lead department convenes meetings; an agent may request one',
      );
    case 'meeting.request':
      if (principal.role === 'agent') return allow;
      return deny('MEETING.REQUEST_FORBIDDEN', 'agents request meetings for their projects');
    case 'meeting.answer_request':
      if (isOverseer(principal)) return allow;
      return deny('MEETING.ANSWER_FORBIDDEN', 'a leader accepts or declines a requested meeting');
    case 'meeting.respond': {
      const meeting = resource.meeting;
      if (!meeting || !canSeeMeeting(principal, meeting)) return hiddenMeeting;
      if (
        principal.role === 'officer' &&
        principal.departmentId &&
        meeting.invited.includes(principal.departmentId)
      ) {
        return allow;
      }
      return deny('MEETING.RESPOND_FORBIDDEN', "only an invited department's officer answers an invitation");
    }
    case 'meeting.run': {
      const meeting = resource.meeting;
      if (!meeting || !canSeeMeeting(principal, meeting)) return hiddenMeeting;
      if (isOverseer(principal)) return allow;
      if (principal.role === 'officer' && principal.departmentId === meeting.convenedBy?.departmentId)
        return allow;
      return deny(
        'MEETING.RUN_FORBIDDEN',
        'the convener (a leader or the convening lead department) runs the meeting',
      );
    }
    case 'meeting.read':
      return resource.meeting && canSeeMeeting(principal, resource.meeting) ? allow : hiddenMeeting;
    case 'chain.publish':
    case 'admin.operate':
      if (principal.role === 'admin') return allow;
      return deny('ADMIN.ONLY', 'only an admin may do this');
  }
}

/** Throws the verdict's refusal (404 or 403); the caller records denied attempts in the audit trail. */
export function assertAllowed(principal: Principal, action: Action, resource: Resource = {}): void {
  const verdict = decide(principal, action, resource);
  if (verdict.allowed) return;
  if (verdict.as === 'not_found') throw new NotFoundError(verdict.code, verdict.reason, action);
  throw new ForbiddenError(verdict.code, verdict.reason, action);
}
