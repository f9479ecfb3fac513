import type { Batch } from './batch.js';
import type { Chain } from './chain.js';
import type { Complaint } from './complaint.js';
import type { DepartmentLevel } from './department.js';
import type { ErrorCodeOf } from './error-codes.js';
import type { Meeting } from './meeting.js';
import type { Principal } from './principal.js';
import type { Project, ProjectStep } from './project.js';

/**
 * What the access rules (access-policy.ts and the files it asks: project-access, batch-access, meeting-access,
 * complaint-access, oversight-access) decide about and answer: the object acted on, and allowed or denied with a
 * reason. A refusal never reveals what the caller may not see: an object they may not see is "not found", exactly
 * like one that does not exist.
 */
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

export const allow: Verdict = { allowed: true };

export const deny = (code: ErrorCodeOf<403>, reason: string): Verdict => ({
  allowed: false,
  as: 'forbidden',
  code,
  reason,
});

const hiddenAs = (code: ErrorCodeOf<404>, what: string): Verdict => ({
  allowed: false,
  as: 'not_found',
  code,
  reason: `no such ${what} (or it is not one you may see)`,
});

export const hiddenProject = hiddenAs('PROJECT.NOT_FOUND', 'project');
export const hiddenComplaint = hiddenAs('COMPLAINT.NOT_FOUND', 'complaint');
export const hiddenBatch = hiddenAs('BATCH.NOT_FOUND', 'batch');
export const hiddenMeeting = hiddenAs('MEETING.NOT_FOUND', 'meeting');

/** Leaders and admins oversee the whole district. */
export const isOverseer = (p: Principal): boolean => p.role === 'leader' || p.role === 'admin';

/** Whether the principal is an officer of the department holding the step (or part) acted on. */
export const holdsItem = (principal: Principal, resource: Resource): boolean =>
  principal.role === 'officer' &&
  !!principal.departmentId &&
  principal.departmentId === resource.item?.departmentId;

/** Whether the principal is the project's assigned agent. */
export const isProjectAgent = (principal: Principal, resource: Resource): boolean =>
  principal.role === 'agent' && resource.project?.agentId === principal.userId;
