import { z } from 'zod';
import type { CommitmentPolicy } from './chain.js';
import { ChinaDateSchema, InstantSchema } from './time.js';
import { addCalendarDays, chinaDate, startOfChinaDay, type WorkingDayCalendar } from './working-days.js';

/**
 * 告知承诺制 (DOMAIN.md "Rules the system enforces"): for steps whose policy allows it, the enterprise signs a
 * commitment that it meets the conditions instead of handing in certain materials; the department approves on it and
 * verifies within a set period of working days; a failed verification revokes the approval and returns the project
 * at that step (the record kept), and counts against the enterprise's credit.
 */

/** The enterprise's signed commitment (承诺书), as the agent hands it in with the submission. */
export const SignedCommitmentSchema = z.strictObject({
  /** who signed for the enterprise (法定代表人 or an authorised person) */
  signatory: z.string().trim().min(1).max(100),
  signedOn: ChinaDateSchema,
  /** the commitment's wording, when it is more than the standard text */
  statement: z.string().trim().max(4000).optional(),
});
export type SignedCommitment = z.infer<typeof SignedCommitmentSchema>;

export const VerificationResultSchema = z.enum(['passed', 'failed']);

/** The officer's record of the verification (核查). */
export const VerificationSchema = z.strictObject({
  result: VerificationResultSchema,
  /** what was checked and found */
  findings: z.string().trim().min(1, 'say what the verification found').max(4000),
  /** for a failure: the rule the revocation rests on */
  legalBasis: z.string().trim().min(1).max(1000).optional(),
});
export type Verification = z.infer<typeof VerificationSchema>;

export const CommitmentRecordSchema = SignedCommitmentSchema.extend({
  /** the materials it stood for */
  replaces: z.array(z.object({ materialId: z.string(), name: z.string() })),
  verificationDays: z.number().int(),
  /** set when the department approved on it: the verification is due by `verifyBy` */
  approvedAt: InstantSchema.optional(),
  verifyBy: ChinaDateSchema.optional(),
  /** `verifyBy` is a guess: a day counted falls in a year whose official schedule the calendar lacks */
  verifyByFlagged: z.boolean().optional(),
  /** the verification came due without being recorded */
  overdue: z.boolean().optional(),
  verification: z
    .object({
      result: VerificationResultSchema,
      findings: z.string(),
      legalBasis: z.string().optional(),
      at: InstantSchema,
      by: z.string(),
    })
    .optional(),
});
export type CommitmentRecord = z.infer<typeof CommitmentRecordSchema>;

/** The commitment as recorded at acceptance, for the materials it replaced. */
export function commitmentOf(
  signed: SignedCommitment,
  replaced: ReadonlyArray<{ id: string; name: string }>,
  policy: CommitmentPolicy,
): CommitmentRecord {
  return {
    ...signed,
    replaces: replaced.map((m) => ({ materialId: m.id, name: m.name })),
    verificationDays: policy.verificationDays,
  };
}

/** The commitment once the department approved on it: verification due so many working days after. */
export function approvedOnCommitment(
  record: CommitmentRecord,
  calendar: WorkingDayCalendar,
  now: Date,
): CommitmentRecord {
  const { verifyByFlagged: _f, ...rest } = record;
  const verifyBy = calendar.addWorkingDays(chinaDate(now), record.verificationDays);
  return {
    ...rest,
    approvedAt: now.toISOString(),
    verifyBy: verifyBy.date,
    ...(verifyBy.flagged || !calendar.isKnownYear(chinaDate(now)) ? { verifyByFlagged: true } : {}),
  };
}

/**
 * The verification date counted again on the calendar as it now is; unchanged once verified or marked overdue.
 */
export function recountVerification(
  record: CommitmentRecord,
  calendar: WorkingDayCalendar,
): CommitmentRecord {
  if (!record.approvedAt || !record.verifyBy || record.verification || record.overdue) return record;
  return approvedOnCommitment(record, calendar, new Date(record.approvedAt));
}

/** When the sweep must look at a verification: the day after it is due, until it is recorded or flagged overdue. */
export function verificationCheckAt(item: { commitment?: CommitmentRecord }): string | undefined {
  const c = item.commitment;
  if (!c?.verifyBy || c.verification || c.overdue) return undefined;
  return startOfChinaDay(addCalendarDays(c.verifyBy, 1));
}
