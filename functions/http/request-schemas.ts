import { z } from '@hono/zod-openapi';
import { ChinaDateSchema } from '../../shared/domain/time.js';

/**
 * The request bodies the API and the pages both take (a page's form is parsed with the same schema as the API's
 * JSON body, so both refuse the same mistakes with the same words).
 */

/** 容缺补交: the materials accepted as missing at acceptance, now supplied (ids or names). */
export const DeferredSupplySchema = z.strictObject({
  supplied: z.array(z.string().min(1).max(200)).min(1, 'name the materials you are supplying').max(50),
});

/** A clock pause (听证、专家评审、检验检测、现场勘查): its kind, why, and when it is expected to end. */
export const ClockPauseInputSchema = z.strictObject({
  kind: z.enum(['hearing', 'expert_review', 'testing', 'site_survey']),
  reason: z.string().trim().min(1, 'say why the clock stops').max(500),
  expectedEnd: ChinaDateSchema.optional(),
});
