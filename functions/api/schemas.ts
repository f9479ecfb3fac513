import { z } from '@hono/zod-openapi';
import { DenialSchema } from '../../shared/domain/audit.js';
import { BatchSchema } from '../../shared/domain/batch.js';
import { CalendarOverridesSchema } from '../../shared/domain/calendar-overrides.js';
import { CaseKindSchema } from '../../shared/domain/case-kinds.js';
import { MaterialSchema, StepPolicySchema } from '../../shared/domain/chain.js';
import { CommitmentRecordSchema } from '../../shared/domain/commitment.js';
import { ComplaintSchema } from '../../shared/domain/complaint.js';
import { NoticeMaterialSchema } from '../../shared/domain/decision.js';
import { DeferredSchema } from '../../shared/domain/deferred-materials.js';
import { DepartmentLevelSchema } from '../../shared/domain/department.js';
import { ProjectDocumentSchema } from '../../shared/domain/documents.js';
import { ProjectRowSchema } from '../../shared/domain/list-rows.js';
import { MeetingSchema } from '../../shared/domain/meeting.js';
import { NotificationSchema } from '../../shared/domain/notifications.js';
import {
  AgentAssignmentSchema,
  ApprovalRecordSchema,
  EarlierRoundSchema,
  ProjectEventSchema,
  ProjectSchema,
} from '../../shared/domain/project.js';
import { SlaPolicySchema } from '../../shared/domain/sla-policy.js';
import { ClockPauseSchema } from '../../shared/domain/step-clock.js';
import { StepStatusSchema } from '../../shared/domain/step-status.js';

/**
 * The bodies the API answers with, as zod schemas in the OpenAPI document: a contract a generated client can trust.
 * The integration tests check every answer they get against the schema of its route and status.
 */

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

const Light = z.enum(['green', 'yellow', 'red']);
const LightCounts = z.object({ green: z.number().int(), yellow: z.number().int(), red: z.number().int() });
const Cursor = z
  .string()
  .optional()
  .describe(
    'pass it unchanged as ?cursor= to this same list for the next page; absent on the last. Opaque and signed: any other value is a 400',
  );

/** What a step's clock reads now. */
export const ClockViewSchema = z
  .object({
    light: Light.nullable(),
    acceptedOn: z.string(),
    promisedDays: z.number().int(),
    legalDays: z.number().int(),
    running: z.boolean(),
    paused: z.boolean(),
    elapsedWorkingDays: z.number(),
    promisedDaysLeft: z.number(),
    legalDaysLeft: z.number(),
    pausedWorkingDays: z.number(),
    pauses: z.array(ClockPauseSchema),
  })
  .openapi('ClockView');

/** A step's or part's state as shown (a step not yet opened shows only `pending`). */
const ItemStateFields = {
  status: StepStatusSchema,
  clock: ClockViewSchema.nullable(),
  round: z.number().int().optional(),
  blocked: z.boolean().optional(),
  openedAt: z.string().optional(),
  submittedAt: z.string().optional(),
  materialsSubmitted: z.array(z.string()).optional(),
  dueDate: z.string().optional(),
  dueAt: z.string().optional(),
  legalDueDate: z.string().optional(),
  dueFlagged: z.boolean().optional(),
  legalDueFlagged: z.boolean().optional(),
  supplementRounds: z.number().int().optional(),
  missingMaterials: z.array(NoticeMaterialSchema).optional(),
  /** 容缺受理: materials accepted as missing, the deadline to supply them */
  deferred: DeferredSchema.optional(),
  /** 告知承诺制: the commitment, when the approval on it must be verified, and the verification */
  commitment: CommitmentRecordSchema.optional(),
  decidedAt: z.string().optional(),
  decidedBy: z.string().optional(),
  decidedVia: z.enum(['meeting', 'upper_level']).optional(),
  decidedIn: z.string().optional(),
  approvalDocument: ApprovalRecordSchema.optional(),
  batchId: z.string().optional(),
  outcome: z.string().optional(),
  conditions: z.array(z.string()).optional(),
  legalBasis: z.string().optional(),
  reason: z.string().optional(),
  lateByDays: z.number().optional(),
  earlierRounds: z.array(EarlierRoundSchema).optional(),
};

