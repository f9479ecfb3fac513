import { z } from 'zod';

/** An instant, ISO 8601 with an offset (we write UTC: `2026-03-02T01:30:00.000Z`). */
export const InstantSchema = z.string().datetime({ offset: true });
/** A calendar date in China (Asia/Shanghai), `YYYY-MM-DD`. */
export const ChinaDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');
