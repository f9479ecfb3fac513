import { z } from 'zod';
import { ApplicabilityRuleSchema } from './applicability-rule.js';
import { DepartmentIdSchema } from './department.js';

/** Step ids double as Step Functions state names, so keep them short and plain. */
export const StepIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'a step id is 1–40 letters, digits, _ or -');

export const MaterialSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,60}$/),
  /** Chinese name of the material (申请材料) */
  name: z.string().min(1),
  /** original (原件) must be shown, otherwise a copy is enough */
  original: z.boolean().default(false),
  /** 容缺受理: a minor material the department may accept the submission without, to be supplied later */
  deferrable: z.boolean().default(false),
});
export type Material = z.infer<typeof MaterialSchema>;

/** 收费依据 and 收费标准: two of the six things public (六公开). */
export const FeeSchema = z.strictObject({
  basis: z.string().min(1),
  standard: z.string().min(1),
});

/**
 * 告知承诺制: the enterprise may sign a commitment that it meets the conditions instead of handing in these
 * materials; the department approves on it and verifies within `verificationDays` working days of the approval.
 */
export const CommitmentPolicySchema = z.strictObject({
  /** ids of the step's materials the commitment stands for */
  materials: z.array(z.string().regex(/^[a-z0-9-]{1,60}$/)).min(1),
  verificationDays: z.number().int().min(1).max(120),
});
export type CommitmentPolicy = z.infer<typeof CommitmentPolicySchema>;

/** 容缺受理: working days the applicant has to supply deferred materials when the chain does not say (data, not code). */
export const DEFAULT_DEFERRED_SUPPLY_DAYS = 10;

export const StepPolicySchema = z.strictObject({
  /** 超时默认: a department that misses the promised limit is deemed to approve. */
  deemedApprovalAllowed: z.boolean().default(false),
  /**
   * 容缺受理: the department accepts a submission with its deferrable materials missing; the applicant supplies them
   * within `deferredSupplyDays` working days (default DEFAULT_DEFERRED_SUPPLY_DAYS), and the step cannot be approved
   * until they are in.
   */
  acceptWithMinorMissing: z.boolean().default(false),
  deferredSupplyDays: z.number().int().min(1).max(60).optional(),
  /** 告知承诺制 (absent: the step takes no commitment instead of materials) */
  commitment: CommitmentPolicySchema.optional(),
});
export type StepPolicy = z.infer<typeof StepPolicySchema>;

/**
 * One part of a joint review (联合审查/联合验收): a department reviewing the same submission beside the others,
 * with its own callback, clock, decision and officer. Part ids are short and lower-case (`fire`, `cad`).
 */
export const JointPartSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9]{0,19}$/, 'a part id is 1–20 lower-case letters or digits'),
  name: z.string().min(1),
  nameEn: z.string().min(1),
  departmentId: DepartmentIdSchema,
  promisedDays: z.number().int().min(0).max(365),
  legalDays: z.number().int().min(0).max(365),
  /** Absent: the part applies wherever its step does. */
  applicability: ApplicabilityRuleSchema.optional(),
});
export type JointPart = z.infer<typeof JointPartSchema>;

/**
 * One step of an approval chain.
 * `approval` steps are decided by a department; `milestone` steps are reported by the agent
 * (e.g. 施工完成, works completed) and have no department and no limits.
 */
export const StepDefinitionSchema = z.strictObject({
  id: StepIdSchema,
  name: z.string().min(1),
  nameEn: z.string().min(1),
  kind: z.enum(['approval', 'milestone']).default('approval'),
  departmentId: DepartmentIdSchema.nullable(),
  /** 承诺时限 in working days; 0 means an instant case (即办件). null for milestones. */
  promisedDays: z.number().int().min(0).max(365).nullable(),
  /** 法定时限 in working days. null for milestones. */
  legalDays: z.number().int().min(0).max(365).nullable(),
  prerequisites: z.array(StepIdSchema).default([]),
  /** 服务内容 */
  serviceContent: z.string().min(1),
  /** 办理流程 */
  procedure: z.array(z.string().min(1)).min(1),
  /** 申请材料 */
  materials: z.array(MaterialSchema).default([]),
  fee: FeeSchema,
  /** Absent: the step applies to every project. */
  applicability: ApplicabilityRuleSchema.optional(),
  /**
   * Who holds the step for the projects a rule picks, instead of `departmentId` (the first rule that holds wins):
   * e.g. a large project's EIA is approved by the city's department, not the district's (上下协同).
   */
  heldBy: z
    .array(z.strictObject({ departmentId: DepartmentIdSchema, when: ApplicabilityRuleSchema }))
    .max(5)
    .optional(),
  policy: StepPolicySchema.default({ deemedApprovalAllowed: false, acceptWithMinorMissing: false }),
  /**
   * Present: a joint review. The step's department coordinates (牵头), each part is decided by its own department,
   * and the step's outcome is the most severe of its parts.
   */
  parts: z.array(JointPartSchema).optional(),
});
export type StepDefinition = z.infer<typeof StepDefinitionSchema>;
export type StepDefinitionInput = z.input<typeof StepDefinitionSchema>;

export const StageSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  name: z.string().min(1),
  nameEn: z.string().min(1),
  /** 牵头部门 */
  leadDepartmentId: DepartmentIdSchema,
  steps: z.array(StepDefinitionSchema).min(1),
});
export type Stage = z.infer<typeof StageSchema>;

/** A project attribute the chain's applicability rules may read (e.g. hazardousWorks). */
export const AttributeDefinitionSchema = z.strictObject({
  key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/),
  label: z.string().min(1),
  type: z.enum(['boolean', 'number', 'string']),
  default: z.union([z.boolean(), z.number(), z.string()]),
});
export type AttributeDefinition = z.infer<typeof AttributeDefinitionSchema>;

/** An approval chain (审批流程): stages in order, steps in parallel inside a stage as prerequisites allow. */
export const ChainSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,60}$/, 'a chain id is lower-case letters, digits and -'),
  version: z.number().int().min(1),
  name: z.string().min(1),
  nameEn: z.string().min(1),
  description: z.string().default(''),
  /** Target for the whole chain in working days (national: 120). */
  targetWorkingDays: z.number().int().min(1),
  attributes: z.array(AttributeDefinitionSchema).default([]),
  stages: z.array(StageSchema).min(1),
});
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