/** A step or part as an action's answer shows it. */
export const StepResultSchema = z
  .object({
    step: z.object({
      stepId: z.string(),
      partId: z.string().optional(),
      departmentId: z.string().nullable(),
      kind: z.enum(['approval', 'milestone', 'joint']),
      ...ItemStateFields,
    }),
  })
  .openapi('StepResult');

const ProjectSummary = ProjectSchema.omit({ requestHash: true, renewAt: true, attributes: true }).openapi(
  'ProjectSummary',
);

export const ProjectCreatedSchema = z.object({
  projectId: z.string(),
  code: z.string(),
  project: ProjectSummary,
  opening: z
    .array(z.string())
    .describe(
      "the first stage's steps this registration opened: ready for a submission now (a submission waits the moment the engine's task handlers take to record them)",
    ),
});
/**
 * A project as a list shows it: the fields the table's indexes copy (shared/domain/list-rows.ts), so a page is one
 * query; GET /projects/{id} has the rest (counts of decisions and supplements, dates of the ends, the execution).
 */
// (a copy made here, once zod knows `.openapi`, however early the domain's schema was built)
const ProjectListItem = ProjectRowSchema.extend({}).openapi('ProjectListItem');
export const ProjectListSchema = z.object({ projects: z.array(ProjectListItem), cursor: Cursor });
export const ProjectResultSchema = z.object({ project: ProjectSummary });

/** A joint review's part as named: its department and its limits (promised, legal), in working days. */
const PartOfStep = {
  partId: z.string(),
  name: z.string(),
  nameEn: z.string(),
  departmentId: z.string(),
  departmentName: z.string().nullable(),
  promisedDays: z.number().int().nullable(),
  legalDays: z.number().int().nullable(),
};

const PartView = z.object({ ...PartOfStep, ...ItemStateFields });

const StepView = z.object({
  stepId: z.string(),
  name: z.string(),
  nameEn: z.string(),
  kind: z.enum(['approval', 'milestone', 'joint']),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  /** district, city or province: an upper-level step is carried up in a batch (上下协同) */
  departmentLevel: DepartmentLevelSchema.nullable(),
  promisedDays: z.number().int().nullable(),
  legalDays: z.number().int().nullable(),
  prerequisites: z.array(z.string()),
  materials: z.array(z.string()),
  ...ItemStateFields,
  opening: z
    .literal(true)
    .optional()
    .describe(
      "the step was opened by an answer (a registration, a decision, minutes, a collection) and is still `pending` only because the engine's task handlers record it `ready` a moment later: a submission (or a batch) meanwhile waits for them",
    ),
  caseKinds: z
    .array(CaseKindSchema)
    .describe(
      'the kinds of case (五件) a decided step is, from its data: instant (即办件) or promised (承诺件), and joint (联办件), returned (退办件), supplement (补办件); empty until decided',
    ),
  parts: z.array(PartView).optional(),
});

/** An approval of the project with its document (批文/证照): number, date and where it came from. */
const ApprovalRowSchema = z
  .object({
    stepId: z.string(),
    partId: z.string().optional(),
    stepName: z.string(),
    departmentId: z.string().nullable(),
    departmentName: z.string().nullable(),
    departmentLevel: DepartmentLevelSchema.nullable(),
    outcome: z.string(),
    decidedAt: z.string().nullable(),
    documentNumber: z.string().nullable(),
    documentDate: z.string().nullable(),
    documentSource: z.enum(['department', 'minutes', 'deemed_notice']).nullable(),
    conditions: z.array(z.string()),
    /** `revoked` or `reopened` rows: when the approval stopped standing, and why */
    endedAt: z.string().nullable().optional(),
    endedReason: z.string().optional(),
  })
  .openapi('Approval');

