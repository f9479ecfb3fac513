import { z } from 'zod';

/**
 * The rules of 限时办结 that are data, not code (DOMAIN.md "Rules the system enforces"): when a light turns
 * yellow, the escalation ladder and its triggers, and when a department counts as a repeat offender.
 */
export const EscalationRungSchema = z.enum([
  'department',
  'stage_lead',
  'joint_meeting',
  'secretary_general',
  'mayor',
]);
export type EscalationRung = z.infer<typeof EscalationRungSchema>;

/** Who an overdue efficiency complaint (行政效能投诉) is put before, rung by rung. */
export const ComplaintRungSchema = z.enum(['efficiency_office', 'leader']);
export type ComplaintRung = z.infer<typeof ComplaintRungSchema>;

/** 行政效能投诉: the working days the efficiency office has to close a complaint, and who hears when it does not. */
export const ComplaintPolicySchema = z.strictObject({
  /** 办结时限: working days from filing to closure */
  limitDays: z.number().int().min(1).max(60),
  escalation: z
    .array(z.strictObject({ rung: ComplaintRungSchema, afterOverdueDays: z.number().int().min(0).max(365) }))
    .min(1)
    .max(5),
});
export type ComplaintPolicy = z.infer<typeof ComplaintPolicySchema>;

export const DEFAULT_COMPLAINT_POLICY: ComplaintPolicy = {
  limitDays: 5,
  escalation: [
    { rung: 'efficiency_office', afterOverdueDays: 0 },
    { rung: 'leader', afterOverdueDays: 2 },
  ],
};

export const SlaPolicySchema = z.strictObject({
  /** yellow when at most this many working days of the promised limit are left… */
  yellowDaysLeft: z.number().int().min(0).max(30),
  /** …or when at least this share of it has elapsed */
  yellowElapsedRatio: z.number().min(0).max(1),
  /**
   * The escalation ladder: overdue → the handling department → the stage's lead department → the service centre's
   * joint meeting → the secretary-general → the mayor's special meeting; each rung at so many working days overdue.
   */
  escalation: z
    .array(z.strictObject({ rung: EscalationRungSchema, afterOverdueDays: z.number().int().min(0).max(365) }))
    .min(1)
    .max(10),
  /** 约谈 (a formal talk) after this many deemed approvals of a department; the 蜗牛奖 list from this many */
  repeatOffender: z.strictObject({
    talkAfter: z.number().int().min(1).max(100),
    snailListFrom: z.number().int().min(1).max(100),
  }),
  /** efficiency complaints: their time limit and escalation (absent in a stored policy: the default) */
  complaints: ComplaintPolicySchema.default(DEFAULT_COMPLAINT_POLICY),
});
export type SlaPolicy = z.infer<typeof SlaPolicySchema>;

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  yellowDaysLeft: 1,
  yellowElapsedRatio: 0.75,
  escalation: [
    { rung: 'department', afterOverdueDays: 0 },
    { rung: 'stage_lead', afterOverdueDays: 2 },
    { rung: 'joint_meeting', afterOverdueDays: 5 },
    { rung: 'secretary_general', afterOverdueDays: 10 },
    { rung: 'mayor', afterOverdueDays: 20 },
  ],
  repeatOffender: { talkAfter: 1, snailListFrom: 2 },
  complaints: DEFAULT_COMPLAINT_POLICY,
};

/** Chinese names of the rungs, for notices and notifications. */
export const RUNG_NAMES: Record<EscalationRung, string> = {
  department: '承办部门',
  stage_lead: '阶段牵头部门',
  joint_meeting: '政务服务中心联审会',
  secretary_general: '区政府秘书长',
  mayor: '区长专题会',
};

export const COMPLAINT_RUNG_NAMES: Record<ComplaintRung, string> = {
  efficiency_office: '效能办',
  leader: '区领导',
};
