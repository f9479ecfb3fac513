import { z } from 'zod';
import { MissingMaterialSchema } from './decision.js';
import { ProjectStatusSchema, StepStatusSchema } from './step-status.js';

const Instant = z.string().datetime({ offset: true });
const ChinaDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const AttributeValueSchema = z.union([z.string(), z.number(), z.boolean()]);

/** A project under agency (代办项目): one execution of its chain. */
export const ProjectSchema = z.object({
  projectId: z.string(),
  /** 项目代码, 24 characters, shown everywhere */
  code: z.string(),
  name: z.string(),
  enterpriseName: z.string(),
  /** the enterprise's unified social credit code (统一社会信用代码) */
  enterpriseId: z.string(),
  investmentCny: z.number(),
  chainId: z.string(),
  chainVersion: z.number().int(),
  attributes: z.record(z.string(), AttributeValueSchema),
  agentId: z.string(),
  status: ProjectStatusSchema,
  currentStageIndex: z.number().int(),
  createdAt: Instant,
  updatedAt: Instant,
  completedAt: Instant.optional(),
  returnedAt: Instant.optional(),
  /** when the execution reached its end state (completed or returned); recovery skips such projects */
  executionEndedAt: Instant.optional(),
  stepsTotal: z.number().int(),
  stepsClosed: z.number().int(),
  decisions: z.number().int(),
  supplements: z.number().int(),
});
export type Project = z.infer<typeof ProjectSchema>;

/** One step of one project: the chain's step definition plus where this project stands on it. */
export const ProjectStepSchema = z.object({
  projectId: z.string(),
  stepId: z.string(),
  stageIndex: z.number().int(),
  departmentId: z.string().nullable(),
  kind: z.enum(['approval', 'milestone']),
  status: StepStatusSchema,
  /** optimistic-concurrency version: every transition is conditional on it */
  version: z.number().int(),
  /** a prerequisite was rejected (or the project returned) before this step opened */
  blocked: z.boolean().optional(),
  openedAt: Instant.optional(),
  submittedAt: Instant.optional(),
  materialsSubmitted: z.array(z.string()).optional(),
  /** promised-limit due date (China calendar date) and the instant it ends */
  dueDate: ChinaDate.optional(),
  dueAt: Instant.optional(),
  legalDueDate: ChinaDate.optional(),
  /** the calendar had no official schedule for some day counted: the due date assumes weekends only */
  dueFlagged: z.boolean().optional(),
  /** working days left on the promised limit when the clock was paused for a supplement */
  remainingWorkingDays: z.number().int().optional(),
  remainingLegalWorkingDays: z.number().int().optional(),
  supplementRounds: z.number().int(),
  missingMaterials: z.array(MissingMaterialSchema).optional(),
  decidedAt: Instant.optional(),
  decidedBy: z.string().optional(),
  outcome: z.string().optional(),
  conditions: z.array(z.string()).optional(),
  legalBasis: z.string().optional(),
  reason: z.string().optional(),
  updatedAt: Instant,
});
export type ProjectStep = z.infer<typeof ProjectStepSchema>;

/** An append-only record of something that happened (痕迹管理): who, when, what, on which step, before/after. */
export const ProjectEventSchema = z.object({
  projectId: z.string(),
  eventId: z.string(),
  at: Instant,
  type: z.string(),
  stepId: z.string().optional(),
  actor: z.object({ userId: z.string(), role: z.string(), name: z.string() }).passthrough(),
  before: z.record(z.string(), z.unknown()).optional(),
  after: z.record(z.string(), z.unknown()).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type ProjectEvent = z.infer<typeof ProjectEventSchema>;

/** A record of who the agent is from when (代办员交接). */
export const AgentAssignmentSchema = z.object({
  projectId: z.string(),
  assignmentId: z.string(),
  agentId: z.string(),
  previousAgentId: z.string().nullable(),
  reason: z.string(),
  at: Instant,
  by: z.string(),
});
export type AgentAssignment = z.infer<typeof AgentAssignmentSchema>;

/** A user the system knows (seeded locally; Cognito users on AWS mirror these attributes). */
export const UserSchema = z.object({
  userId: z.string(),
  name: z.string(),
  role: z.enum(['agent', 'officer', 'investor', 'leader', 'admin']),
  departmentId: z.string().optional(),
  enterpriseId: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
});
export type User = z.infer<typeof UserSchema>;