export const ProjectViewSchema = z
  .object({
    project: ProjectSchema.omit({ requestHash: true, renewAt: true }).extend({
      light: Light.nullable(),
      lights: LightCounts,
      projection: z
        .object({
          remainingWorkingDays: z.number(),
          projectedCompletion: z.string(),
          flagged: z.boolean(),
          criticalSteps: z.array(z.string()),
        })
        .nullable(),
      chain: z.object({ id: z.string(), version: z.number().int(), key: z.string(), name: z.string() }),
      agent: z.object({
        agentId: z.string(),
        name: z.string().optional(),
        phone: z.string().nullable().optional(),
      }),
    }),
    stages: z.array(
      z.object({
        stageId: z.string(),
        index: z.number().int(),
        name: z.string(),
        nameEn: z.string(),
        leadDepartmentId: z.string(),
        status: z.enum(['done', 'current', 'waiting']),
        light: Light.nullable(),
        lights: LightCounts,
        steps: z.array(StepView),
      }),
    ),
    approvals: z.array(ApprovalRowSchema),
    assignments: z.array(AgentAssignmentSchema.omit({ projectId: true })),
  })
  .openapi('ProjectView');

export const EventListSchema = z.object({ events: z.array(ProjectEventSchema), cursor: Cursor });

export const InboxSchema = z.object({
  departmentId: z.string(),
  steps: z.array(
    z.object({
      projectId: z.string(),
      projectCode: z.string(),
      projectName: z.string(),
      enterpriseName: z.string(),
      stepId: z.string(),
      partId: z.string().optional(),
      partName: z.string().optional(),
      stepName: z.string(),
      status: StepStatusSchema,
      round: z.number().int(),
      submittedAt: z.string().optional(),
      /** the service centre's local date the clock accepted it (受理), 'YYYY-MM-DD'; absent before acceptance */
      acceptedOn: z.string().optional(),
      dueDate: z.string().optional(),
      legalDueDate: z.string().optional(),
      dueFlagged: z.boolean(),
      legalDueFlagged: z.boolean(),
      light: Light.nullable(),
      paused: z.boolean(),
      workingDaysLeft: z.number().nullable(),
      legalWorkingDaysLeft: z.number().nullable(),
      supplementRounds: z.number().int(),
    }),
  ),
  cursor: Cursor,
});

const LeadItem = {
  name: z.string(),
  departmentId: z.string().nullable(),
  status: StepStatusSchema,
  light: Light.nullable(),
  dueDate: z.string().nullable(),
  workingDaysLeft: z.number().nullable(),
  clock: ClockViewSchema.nullable(),
};
export const StageViewSchema = z.object({
  departmentId: z.string(),
  projects: z.array(
    z.object({
      projectId: z.string(),
      projectCode: z.string(),
      projectName: z.string(),
      projectStatus: z.string(),
      stage: z.object({
        stageId: z.string().nullable(),
        name: z.string().nullable(),
        index: z.number().int(),
        light: Light.nullable(),
        lights: LightCounts,
        closed: z.number().int(),
        total: z.number().int(),
      }),
      steps: z.array(
        z.object({
          stepId: z.string(),
          blocked: z.boolean(),
          ...LeadItem,
          parts: z.array(z.object({ partId: z.string(), ...LeadItem, departmentId: z.string() })).optional(),
        }),
      ),
    }),
  ),
  cursor: Cursor,
});

export const HealthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.enum(['ok', 'down']),
  engine: z.enum(['ok', 'down']),
  clock: z.enum(['real', 'simulated']),
  time: z.string(),
});

/** A department as the public sees it (its robot's webhook is not public). */
export const DepartmentListSchema = z.object({
  departments: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      nameEn: z.string(),
      level: z.string(),
      phone: z.string().optional(),
    }),
  ),
});

export const ChainListSchema = z.object({
  chains: z.array(
    z.object({
      chainId: z.string(),
      version: z.number().int(),
      name: z.string(),
      nameEn: z.string(),
      targetWorkingDays: z.number().nullable().optional(),
      stages: z.number().int(),
      steps: z.number().int(),
    }),
  ),
});

const PublicPart = z.object({ ...PartOfStep, applicability: z.unknown().nullable() });

