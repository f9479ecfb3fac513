import { z } from 'zod';
import { CommitmentRecordSchema } from './commitment.js';
import { NoticeMaterialSchema } from './decision.js';
import { DeferredSchema } from './deferred-materials.js';
import { RoleSchema } from './principal.js';
import { StepClockSchema } from './step-clock.js';
import { ProjectStatusSchema, StepStatusSchema } from './step-status.js';
import { ChinaDateSchema as ChinaDate, InstantSchema as Instant } from './time.js';

export const AttributeValueSchema = z.union([z.string(), z.number(), z.boolean()]);

/**
 * The execution a project expects to be waiting for it: one per stage, renewed (a new generation) before it could
 * reach the Step Functions limits, and whenever the reconciliation finds it missing, failed or stuck.
 */
export const ExecutionRefSchema = z.object({
  /** `<projectId>-s<stage>-g<generation>`: unique, so StartExecution is idempotent on it */
  name: z.string(),
  stageIndex: z.number().int().min(0),
  generation: z.number().int().min(1),
  startedAt: Instant,
});
export type ExecutionRef = z.infer<typeof ExecutionRefSchema>;

/** A project under agency (代办项目). */
export const ProjectSchema = z.object({
  projectId: z.string(),
  /** 项目代码, 24 characters, shown everywhere */
  code: z.string(),
  /**
   * `national`: the code the national investment project platform issued at filing (全国投资项目在线审批监管平台);
   * `provisional` (or absent): the one Daiban gave at registration, until the national one replaces it
   */
  codeKind: z.enum(['provisional', 'national']).optional(),
  /** the provisional code a national one replaced: it still finds the project */
  provisionalCode: z.string().optional(),
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
  /** the lead department (牵头部门) of the stage the project is in: it sees the whole stage */
  leadDepartmentId: z.string().optional(),
  /** the departments holding a step or part of it (officers see the projects their department works on) */
  departments: z.array(z.string()),
  /** the execution that should be waiting for the project; absent once nothing waits (completed, withdrawn) */
  execution: ExecutionRefSchema.optional(),
  /** when the execution must be renewed (a new generation), long before it could reach the engine's limits */
  renewAt: Instant.optional(),
  /**
   * how many times a revoked approval took the project back to an earlier stage: executions started since are
   * named apart (`<projectId>-r<rewinds>-s<stage>-g<generation>`), so no name of a stage left earlier is used again
   */
  rewinds: z.number().int().min(1).optional(),
  /** when the execution of a returned project reached its end (its stage's other reviews were all decided) */
  executionEndedAt: Instant.optional(),
  createdAt: Instant,
  updatedAt: Instant,
  completedAt: Instant.optional(),
  returnedAt: Instant.optional(),
  withdrawnAt: Instant.optional(),
  stepsTotal: z.number().int(),
  stepsClosed: z.number().int(),
  decisions: z.number().int(),
  supplements: z.number().int(),
  /** hash of the registration request, when it carried an Idempotency-Key (a replay must match it) */
  requestHash: z.string().optional(),
  /** how many times the workbench's summary was written (see work-summary.ts; absent: never) */
  workSeq: z.number().int().optional(),
  /**
   * how many times a task handler stored a callback token on the project (absent: never): a transition that signals
   * tokens it read checks them all through it (see transition-effects.ts `tokensRelied`)
   */
  tokenSeq: z.number().int().optional(),
});
export type Project = z.infer<typeof ProjectSchema>;

/**
 * The approval document an approved step (or part) records: its number and date, and where it came from: issued
 * by the department (`department`, named when approving, or when an upper-level approval was collected), the
 * minutes of the joint review meeting that decided it (`minutes`), or, for a deemed approval (超时默认), the number of
 * its 超时默认通知单, which the system issues and which stands in for the department's approval (`deemed_notice`).
 */
export const ApprovalRecordSchema = z.object({
  number: z.string(),
  date: ChinaDate,
  source: z.enum(['department', 'minutes', 'deemed_notice']),
});
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

/**
 * A decision of an earlier round of a step, kept when the step is re-applied (退办后重新申请), or reopened for
 * review because an approval it rested on was revoked (`reopened`, with the approval it had and why).
 */
export const EarlierRoundSchema = z.object({
  round: z.number().int(),
  outcome: z.string(),
  decidedAt: Instant.optional(),
  decidedBy: z.string().optional(),
  legalBasis: z.string().optional(),
  reason: z.string().optional(),
  /** the approval document the round had been issued, when it was approved and then revoked or reopened */
  approvalDocument: ApprovalRecordSchema.optional(),
  /** when the round had been approved (before it was revoked or reopened) */
  approvedAt: Instant.optional(),
  /** what the round had come to before it was reopened (approved, deemed_approved, in_review, …) */
  was: z.string().optional(),
  /** when it was reopened for review */
  reopenedAt: Instant.optional(),
});

