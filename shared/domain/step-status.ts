import { z } from 'zod';

/**
 * Step statuses.
 * pending: waiting for prerequisites · ready: open, waiting for the agent's submission ·
 * in_review: submitted, the department's clock runs · supplement_requested: clock paused (补正) ·
 * approved / deemed_approved (超时默认) / rejected / not_applicable: closed.
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
]);
export type StepStatus = z.infer<typeof StepStatusSchema>;

export const ProjectStatusSchema = z.enum(['active', 'returned', 'completed']);
export type ProjectStatus = z.infer<typeof ProjectStatusSchema>;

/** A closed step lets its dependents open (a rejected one stops them instead). */
export const isPassed = (status: StepStatus): boolean =>
  status === 'approved' || status === 'deemed_approved' || status === 'not_applicable';

export const isClosed = (status: StepStatus): boolean => isPassed(status) || status === 'rejected';

/** Statuses in which a department or the agent is working on the step. */
export const isOpen = (status: StepStatus): boolean =>
  status === 'ready' || status === 'in_review' || status === 'supplement_requested';
