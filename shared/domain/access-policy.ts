import { hiddenProject, type Resource, type Verdict } from './access-verdict.js';
import { type BatchAction, decideBatchAction } from './batch-access.js';
import { type ComplaintAction, decideComplaintAction } from './complaint-access.js';
import type { ErrorCodeOf } from './error-codes.js';
import { ForbiddenError, NotFoundError } from './errors.js';
import { decideMeetingAction, type MeetingAction } from './meeting-access.js';
import { decideOversightAction, type OversightAction } from './oversight-access.js';
import type { Principal } from './principal.js';
import { decideProjectAction, type ProjectAction } from './project-access.js';
import { canSeeProject } from './project-visibility.js';

export type { Resource, Verdict } from './access-verdict.js';

/**
 * Who may do what to which object (DOMAIN.md "Who sees what"), as one pure function: principal × action ×
 * resource → allowed, or denied with a reason. Every route and every path or query parameter goes through it.
 * A refusal never reveals what the caller may not see: a project they may not see is "not found", exactly like
 * one that does not exist, and no message names a project code or an agent they could not have known.
 *
 * The rules themselves are in the file for what is acted on: project-access.ts (projects, steps, lists and
 * inboxes), batch-access.ts, meeting-access.ts, complaint-access.ts and oversight-access.ts (reports, exports,
 * administration); who sees a project or a meeting at all in project-visibility.ts and meeting-visibility.ts.
 */
export type Action = ProjectAction | BatchAction | MeetingAction | ComplaintAction | OversightAction;

export function decide(principal: Principal, action: Action, resource: Resource = {}): Verdict {
  if (resource.project && !canSeeProject(principal, resource.project, resource.chain)) return hiddenProject;
  switch (action) {
    case 'project.register':
    case 'project.read':
    case 'project.read_timeline':
    case 'project.reassign':
    case 'project.withdraw':
    case 'project.read_approvals':
    case 'project.set_code':
    case 'step.submit':
    case 'step.resubmit':
    case 'step.reapply':
    case 'step.decide':
    case 'step.pause_clock':
    case 'projects.filter_by_department':
    case 'projects.filter_by_agent':
    case 'inbox.read':
      return decideProjectAction(principal, action, resource);
    case 'batch.assemble':
    case 'batch.read':
    case 'batch.carry':
    case 'batch.collect':
      return decideBatchAction(principal, action, resource);
    case 'meeting.convene':
    case 'meeting.request':
    case 'meeting.answer_request':
    case 'meeting.respond':
    case 'meeting.run':
    case 'meeting.read':
      return decideMeetingAction(principal, action, resource);
    case 'complaint.file':
    case 'complaint.read':
    case 'complaint.handle':
      return decideComplaintAction(principal, action, resource);
    case 'reports.read':
    case 'reports.read_credit':
    case 'reports.read_weekly':
    case 'exports.read':
    case 'chain.publish':
    case 'admin.operate':
      return decideOversightAction(principal, action);
  }
}

/** Throws the verdict's refusal (404 or 403); the caller records denied attempts in the audit trail. */
export function assertAllowed(principal: Principal, action: Action, resource: Resource = {}): void {
  const verdict = decide(principal, action, resource);
  if (verdict.allowed) return;
  if (verdict.as === 'not_found') throw new NotFoundError(verdict.code, verdict.reason, action);
  throw new ForbiddenError(verdict.code, verdict.reason, action);
}

const NOT_FOUND = {
  batch: 'BATCH.NOT_FOUND',
  meeting: 'MEETING.NOT_FOUND',
  complaint: 'COMPLAINT.NOT_FOUND',
} as const satisfies Record<string, ErrorCodeOf<404>>;

/**
 * The batch, meeting or complaint read, if the caller may act on it so: none read is "not found", the same refusal
 * as one they may not see; the policy refuses the rest saying who may.
 */
export function allowedOn<K extends keyof typeof NOT_FOUND>(
  principal: Principal,
  action: Action,
  kind: K,
  found: Resource[K],
): NonNullable<Resource[K]> {
  if (!found) throw new NotFoundError(NOT_FOUND[kind], `no such ${kind} (or it is not one you may see)`);
  assertAllowed(principal, action, { [kind]: found });
  return found as NonNullable<Resource[K]>;
}