export const ChainDetailSchema = z
  .object({
    chainId: z.string(),
    version: z.number().int(),
    name: z.string(),
    nameEn: z.string(),
    description: z.string(),
    targetWorkingDays: z.number().nullable().optional(),
    criticalPath: z.object({
      workingDays: z.number(),
      criticalSteps: z.array(z.string()),
      seriesWorkingDays: z.number(),
      legalWorkingDays: z.number(),
      targetWorkingDays: z.number().nullable().optional(),
    }),
    attributes: z.array(z.unknown()),
    stages: z.array(
      z.object({
        stageId: z.string(),
        name: z.string(),
        nameEn: z.string(),
        leadDepartmentId: z.string(),
        steps: z.array(
          z.object({
            stepId: z.string(),
            name: z.string(),
            nameEn: z.string(),
            kind: z.enum(['approval', 'milestone']),
            departmentId: z.string().nullable(),
            departmentName: z.string().nullable(),
            parts: z.array(PublicPart),
            level: z.string().nullable(),
            prerequisites: z.array(z.string()),
            applicability: z.unknown().nullable(),
            policy: StepPolicySchema,
            legalDays: z.number().int().nullable(),
            public: z.object({
              serviceContent: z.string(),
              procedure: z.array(z.string()),
              materials: z.array(MaterialSchema),
              promisedDays: z.number().int().nullable(),
              feeBasis: z.string(),
              feeStandard: z.string(),
            }),
          }),
        ),
      }),
    ),
  })
  .openapi('ChainDetail');

export const ChainPublishedSchema = z.object({
  chainId: z.string(),
  version: z.number().int(),
  key: z.string(),
});

export const JobReportSchema = z.object({
  outbox: z.number().int(),
  renewals: z.number().int(),
  audited: z.number().int(),
  reconciled: z.number().int(),
  failures: z.number().int(),
  sla: z.number().int(),
  /** due work left to the next run (the run stopped before its deadline); at least this many */
  remaining: z.number().int(),
  /** another run held the job's lease: this one did nothing */
  skipped: z.boolean().optional(),
  weeklyReports: z.number().int().optional(),
});
export const JobRunSchema = z.object({ report: JobReportSchema });
export const ClockMovedSchema = z.object({
  clock: z.enum(['real', 'simulated']),
  time: z.string(),
  report: JobReportSchema,
});
export const SweepRunSchema = z.object({ report: JobReportSchema.nullable(), at: z.string() });
export const DenialListSchema = z.object({ denials: z.array(DenialSchema), cursor: Cursor });

export const CalendarViewSchema = z.object({
  knownYears: z.array(z.number().int()),
  overrides: CalendarOverridesSchema,
});
/** What a calendar change computed again, by kind of date, and the 超时默认通知单 it proved wrong (corrected). */
export const RecomputedSchema = z.object({
  recomputed: z.number().int(),
  stillFlagged: z.number().int(),
  dueDates: z.number().int(),
  legalDueDates: z.number().int(),
  supplyDeadlines: z.number().int(),
  verificationDates: z.number().int(),
  complaintDueDates: z.number().int(),
  corrections: z.number().int(),
});
export const SlaPolicyResultSchema = z.object({ policy: SlaPolicySchema });

export const DocumentListSchema = z.object({ documents: z.array(ProjectDocumentSchema) });
export const DocumentResultSchema = z.object({ document: ProjectDocumentSchema });

export const NotificationListSchema = z.object({
  notifications: z.array(NotificationSchema),
  cursor: Cursor,
});
export const MarkedReadSchema = z.object({ read: z.literal(true) });

