import { z } from 'zod';
import { ApplicabilityRuleSchema } from './applicability-rule.js';
import { DepartmentIdSchema } from './department.js';

/** Step ids double as Step Functions state names, so keep them short and plain. */
export const StepIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'a step id is 1–40 letters, digits, _ or -');

export const MaterialSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9-]{1,60}$/)
      .describe('material id, unique in its step: lower-case letters, digits and - (e.g. business-licence)'),
    /** Chinese name of the material (申请材料) */
    name: z.string().min(1).describe('申请材料名称: the material as the applicant knows it'),
    /** original (原件) must be shown, otherwise a copy is enough */
    original: z
      .boolean()
      .default(false)
      .describe('true: the original (原件) must be shown; false (default): a copy is enough'),
    /** 容缺受理: a minor material the department may accept the submission without, to be supplied later */
    deferrable: z
      .boolean()
      .default(false)
      .describe(
        '容缺受理: a minor material the submission may be accepted without, supplied later; needs the step policy acceptWithMinorMissing',
      ),
  })
  .describe('申请材料: one material the applicant hands in for a step');
export type Material = z.infer<typeof MaterialSchema>;

/** 收费依据 and 收费标准: two of the six things public (六公开). */
export const FeeSchema = z
  .strictObject({
    basis: z.string().min(1).describe('收费依据: the law or notice the fee rests on'),
    standard: z.string().min(1).describe('收费标准: how much, or 不收费 (free)'),
  })
  .describe('收费依据和收费标准 (two of the six things public, 六公开)');

/**
 * 告知承诺制: the enterprise may sign a commitment that it meets the conditions instead of handing in these
 * materials; the department approves on it and verifies within `verificationDays` working days of the approval.
 */
export const CommitmentPolicySchema = z
  .strictObject({
    /** ids of the step's materials the commitment stands for */
    materials: z
      .array(z.string().regex(/^[a-z0-9-]{1,60}$/))
      .min(1)
      .describe("ids of the step's own materials the signed commitment stands for"),
    verificationDays: z
      .number()
      .int()
      .min(1)
      .max(120)
      .describe('working days after the approval within which the department verifies the commitment (核查)'),
  })
  .describe(
    '告知承诺制: the enterprise signs a commitment instead of handing in these materials; the department approves on it and verifies later',
  );
export type CommitmentPolicy = z.infer<typeof CommitmentPolicySchema>;

/** 容缺受理: working days the applicant has to supply deferred materials when the chain does not say (data, not code). */
export const DEFAULT_DEFERRED_SUPPLY_DAYS = 10;

export const StepPolicySchema = z.strictObject({
  /** 超时默认: a department that misses the promised limit is deemed to approve. */
  deemedApprovalAllowed: z
    .boolean()
    .default(false)
    .describe('超时默认: a department that misses the promised limit is deemed to approve (视为同意)'),
  /**
   * 容缺受理: the department accepts a submission with its deferrable materials missing; the applicant supplies them
   * within `deferredSupplyDays` working days (default DEFAULT_DEFERRED_SUPPLY_DAYS), and the step cannot be approved
   * until they are in.
   */
  acceptWithMinorMissing: z
    .boolean()
    .default(false)
    .describe('容缺受理: a submission is accepted with its deferrable materials missing'),
  deferredSupplyDays: z
    .number()
    .int()
    .min(1)
    .max(60)
    .optional()
    .describe(
      `working days the applicant has to supply deferred materials (default ${DEFAULT_DEFERRED_SUPPLY_DAYS}); the step cannot be approved until they are in`,
    ),
  /** 告知承诺制 (absent: the step takes no commitment instead of materials) */
  commitment: CommitmentPolicySchema.optional().describe(
    '告知承诺制 (absent: the step takes no commitment instead of materials)',
  ),
});
export type StepPolicy = z.infer<typeof StepPolicySchema>;

/**
 * One part of a joint review (联合审查/联合验收): a department reviewing the same submission beside the others,
 * with its own callback, clock, decision and officer. Part ids are short and lower-case (`fire`, `cad`).
 */
