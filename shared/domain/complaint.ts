import { z } from 'zod';
import { ConflictError } from './errors.js';
import type { Principal } from './principal.js';
import { RoleSchema } from './principal.js';
import type { ComplaintPolicy } from './sla-policy.js';
import { ChinaDateSchema, InstantSchema } from './time.js';
import { chinaDate, type WorkingDayCalendar } from './working-days.js';

/**
 * 行政效能投诉 (DOMAIN.md "Also in the practice"): an investor or an agent complains about a department's conduct on a
 * step; the efficiency office (效能办) acknowledges it, investigates and closes it with a finding within a time limit
 * counted in working days; the complainant follows its progress. Complaints are kept apart from the project's
 * timeline, so the department complained about never learns who complained (投诉人信息保密): it sees the complaint
 * about its step, the finding and the action taken, never the complainant.
 */

export const ComplaintCategorySchema = z.enum([
  'delay',
  'shifting_responsibility',
  'improper_demands',
  'other',
]);
export type ComplaintCategory = z.infer<typeof ComplaintCategorySchema>;

export const COMPLAINT_CATEGORY_NAMES: Record<ComplaintCategory, string> = {
  delay: '办事拖延',
  shifting_responsibility: '推诿扯皮',
  improper_demands: '违规设置条件或索要材料',
  other: '其他效能问题',
};

/** filed (已投诉) → acknowledged (已受理) → investigating (调查核实中) → closed (已办结). */
export const ComplaintStatusSchema = z.enum(['filed', 'acknowledged', 'investigating', 'closed']);
export type ComplaintStatus = z.infer<typeof ComplaintStatusSchema>;

/** 投诉属实 / 投诉不属实 */
export const ComplaintFindingSchema = z.enum(['upheld', 'not_upheld']);
export type ComplaintFinding = z.infer<typeof ComplaintFindingSchema>;

const PersonSchema = z.object({ userId: z.string(), role: z.string(), name: z.string() });

/** One line of a complaint's record (痕迹): who moved it on, when, and what they said. Never edited. */
export const ComplaintEntrySchema = z.object({
  at: InstantSchema,
  status: ComplaintStatusSchema,
  by: PersonSchema,
  note: z.string().optional(),
});
export type ComplaintEntry = z.infer<typeof ComplaintEntrySchema>;

export const ComplaintSchema = z.object({
  complaintId: z.string(),
  /** 效能投诉〔2026〕第0001号 */
  number: z.string(),
  version: z.number().int().min(1),
  projectId: z.string(),
  projectCode: z.string(),
  projectName: z.string(),
  enterpriseId: z.string(),
  stepId: z.string(),
  partId: z.string().optional(),
  stepName: z.string(),
  /** the department complained about */
  departmentId: z.string(),
  category: ComplaintCategorySchema,
  description: z.string(),
  complainant: PersonSchema.extend({ role: RoleSchema }),
  status: ComplaintStatusSchema,
  filedAt: InstantSchema,
  /** 办结时限 in working days, as the policy said when it was filed */
  limitDays: z.number().int(),
  /** the last China date it may be closed on */
  dueDate: ChinaDateSchema,
  /** the calendar had no official schedule for some day counted */
  dueFlagged: z.boolean().optional(),
  acknowledgedAt: InstantSchema.optional(),
  investigationStartedAt: InstantSchema.optional(),
  closedAt: InstantSchema.optional(),
  finding: ComplaintFindingSchema.optional(),
  actionTaken: z.string().optional(),
  /** closed on or before its due date (按时办结) */
  closedOnTime: z.boolean().optional(),
  /** working days past the due date when it was closed */
  lateByDays: z.number().int().optional(),
  light: z.enum(['green', 'yellow', 'red']).optional(),
  escalationLevel: z.number().int().min(0).optional(),
  /** when the sweep must next look at it (absent once closed) */
  slaCheckAt: InstantSchema.optional(),
  record: z.array(ComplaintEntrySchema),
  updatedAt: InstantSchema,
});
export type Complaint = z.infer<typeof ComplaintSchema>;

/** What a complainant says (the step and project come from the path). */
export const ComplaintInputSchema = z.strictObject({
  category: ComplaintCategorySchema,
  description: z.string().trim().min(10, 'describe what happened in at least 10 characters').max(4000),
  /** the part of a joint review the complaint is about, when it is one department's part */
  partId: z
    .string()
    .regex(/^[a-z0-9]{1,20}$/)
    .optional(),
});
export type ComplaintInput = z.infer<typeof ComplaintInputSchema>;

export const ComplaintNoteSchema = z.strictObject({ note: z.string().trim().min(1).max(4000).optional() });

export const ComplaintClosureSchema = z.strictObject({
  finding: ComplaintFindingSchema,
  /** 处理结果: what was done (a formal talk, a correction, an explanation to the complainant …) */
  actionTaken: z.string().trim().min(1, 'say what action was taken').max(4000),
  note: z.string().trim().max(4000).optional(),
});
export type ComplaintClosure = z.infer<typeof ComplaintClosureSchema>;

const person = (p: Principal) => ({ userId: p.userId, role: p.role, name: p.name });

/** The day a complaint's time limit counts from: the filing day, or the next working day after a day off. */
export function complaintDue(
  calendar: WorkingDayCalendar,
  filedAt: Date,
  limitDays: number,
): { dueDate: string; flagged: boolean } {
  const filedOn = chinaDate(filedAt);
  const start = calendar.isWorkingDay(filedOn) ? filedOn : calendar.workingDayOnOrAfter(filedOn).date;
  const due = calendar.addWorkingDays(start, limitDays);
  return { dueDate: due.date, flagged: due.flagged };
}