const Summary = {
  decided: z.number(),
  onTime: z.number(),
  late: z.number(),
  workingDaysUsed: z.number(),
  promisedDays: z.number(),
  legalDays: z.number(),
  supplements: z.number(),
  oneTimeNoticeViolations: z.number(),
  breaches: z.number(),
  deemedApprovals: z.number(),
  escalations: z.number(),
  submitted: z.number(),
  resubmitted: z.number(),
  reapplied: z.number(),
  rejected: z.number(),
  complaints: z.number(),
  complaintsClosed: z.number(),
  complaintsClosedOnTime: z.number(),
  complaintsUpheld: z.number(),
  complaintsOverdue: z.number(),
  deferredAcceptances: z.number(),
  deferralsMissed: z.number(),
  commitmentApprovals: z.number(),
  commitmentsVerified: z.number(),
  commitmentsFailed: z.number(),
  verificationsOverdue: z.number(),
  onTimeRate: z.number().nullable(),
  averageWorkingDays: z.number().nullable(),
  averagePromisedDays: z.number().nullable(),
  averageLegalDays: z.number().nullable(),
  speedUpVersusLegal: z.number().nullable(),
  complaintUpheldRate: z.number().nullable().describe('of the complaints closed, the share upheld (%)'),
  complaintOnTimeClosureRate: z
    .number()
    .nullable()
    .describe('按时办结率: of the complaints closed, the share closed within their limit (%)'),
};
const Period = z.object({ from: z.string(), to: z.string() });
export const DepartmentReportSchema = z.object({
  period: Period,
  headline: z.string(),
  total: z.object(Summary),
  departments: z.array(
    z.object({
      rank: z.number().int(),
      departmentId: z.string(),
      name: z.string(),
      level: z.string(),
      ...Summary,
      accountability: z.enum(['formal_talk', 'snail_list']).nullable(),
    }),
  ),
});
export const EnterpriseCreditReportSchema = z.object({
  period: Period,
  enterprises: z.array(
    z.object({
      enterpriseId: z.string(),
      name: z.string(),
      commitmentApprovals: z.number(),
      commitmentsVerified: z.number(),
      commitmentsFailed: z.number(),
      deferralsMissed: z.number(),
      marks: z.number().describe('失信记录: commitments found untrue and 容缺 deadlines missed'),
    }),
  ),
});
export const AgentReportSchema = z.object({
  period: Period,
  agents: z.array(z.object({ agentId: z.string(), name: z.string(), ...Summary })),
});

export const MeetingResultSchema = z.object({ meeting: MeetingSchema });
export const MeetingListSchema = z.object({ meetings: z.array(MeetingSchema), cursor: Cursor });
export const MinutesResultSchema = z.object({
  meeting: MeetingSchema,
  documents: z.array(ProjectDocumentSchema),
});

const UserSummarySchema = z.object({
  userId: z.string(),
  name: z.string(),
  role: z.string(),
  departmentId: z.string().optional(),
  enterpriseId: z.string().optional(),
});
const UserProfileSchema = UserSummarySchema.extend({
  phone: z.string().optional(),
  email: z.string().optional(),
  disabled: z.boolean(),
});
export const SignedInSchema = z.object({
  tokenType: z.literal('Bearer'),
  token: z.string(),
  expiresAt: z.string(),
  expiresIn: z.number(),
  user: UserSummarySchema,
});
export const UserListSchema = z.object({ users: z.array(UserSummarySchema) });
export const UserProfileListSchema = z.object({ users: z.array(UserProfileSchema), cursor: Cursor });
export const UserProfileResultSchema = z.object({ user: UserProfileSchema });

/** An efficiency complaint as its reader sees it: the department complained about gets no complainant. */
const ComplaintView = ComplaintSchema.omit({ version: true, slaCheckAt: true, complainant: true })
  .extend({ complainant: ComplaintSchema.shape.complainant.optional() })
  .openapi('Complaint');
export const ComplaintResultSchema = z.object({ complaint: ComplaintView });
export const ComplaintListSchema = z.object({ complaints: z.array(ComplaintView), cursor: Cursor });
/** A batch of originals carried up to a city or provincial department (上下协同). */
export const BatchResultSchema = z.object({ batch: BatchSchema });
export const BatchListSchema = z.object({ batches: z.array(BatchSchema), cursor: Cursor });
const PublicStepFields = {
  name: z.string(),
  nameEn: z.string().optional(),
  departmentName: z.string().nullable(),
  departmentNameEn: z.string().nullable().optional(),
  status: StepStatusSchema,
};
/** A project's progress as anyone may look it up by its code: names and statuses only, nothing internal. */
export const PublicProgressSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    status: z.string(),
    stepsClosed: z.number().int(),
    stepsTotal: z.number().int(),
    chain: z.object({ id: z.string(), name: z.string(), nameEn: z.string().optional() }),
    stages: z.array(
      z.object({
        stageId: z.string(),
        name: z.string(),
        nameEn: z.string().optional(),
        status: z.enum(['done', 'current', 'waiting']),
        steps: z.array(
          z.object({
            stepId: z.string(),
            ...PublicStepFields,
            parts: z.array(z.object({ partId: z.string(), ...PublicStepFields })).optional(),
          }),
        ),
      }),
    ),
  })
  .openapi('PublicProgress');

