import { z } from 'zod';

/** Government level a department sits at (上下协同): upper-level steps are carried up in batches by the agent. */
export const DepartmentLevelSchema = z.enum(['district', 'city', 'province']);
export type DepartmentLevel = z.infer<typeof DepartmentLevelSchema>;

export const DepartmentIdSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{1,15}$/, 'a department id is 2–16 upper-case letters, digits or _ (e.g. NRP)');

/** A department (审批部门) that owns approval steps. */
export const DepartmentSchema = z.strictObject({
  id: DepartmentIdSchema,
  /** Chinese name, e.g. 自然资源和规划局 */
  name: z.string().min(1),
  nameEn: z.string().min(1),
  level: DepartmentLevelSchema,
  phone: z.string().min(1).optional(),
  /** a group robot's webhook (WeCom / DingTalk) that receives the department's SLA notifications */
  webhookUrl: z
    .string()
    .url()
    .max(500)
    .refine((url) => url.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url), {
      message: 'a webhook is https (plain http only on this machine, for testing)',
    })
    .optional(),
});
export type Department = z.infer<typeof DepartmentSchema>;
