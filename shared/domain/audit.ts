import { z } from 'zod';
import { InstantSchema } from './time.js';

/**
 * The audit trail of refused attempts (DOMAIN.md "Who sees what"): every time the access policy refuses a signed-in
 * caller (a 403, or a 404 that hides an object), who tried what, where and when. Kept three years.
 */
export const DenialSchema = z.object({
  denialId: z.string(),
  at: InstantSchema,
  userId: z.string(),
  role: z.string(),
  departmentId: z.string().optional(),
  enterpriseId: z.string().optional(),
  /** the policy's action, e.g. `step.decide` */
  action: z.string(),
  code: z.string(),
  as: z.enum(['forbidden', 'not_found']),
  method: z.string(),
  /** the request's path (its query left out), at most 300 characters */
  path: z.string(),
});
export type Denial = z.infer<typeof DenialSchema>;

/** How long a denial is kept before DynamoDB deletes it. */
export const DENIAL_RETENTION_DAYS = 3 * 366;
