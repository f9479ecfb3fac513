import { z } from 'zod';

/**
 * Step statuses (a joint review's parts use the same).
 * pending: waiting for prerequisites · ready: open, waiting for the agent's submission ·
 * in_review: submitted, the department's clock runs · supplement_requested: clock paused (补正) ·
 * approved / deemed_approved (超时默认) / rejected / not_applicable / withdrawn (撤回): closed.
 */
export const StepStatusSchema = z.enum([
  'pending',
  'ready',
  'in_review',
  'supplement_requested',
  'approved',
  'deemed_approved',
  'rejected',
  'not_applicable',
  'withdrawn',
]);
export type StepStatus = z.infer<typeof StepStatusSchema>;

/**
 * active: steps in progress · returned (退办): a step was rejected, the agent may re-apply it ·
 * completed: every step passed · withdrawn (撤回/终止): the enterprise stopped, nothing waits any longer.
 */
export const ProjectStatusSchema = z.enum(['active', 'returned', 'completed', 'withdrawn']);
export type ProjectStatus = z.infer<typeof ProjectStatusSchema>;

/** A closed step lets its dependents open (a rejected one stops them instead). */
export const isPassed = (status: StepStatus): boolean =>
  status === 'approved' || status === 'deemed_approved' || status === 'not_applicable';

/** Closed steps never change again (a rejected step changes only by re-application, a new round). */
export const isClosed = (status: StepStatus): boolean =>
  isPassed(status) || status === 'rejected' || status === 'withdrawn';

/** Statuses in which a department or the agent is working on the step. */
export const isOpen = (status: StepStatus): boolean =>
  status === 'ready' || status === 'in_review' || status === 'supplement_requested';

/** Projects whose chain is still moving, so an execution should be waiting for them. */
export const isInFlight = (status: ProjectStatus): boolean => status === 'active' || status === 'returned';
