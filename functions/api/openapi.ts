import { z } from '@hono/zod-openapi';

/** A JSON response entry for route definitions (the body shape is documented by description). */
export const json = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.any() } },
});

export const errorResponses = {
  400: json('invalid input: the message names each problem'),
  401: json('missing or invalid bearer token'),
  403: json('the caller may not do this to this object'),
  404: json('no such project, step, chain or department'),
  409: json('the object is not in a state that allows this (e.g. step not in review, already decided)'),
} as const;

export const bearer = [{ bearerAuth: [] }];

export const ProjectIdParams = z.strictObject({ id: z.string().min(1).max(64) });
export const StepParams = z.strictObject({
  id: z.string().min(1).max(64),
  stepId: z.string().min(1).max(64),
});

/** A JSON request body, required. */
export const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
