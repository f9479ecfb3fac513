import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import type { AppContext } from '../../shared/app/context.js';
import type { Principal } from '../../shared/domain/principal.js';
import type { ApiEnv } from '../http/env.js';
import { bearer, body, errorResponses, json } from './openapi.js';

/** A move on one object named by the path (a meeting, a batch, a project, a step) with a checked JSON body. */
export type MoveRoute<P extends z.ZodObject, S extends z.ZodType> = {
  method: 'post' | 'put';
  path: string;
  params: P;
  body: S;
  /** what the 200 answer is, for the document */
  description: string;
  /** what the document says of the operation itself, where the answer's description is not enough */
  about?: string;
  /** the 200 answer's schema */
  result: z.ZodType;
};

/** The use case of a move on one object: the caller, the object's id and the checked body in, the object out. */
export type MoveUseCase<S extends z.ZodType, T> = (
  ctx: AppContext,
  principal: Principal,
  objectId: string,
  input: z.output<S>,
) => Promise<T>;

/**
 * Declares a move and answers it: the caller, the path's parameters and the checked body go to `answer`, whose
 * result is the 200 answer (the object after the move). Every move on a meeting, a batch, a project or a step
 * reads the same way; only the use case and its answer's wrapping differ.
 */
export function moveRoute<P extends z.ZodObject, S extends z.ZodType>(
  app: OpenAPIHono<ApiEnv>,
  route: MoveRoute<P, S>,
  answer: (principal: Principal, params: z.output<P>, input: z.output<S>) => Promise<object>,
): void {
  app.openapi(
    createRoute({
      method: route.method,
      path: route.path,
      security: bearer,
      ...(route.about ? { description: route.about } : {}),
      request: { params: route.params as z.ZodObject, body: body<z.ZodType>(route.body) },
      responses: { 200: json(route.description, route.result), ...errorResponses },
    }),
    async (c) => {
      const params = c.req.valid('param') as z.output<P>;
      const input = c.req.valid('json') as z.output<S>;
      return c.json(await answer(c.get('principal'), params, input), 200);
    },
  );
}
