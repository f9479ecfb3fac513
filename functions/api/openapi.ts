import { z } from '@hono/zod-openapi';
import { ErrorBodySchema } from './schemas.js';

/** A JSON response entry for route definitions: what it means, and its body's schema. */
export const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

/** An error answer: `{ error: { code, message, details? } }`. */
export const failure = (description: string) => json(description, ErrorBodySchema);

export const errorResponses = {
  400: failure('invalid input: the message names the problems'),
  401: failure('missing or invalid bearer token'),
  403: failure('the caller may not do this to this object'),
  404: failure('no such project, step, chain or department (or not one the caller may see)'),
  409: failure('the object is not in a state that allows this (e.g. step not in review, already decided)'),
  503: failure('the database or the engine does not answer for now; nothing was changed (see Retry-After)'),
} as const;

export const bearer = [{ bearerAuth: [] }];

/** Ids in paths: short and plain, so a 2 KB id is a 400, not a database error. */
const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'an id is letters, digits, _ or -');

export const ProjectIdParams = z.strictObject({ id: Id });
export const StepParams = z.strictObject({
  id: Id,
  stepId: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9_-]+$/),
});
export const PartParams = StepParams.extend({
  partId: z
    .string()
    .min(1)
    .max(20)
    .regex(/^[a-z0-9]+$/),
});

/** A page of a list: at most `limit` entries (default 50, at most 100), then `cursor` for the next page. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(600).optional(),
});

/** A JSON request body, required. */
export const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
