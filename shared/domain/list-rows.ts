import { z } from 'zod';
import { ProjectSchema, ProjectStepSchema } from './project.js';
import { WorkSummarySchema } from './work-summary.js';

/**
 * What a list row of a project or a step holds: the fields its list reads, and nothing more. The table's indexes
 * copy exactly these (shared/store/table.ts), so a list is one query and no index carries a project's attribute
 * map, a step's history or a token.
 */

/** A project as `/projects` lists it (by status, agent or enterprise): enough to show it and to decide who sees it. */
export const ProjectRowSchema = ProjectSchema.pick({
  projectId: true,
  code: true,
  name: true,
  enterpriseName: true,
  enterpriseId: true,
  agentId: true,
  status: true,
  chainId: true,
  chainVersion: true,
  currentStageIndex: true,
  departments: true,
  createdAt: true,
  updatedAt: true,
  stepsTotal: true,
  stepsClosed: true,
});
export type ProjectRow = z.infer<typeof ProjectRowSchema>;

/**
 * A project in its agent's index (GSI2): its list row, and what the agent's workbench shows of it (work-summary.ts;
 * absent on a project written before the summary existed).
 */
export const AgentProjectRowSchema = ProjectRowSchema.extend({
  workSeq: z.number().int().optional(),
  work: WorkSummarySchema.optional(),
});
export type AgentProjectRow = z.infer<typeof AgentProjectRowSchema>;

/** A project in its stage's lead department's view (牵头部门): which stage of which chain it is in. */
export const LeadProjectRowSchema = ProjectSchema.pick({
  projectId: true,
  code: true,
  name: true,
  status: true,
  chainId: true,
  chainVersion: true,
  currentStageIndex: true,
});
export type LeadProjectRow = z.infer<typeof LeadProjectRowSchema>;

/** A step or part in its department's inbox: its ids, round, dates and clock (the light and days left). */
export const InboxItemSchema = ProjectStepSchema.pick({
  projectId: true,
  stepId: true,
  partId: true,
  status: true,
  round: true,
  submittedAt: true,
  dueDate: true,
  legalDueDate: true,
  dueFlagged: true,
  supplementRounds: true,
  clock: true,
  decidedAt: true,
});
export type InboxItem = z.infer<typeof InboxItemSchema>;

/** A step or part whose due date waits for a year's schedule (the admin's calendar page re-counts them). */
export const FlaggedItemSchema = ProjectStepSchema.pick({ projectId: true, stepId: true, partId: true });
export type FlaggedItem = z.infer<typeof FlaggedItemSchema>;

/** A step (or a joint review's part) of a project, named as people read it, with the department that holds it. */
export type HeldStepOf = {
  projectId: string;
  projectCode: string;
  projectName: string;
  stepId: string;
  partId?: string;
  stepName: string;
  departmentId: string | null;
};