export const JointPartSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9]{0,19}$/, 'a part id is 1–20 lower-case letters or digits')
      .describe('part id, unique in its step: 1–20 lower-case letters or digits (e.g. fire, cad)'),
    name: z.string().min(1).describe('Chinese name of the part (e.g. 消防设计审查)'),
    nameEn: z.string().min(1).describe('English name of the part'),
    departmentId: DepartmentIdSchema.describe(
      'the department that decides this part (a known department id)',
    ),
    promisedDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .describe("承诺时限 of the part in working days; at most the step's"),
    legalDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .describe("法定时限 of the part in working days; at least its promised limit, at most the step's"),
    /** Absent: the part applies wherever its step does. */
    applicability: ApplicabilityRuleSchema.optional().describe(
      'which projects the part applies to (absent: wherever its step does)',
    ),
  })
  .describe(
    '联合审查/联合验收: one department reviewing the same submission beside the others, with its own clock, decision and officer',
  );
export type JointPart = z.infer<typeof JointPartSchema>;

/**
 * One step of an approval chain.
 * `approval` steps are decided by a department; `milestone` steps are reported by the agent
 * (e.g. 施工完成, works completed) and have no department and no limits.
 */
export const StepDefinitionSchema = z.strictObject({
  id: StepIdSchema.describe(
    'step id, unique in the chain; also its state name in the state machine: 1–40 letters, digits, _ or - (e.g. 16)',
  ),
  name: z.string().min(1).describe('Chinese name of the step (事项名称, e.g. 建设工程规划许可证核发)'),
  nameEn: z.string().min(1).describe('English name of the step'),
  kind: z
    .enum(['approval', 'milestone'])
    .default('approval')
    .describe(
      'approval (default): decided by a department; milestone: reported by the agent (e.g. 施工完成), no department and no limits',
    ),
  departmentId: DepartmentIdSchema.nullable().describe(
    'the department that decides the step (a known department id, e.g. NRP); null for a milestone',
  ),
  /** 承诺时限 in working days; 0 means an instant case (即办件). null for milestones. */
  promisedDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .nullable()
    .describe('承诺时限 in working days; 0 is an instant case (即办件); null for a milestone'),
  /** 法定时限 in working days. null for milestones. */
  legalDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .nullable()
    .describe('法定时限 in working days, at least promisedDays; null for a milestone'),
  prerequisites: z
    .array(StepIdSchema)
    .default([])
    .describe(
      '前置事项: ids of the steps that must be approved first, in this stage or an earlier one (never a later stage; no cycles, 互为前置)',
    ),
  /** 服务内容 */
  serviceContent: z.string().min(1).describe('服务内容 (六公开): what the step grants'),
  /** 办理流程 */
  procedure: z.array(z.string().min(1)).min(1).describe('办理流程 (六公开): the steps of handling, in order'),
  /** 申请材料 */
  materials: z.array(MaterialSchema).default([]).describe('申请材料 (六公开)'),
  fee: FeeSchema,
  /** Absent: the step applies to every project. */
  applicability: ApplicabilityRuleSchema.optional().describe(
    'which projects the step applies to, by their attributes (absent: every project); elsewhere it closes as not applicable',
  ),
  /**
   * Who holds the step for the projects a rule picks, instead of `departmentId` (the first rule that holds wins):
   * e.g. a large project's EIA is approved by the city's department, not the district's (上下协同).
   */
  heldBy: z
    .array(
      z.strictObject({
        departmentId: DepartmentIdSchema.describe('the department that holds the step instead'),
        when: ApplicabilityRuleSchema.describe('for the projects this rule picks'),
      }),
    )
    .max(5)
    .optional()
    .describe(
      "上下协同: who holds the step for the projects a rule picks, instead of departmentId; the first rule that holds wins (e.g. a large project's EIA goes to the city)",
    ),
  policy: StepPolicySchema.default({ deemedApprovalAllowed: false, acceptWithMinorMissing: false }).describe(
    'how the step is handled: deemed approval, 容缺受理 and 告知承诺制',
  ),
  /**
   * Present: a joint review. The step's department coordinates (牵头), each part is decided by its own department,
   * and the step's outcome is the most severe of its parts.
   */
  parts: z
    .array(JointPartSchema)
    .optional()
    .describe(
      "联合审查: present for a joint review of at least 2 parts; the step's department coordinates (牵头) and the outcome is the most severe of its parts",
    ),
});
export type StepDefinition = z.infer<typeof StepDefinitionSchema>;
export type StepDefinitionInput = z.input<typeof StepDefinitionSchema>;

