import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { NotFoundError } from '../../../shared/domain/errors.js';
import type { ApiDeps, ApiEnv } from '../env.js';
import { validationHook } from '../errors.js';
import { body, errorResponses, json } from '../openapi.js';
import { DevTokenSchema, UserListSchema } from '../schemas.js';

/** Local mode only: a token for a seeded user, so the demo and tests can act as anyone. */
export function devAuthRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const issue = deps.issueDevToken;
  if (!issue) return app;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/auth/dev-token',
      request: { body: body(z.strictObject({ userId: z.string().min(1).max(64) })) },
      responses: {
        200: json('a bearer token for the seeded user (local mode only)', DevTokenSchema),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { userId } = c.req.valid('json');
      const user = await deps.ctx.store.getUser(userId);
      if (!user) {
        const known = (await deps.ctx.store.listUsers()).map((u) => u.userId).join(', ');
        throw new NotFoundError('AUTH.UNKNOWN_USER', `no seeded user '${userId}'; seeded users: ${known}`);
      }
      return c.json({ token: await issue(user), user }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/auth/users',
      responses: { 200: json('the seeded users (local mode only)', UserListSchema) },
    }),
    async (c) => c.json({ users: await deps.ctx.store.listUsers() }, 200),
  );
  return app;
}