/** A new complaint, filed now, due within the policy's limit. */
export function fileComplaint(args: {
  complaintId: string;
  number: string;
  about: Pick<
    Complaint,
    'projectId' | 'projectCode' | 'projectName' | 'enterpriseId' | 'stepId' | 'stepName'
  > & {
    partId?: string;
    departmentId: string;
  };
  input: ComplaintInput;
  complainant: Principal;
  now: Date;
  calendar: WorkingDayCalendar;
  policy: ComplaintPolicy;
}): Complaint {
  const { now, calendar, policy } = args;
  const at = now.toISOString();
  const due = complaintDue(calendar, now, policy.limitDays);
  const complainant = args.complainant;
  return {
    complaintId: args.complaintId,
    number: args.number,
    version: 1,
    ...args.about,
    category: args.input.category,
    description: args.input.description,
    complainant: { userId: complainant.userId, role: complainant.role, name: complainant.name },
    status: 'filed',
    filedAt: at,
    limitDays: policy.limitDays,
    dueDate: due.dueDate,
    ...(due.flagged ? { dueFlagged: true } : {}),
    light: 'green',
    escalationLevel: 0,
    record: [{ at, status: 'filed', by: person(complainant) }],
    updatedAt: at,
  };
}

const STATUS_NAMES: Record<ComplaintStatus, string> = {
  filed: 'filed and not yet acknowledged',
  acknowledged: 'acknowledged',
  investigating: 'under investigation',
  closed: 'closed',
};

function moveOn(
  complaint: Complaint,
  from: ComplaintStatus,
  to: ComplaintStatus,
  by: Principal,
  now: Date,
  note: string | undefined,
  what: string,
): Complaint {
  if (complaint.status !== from) {
    throw new ConflictError(
      'COMPLAINT.WRONG_STATUS',
      `complaint ${complaint.number} is ${STATUS_NAMES[complaint.status]}; it can be ${what} only when it is ${STATUS_NAMES[from]}`,
      { status: complaint.status },
    );
  }
  const at = now.toISOString();
  return {
    ...complaint,
    status: to,
    version: complaint.version + 1,
    record: [...complaint.record, { at, status: to, by: person(by), ...(note ? { note } : {}) }],
    updatedAt: at,
  };
}

/**
 * A move of the complaint that only records when it happened: from one status to the next, the moment kept in
 * `stamp` (and in the record, with the note).
 */
function stampedMove(
  from: ComplaintStatus,
  to: ComplaintStatus,
  what: string,
  stamp: 'acknowledgedAt' | 'investigationStartedAt',
) {
  return (complaint: Complaint, by: Principal, now: Date, note?: string): Complaint => ({
    ...moveOn(complaint, from, to, by, now, note, what),
    [stamp]: now.toISOString(),
  });
}

/** 受理: the efficiency office takes the complaint on. */
export const acknowledgeComplaint = stampedMove('filed', 'acknowledged', 'acknowledged', 'acknowledgedAt');

/** 调查核实: the efficiency office looks into it (asks the department, reads the step's record). */
export const investigateComplaint = stampedMove(
  'acknowledged',
  'investigating',
  'investigated',
  'investigationStartedAt',
);

/** 办结: a finding and the action taken; on time when closed on or before its due date. */
export function closeComplaint(
  complaint: Complaint,
  by: Principal,
  now: Date,
  closure: ComplaintClosure,
  calendar: WorkingDayCalendar,
): Complaint {
  const moved = moveOn(complaint, 'investigating', 'closed', by, now, closure.note, 'closed');
  const closedOn = chinaDate(now);
  const onTime = closedOn <= complaint.dueDate;
  const { slaCheckAt: _c, ...rest } = moved;
  const lateBy = onTime ? 0 : calendar.workingDaysBetween(complaint.dueDate, closedOn).days;
  return {
    ...rest,
    closedAt: now.toISOString(),
    finding: closure.finding,
    actionTaken: closure.actionTaken,
    closedOnTime: onTime,
    ...(onTime ? {} : { lateByDays: Math.max(lateBy, 1) }),
  };
}

/** Whether the principal may read the complaint at all. */
export function canSeeComplaint(principal: Principal, complaint: Complaint): boolean {
  switch (principal.role) {
    case 'efficiency':
    case 'leader':
    case 'admin':
      return true;
    case 'officer':
      return principal.departmentId === complaint.departmentId;
    case 'agent':
    case 'investor':
      return complaint.complainant.userId === principal.userId;
  }
}

/** A complaint's view for a reader: the department complained about never sees who complained. */
export type ComplaintView = Omit<Complaint, 'complainant' | 'version' | 'slaCheckAt'> & {
  complainant?: Complaint['complainant'];
};

export function complaintAsSeenBy(principal: Principal, complaint: Complaint): ComplaintView {
  const { version: _v, slaCheckAt: _s, complainant, ...rest } = complaint;
  if (principal.role !== 'officer') return { ...rest, complainant };
  return {
    ...rest,
    record: rest.record.map((entry) =>
      entry.by.userId === complainant.userId
        ? { ...entry, by: { userId: 'complainant', role: 'complainant', name: '投诉人' } }
        : entry,
    ),
  };
}
