import { z } from 'zod';

/**
 * The user kinds of DOMAIN.md: agent, officer, investor, leader, the efficiency office (效能办: handles efficiency
 * complaints, reads reports) and the admin.
 */
export const RoleSchema = z.enum(['agent', 'officer', 'investor', 'leader', 'efficiency', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/**
 * Who is acting: taken from a verified bearer JWT (locally) or API Gateway's JWT authorizer claims (AWS).
 * `departmentId` is set for officers, `enterpriseId` (the unified social credit code) for investors.
 * An agent's `userId` is their agent id.
 */
export const PrincipalSchema = z.strictObject({
  userId: z.string().min(1),
  role: RoleSchema,
  name: z.string().min(1),
  departmentId: z.string().optional(),
  enterpriseId: z.string().optional(),
});
export type Principal = z.infer<typeof PrincipalSchema>;

/** The actor recorded on events the system makes by itself (applicability, deemed approval, engine). */
export const SYSTEM_ACTOR = { userId: 'system', role: 'system', name: 'Daiban' } as const;
export type Actor = Principal | typeof SYSTEM_ACTOR;
