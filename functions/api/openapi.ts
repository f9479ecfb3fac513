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

/** The header that makes a POST safe to repeat (a repeat gets the first answer; see functions/api/idempotency.ts). */
export const IdempotencyKeyHeader = z.strictObject({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/)
    .optional()
    .openapi({
      description:
        'makes the request safe to repeat: a repeat with the same key (same user) gets the first answer and changes nothing; the same key on a different request is a 422',
      example: '6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
    }),
});

type RouteDefinition = {
  method: string;
  path: string;
  request?: { headers?: unknown; query?: unknown; body?: unknown };
  responses: Record<string, unknown>;
};

/**
 * Declares in every operation of the document the answers and headers the app's middleware gives it (not its own
 * handler): 413 for a body over the limit (on every route: the limit holds whatever the method), and on every POST that takes an
 * Idempotency-Key (`keyed`), the header and its 422. A wrong method's 405 (with `Allow`) is one shared answer,
 * described in `components.responses`.
 */
export function declareCommonAnswers(
  definitions: ReadonlyArray<{ type: string; route?: unknown }>,
  keyed: (method: string, path: string) => boolean,
): void {
  for (const definition of definitions) {
    if (definition.type !== 'route') continue;
    const route = definition.route as RouteDefinition;
    const method = route.method.toLowerCase();
    // the body limit holds for every request, whatever its method
    route.responses['413'] ??= failure('the request body is over 256 KB: nothing was read or changed');
    if (method === 'post' && keyed(method, route.path)) {
      route.request = { ...route.request, headers: route.request?.headers ?? IdempotencyKeyHeader };
      route.responses['422'] ??= failure('the Idempotency-Key was used for a different request');
    }
  }
}

/** The GET routes that take no query: a query field there is a mistake (400), as anywhere else. */
export function routesWithoutQuery(
  definitions: ReadonlyArray<{ type: string; route?: unknown }>,
): Array<{ pattern: RegExp; path: string }> {
  return definitions.flatMap((definition) => {
    if (definition.type !== 'route') return [];
    const route = definition.route as RouteDefinition;
    if (route.method.toLowerCase() !== 'get' || route.request?.query) return [];
    return [{ path: route.path, pattern: new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }];
  });
}