export const StageSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/)
      .describe('stage id, unique in the chain: lower-case letters, digits and - (e.g. stage-2)'),
    name: z.string().min(1).describe('Chinese name of the stage (e.g. 工程建设许可)'),
    nameEn: z.string().min(1).describe('English name of the stage'),
    /** 牵头部门 */
    leadDepartmentId: DepartmentIdSchema.describe(
      '牵头部门: the department that leads the stage (a known department id)',
    ),
    steps: z
      .array(StepDefinitionSchema)
      .min(1)
      .describe(
        "the stage's steps; they run in parallel as their prerequisites allow (at most 40 per stage)",
      ),
  })
  .describe('阶段: stages run one after another; the next starts when every step of this one is closed');
export type Stage = z.infer<typeof StageSchema>;

/** A project attribute the chain's applicability rules may read (e.g. hazardousWorks). */
export const AttributeDefinitionSchema = z
  .strictObject({
    key: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/)
      .describe('the name rules read (e.g. hazardousWorks)'),
    label: z.string().min(1).describe('the question the agent answers when registering a project (Chinese)'),
    type: z.enum(['boolean', 'number', 'string']).describe('the type of its value'),
    default: z
      .union([z.boolean(), z.number(), z.string()])
      .describe("the value when the project does not give one (of the attribute's type)"),
  })
  .describe('a project attribute that applicability and heldBy rules may read');
export type AttributeDefinition = z.infer<typeof AttributeDefinitionSchema>;

/** An approval chain (审批流程): stages in order, steps in parallel inside a stage as prerequisites allow. */
export const ChainSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9-]{1,60}$/, 'a chain id is lower-case letters, digits and -')
      .describe('chain id: lower-case letters, digits and - (e.g. industrial-enterprise)'),
    version: z
      .number()
      .int()
      .min(1)
      .describe(
        'version number; versions never change once published: publish the latest + 1. Projects stay on the version they were registered on',
      ),
    name: z.string().min(1).describe('Chinese name of the chain (e.g. 企业投资工业项目审批流程)'),
    nameEn: z.string().min(1).describe('English name of the chain'),
    description: z
      .string()
      .default('')
      .describe('what the chain is for (Chinese, shown in the service guide)'),
    /** Target for the whole chain in working days (national: 120). */
    targetWorkingDays: z
      .number()
      .int()
      .min(1)
      .describe('the target for the whole chain in working days (national: 120), against the critical path'),
    attributes: z
      .array(AttributeDefinitionSchema)
      .default([])
      .describe('the project attributes its rules read (applicability, heldBy)'),
    stages: z.array(StageSchema).min(1).describe('the stages in the order they run'),
  })
  .describe(
    '审批流程: an approval chain; stages in order, steps in parallel inside a stage as prerequisites allow',
  );
export type Chain = z.infer<typeof ChainSchema>;
export type ChainInput = z.input<typeof ChainSchema>;

/** The department that holds a step for a project with these attributes (see `heldBy`). */
export function holderOf(
  step: Pick<StepDefinition, 'departmentId' | 'heldBy'>,
  applies: (rule: StepDefinition['applicability']) => boolean,
): string | null {
  return step.heldBy?.find((h) => applies(h.when))?.departmentId ?? step.departmentId;
}

/** The key a chain version is stored and deployed under, e.g. `industrial-enterprise@1`. */
export const chainKey = (chain: Pick<Chain, 'id' | 'version'>): string => `${chain.id}@${chain.version}`;