/**
 * One step of one project (or one part of a joint review: `partId` set): the chain's definition plus where this
 * project stands on it.
 */
export const ProjectStepSchema = z.object({
  projectId: z.string(),
  stepId: z.string(),
  /** set on the parts of a joint review (联合审查); the step item itself has none */
  partId: z.string().optional(),
  stageIndex: z.number().int(),
  departmentId: z.string().nullable(),
  kind: z.enum(['approval', 'milestone', 'joint']),
  status: StepStatusSchema,
  /** optimistic-concurrency version: every change (a stored task token too) is conditional on it */
  version: z.number().int(),
  /** 1, then one more on every re-application after a rejection */
  round: z.number().int().min(1),
  /** a prerequisite was rejected (or the project returned) before this step opened */
  blocked: z.boolean().optional(),
  openedAt: Instant.optional(),
  submittedAt: Instant.optional(),
  materialsSubmitted: z.array(z.string()).optional(),
  clock: StepClockSchema.optional(),
  /** promised-limit due date (China calendar date) and the instant it ends; absent while the clock stands still */
  dueDate: ChinaDate.optional(),
  dueAt: Instant.optional(),
  legalDueDate: ChinaDate.optional(),
  /** the calendar had no official schedule for some day counted: the promised due date assumes weekends only */
  dueFlagged: z.boolean().optional(),
  /** the same for the legal due date (a guess of its own: the legal limit may reach into a year the promised does not) */
  legalDueFlagged: z.boolean().optional(),
  supplementRounds: z.number().int(),
  missingMaterials: z.array(NoticeMaterialSchema).optional(),
  /** 容缺受理: materials accepted as missing, the deadline to supply them, what has been supplied */
  deferred: DeferredSchema.optional(),
  /** 告知承诺制: the enterprise's commitment instead of some materials, and its verification after approval */
  commitment: CommitmentRecordSchema.optional(),
  decidedAt: Instant.optional(),
  decidedBy: z.string().optional(),
  /**
   * decided by a joint review meeting (its minutes' number in `decidedIn`) rather than by the department, or an
   * upper-level department's decision recorded on its behalf by the agent or a district officer (上下协同)
   */
  decidedVia: z.enum(['meeting', 'upper_level']).optional(),
  decidedIn: z.string().optional(),
  outcome: z.string().optional(),
  /** the document an approval was issued as (批文/证照): see `ApprovalRecordSchema` */
  approvalDocument: ApprovalRecordSchema.optional(),
  /** the batch (批次) the agent carried this upper-level step up in */
  batchId: z.string().optional(),
  conditions: z.array(z.string()).optional(),
  legalBasis: z.string().optional(),
  reason: z.string().optional(),
  /** when the SLA sweep must next look at this item (a light, a breach, a deemed approval, an escalation) */
  slaCheckAt: Instant.optional(),
  /** the light the SLA sweep last recorded (红黄灯): what notifications were sent for */
  light: z.enum(['green', 'yellow', 'red']).optional(),
  /** how many rungs of the escalation ladder have been climbed */
  escalationLevel: z.number().int().min(0).optional(),
  /** working days past the promised limit when it was decided */
  lateByDays: z.number().int().optional(),
  earlierRounds: z.array(EarlierRoundSchema).optional(),
  updatedAt: Instant,
});
export type ProjectStep = z.infer<typeof ProjectStepSchema>;

/** The key of a step or part item within its project: `7`, or `23#fire` for a part. */
export const itemKey = (item: { stepId: string; partId?: string }): string =>
  item.partId ? `${item.stepId}#${item.partId}` : item.stepId;

/** A callback token the engine waits on, with the execution that holds it. */
export type TokenRef = { token: string; execution: string };
/** The tokens stored on a step or part item: its own task, and (steps only) its prerequisite gate. */
export type ItemTokens = { task?: TokenRef; gate?: TokenRef };

/** An append-only record of something that happened (痕迹管理): who, when, what, on which step, before/after. */
export const ProjectEventSchema = z.object({
  projectId: z.string(),
  eventId: z.string(),
  at: Instant,
  type: z.string(),
  stepId: z.string().optional(),
  partId: z.string().optional(),
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

/**
 * A user the system knows (seeded locally; made by an admin on AWS). Nothing secret: a local
 * user's password hash is a separate record (`Credential` in user-accounts.ts) that no read of users returns.
 */
export const UserSchema = z.object({
  userId: z.string(),
  name: z.string(),
  role: RoleSchema,
  departmentId: z.string().optional(),
  enterpriseId: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  /** a disabled user cannot sign in, and tokens issued to them are refused (local runtime) */
  disabled: z.boolean().optional(),
  /**
   * local runtime: when the user's password was last reset or the user disabled (ms since the epoch). A session
   * token carries the value it was issued under; one issued under another is refused. Read from the table only
   * (no index copies it).
   */
  tokensValidFrom: z.number().int().nonnegative().optional(),
});
export type User = z.infer<typeof UserSchema>;
