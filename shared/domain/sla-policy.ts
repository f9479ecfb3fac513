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
};

/** Chinese names of the rungs, for notices and notifications. */
export const RUNG_NAMES: Record<EscalationRung, string> = {
  department: '承办部门',
  stage_lead: '阶段牵头部门',
  joint_meeting: '政务服务中心联审会',
  secretary_general: '区政府秘书长',
  mayor: '区长专题会',
};