/** What is due from an agent across their projects, and what their departments hold. */

/** A step of a project as the workbench and the weekly report name it (its part, if a joint review's). */
const StepOfProject = {
  projectCode: z.string(),
  projectName: z.string(),
  stepId: z.string(),
  partId: z.string().optional(),
  stepName: z.string(),
  departmentId: z.string().nullable(),
};

export const AgentWorkSchema = z
  .object({
    agentId: z.string(),
    workload: z.object({
      projects: z.number().int(),
      active: z.number().int(),
      returned: z.number().int(),
      completed: z.number().int(),
      todo: z.number().int(),
      waitingOnDepartments: z.number().int(),
      red: z.number().int(),
      yellow: z.number().int(),
    }),
    todo: z.array(
      z.object({
        kind: z.enum(['submit', 'report_milestone', 'supplement', 'reapply']),
        projectId: z.string(),
        projectCode: z.string(),
        projectName: z.string(),
        stepId: z.string(),
        stepName: z.string(),
        departmentId: z.string().nullable(),
        materials: z.array(
          z.object({
            id: z.string().optional(),
            name: z.string(),
            reason: z.string().optional(),
            deferrable: z.boolean().optional(),
            departmentId: z.string().optional(),
          }),
        ),
        reason: z.string().optional(),
        legalBasis: z.string().optional(),
        since: z.string().optional(),
      }),
    ),
    waiting: z.array(
      z.object({
        projectId: z.string(),
        ...StepOfProject,
        status: z.string(),
        light: Light.nullable(),
        dueDate: z.string().nullable(),
        workingDaysLeft: z.number().nullable(),
      }),
    ),
    handovers: z
      .array(AgentAssignmentSchema.extend({ projectCode: z.string(), projectName: z.string() }))
      .describe("the handovers among the page's projects, with ?handovers=true (else empty)"),
    nextCursor: z
      .string()
      .optional()
      .describe('pass it unchanged as ?cursor= for the next page of projects; absent on the last page'),
  })
  .openapi('AgentWork');

const CaseKindCounts = z.object({
  instant: z.number().int(),
  promised: z.number().int(),
  joint: z.number().int(),
  returned: z.number().int(),
  supplement: z.number().int(),
});
const WeekFigures = {
  week: z.string(),
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  projects: z.object({ started: z.number().int(), advanced: z.number().int(), completed: z.number().int() }),
  steps: z.object({
    decided: z.number().int(),
    onTime: z.number().int(),
    late: z.number().int(),
    onTimeRate: z.number().nullable(),
  }),
};
export const WeeklyReportListSchema = z.object({
  reports: z.array(z.object({ ...WeekFigures, deemedApprovals: z.number().int() })),
});
/** The weekly report (周报) of one ISO week. */
export const WeeklyReportSchema = z
  .object({
    ...WeekFigures,
    deemedApprovalsByDepartment: z.array(
      z.object({ departmentId: z.string(), name: z.string(), count: z.number().int() }),
    ),
    stages: z.array(
      z.object({
        stageIndex: z.number().int(),
        name: z.string(),
        decided: z.number().int(),
        averageWorkingDays: z.number().nullable(),
        averagePromisedDays: z.number().nullable(),
        averageLegalDays: z.number().nullable(),
      }),
    ),
    slowest: z.array(
      z.object({
        ...StepOfProject,
        departmentName: z.string().nullable(),
        workingDays: z.number(),
        promisedDays: z.number(),
        legalDays: z.number(),
        outcome: z.string(),
      }),
    ),
    departments: z.array(
      z.object({
        rank: z.number().int(),
        departmentId: z.string(),
        name: z.string(),
        nameEn: z.string(),
        decided: z.number().int(),
        onTime: z.number().int(),
        late: z.number().int(),
        deemedApprovals: z.number().int(),
        averageWorkingDays: z.number().nullable(),
        averagePromisedDays: z.number().nullable(),
      }),
    ),
    caseKinds: CaseKindCounts,
  })
  .openapi('WeeklyReport');
export const WeeklyReportResultSchema = z.object({ report: WeeklyReportSchema });
