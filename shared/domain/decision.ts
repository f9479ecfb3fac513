import { z } from 'zod';
import { SignedCommitmentSchema } from './commitment.js';
import { ChinaDateSchema } from './time.js';

/** A material the department says is missing, named in full at once (一次性告知). */
export const MissingMaterialSchema = z.strictObject({
  /** id of a material the chain lists for this step, when it is one of them */
  materialId: z.string().min(1).max(60).optional(),
  name: z.string().min(1).max(200),
  reason: z.string().min(1).max(500),
});
export type MissingMaterial = z.infer<typeof MissingMaterialSchema>;

/** A line of the supplement notice the agent receives: who asked (the part of a joint review) and for what. */
export const NoticeMaterialSchema = MissingMaterialSchema.extend({
  partId: z.string().optional(),
  departmentId: z.string().optional(),
});
export type NoticeMaterial = z.infer<typeof NoticeMaterialSchema>;

const Comment = z.string().max(2000).optional();

/**
 * The approval document (批文/证照) an approval is issued as: its number (文号/证号, e.g. 宁环建〔2026〕118号) and the
 * date it bears. Every approval records one.
 */
export const ApprovalDocumentSchema = z.strictObject({
  number: z.string().trim().min(1, "the approval document's number (文号)").max(100),
  /** the date the document bears, a calendar date in China (`YYYY-MM-DD`) */
  date: ChinaDateSchema,
});
export type ApprovalDocument = z.infer<typeof ApprovalDocumentSchema>;

const closingOthers = [
  z.strictObject({
    outcome: z.literal('supplement'),
    missingMaterials: z
      .array(MissingMaterialSchema)
      .min(1, 'list every missing material (一次性告知)')
      .max(50, 'at most 50 materials in one notice'),
    /** 一次性告知: a second request on the same step must say why it could not be named the first time */
    repeatReason: z.string().min(1).max(1000).optional(),
    comment: Comment,
  }),
  z.strictObject({
    outcome: z.literal('rejected'),
    legalBasis: z.string().min(1, 'a rejection must cite its legal basis').max(1000),
    reason: z.string().min(1).max(2000),
  }),
  z.strictObject({ outcome: z.literal('not_applicable'), reason: z.string().min(1).max(2000) }),
] as const;

function decisionSchema<D extends z.ZodType>(document: D) {
  return z.discriminatedUnion('outcome', [
    z.strictObject({ outcome: z.literal('approved'), document, comment: Comment }),
    z.strictObject({
      outcome: z.literal('approved_with_conditions'),
      conditions: z.array(z.string().min(1).max(500)).min(1, 'list at least one condition').max(50),
      document,
      comment: Comment,
    }),
    ...closingOthers,
  ]);
}

/**
 * A decision as the step's lifecycle takes it. An approval's document may be left to the decision path when it
 * has one of its own (a meeting's minutes, a deemed approval's notice); a department's always names it
 * (`DecisionRequestSchema`).
 */
export const DecisionSchema = decisionSchema(ApprovalDocumentSchema.optional());
export type Decision = z.infer<typeof DecisionSchema>;
export type DecisionOutcome = Decision['outcome'];

/**
 * A department officer's decision on a step in review (or one recorded on behalf of an upper-level department).
 * An approval names its document (批文/证照: number and date); `supplement` must list every missing material at
 * once; `rejected` must cite its legal basis.
 */
export const DecisionRequestSchema = decisionSchema(ApprovalDocumentSchema);

/** The agent's submission of materials for a ready step (申报). */
export const SubmissionSchema = z.strictObject({
  /** ids of the step's listed materials handed in */
  materials: z.array(z.string().min(1).max(60)).max(100).default([]),
  /** 告知承诺制: the enterprise's signed commitment, standing for the materials the step's policy lets it replace */
  commitment: SignedCommitmentSchema.optional(),
  note: z.string().max(2000).optional(),
});
export type Submission = z.infer<typeof SubmissionSchema>;

/** The agent's answer to a supplement request (补正): the materials asked for. */
export const ResubmissionSchema = z.strictObject({
  /** names (or material ids) of the missing materials now supplied */
  supplied: z.array(z.string().min(1).max(200)).min(1, 'name the materials you are supplying').max(100),
  note: z.string().max(2000).optional(),
});
export type Resubmission = z.infer<typeof ResubmissionSchema>;
