import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { SignInInputSchema } from '../../../shared/app/sign-in.js';
import { ForbiddenError, NotFoundError } from '../../../shared/domain/errors.js';
import { userSummary } from '../../../shared/domain/user-accounts.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { body, errorResponses, failure, json } from '../openapi.js';
import { SignedInSchema, UserListSchema } from '../schemas.js';

/**
 * Signing in, locally and on AWS: `POST /auth/login` with a password, and in the local runtime's demo mode only
 * `POST /auth/dev-token` (a token for any user, no password) and `GET /auth/users` (who there is to be).
 * On AWS there is no demo mode: no dev tokens.
 */
export function authRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });

  const accounts = deps.accounts;
  if (accounts) {
    app.openapi(
      createRoute({
        method: 'post',
        path: '/auth/login',
        request: { body: body(SignInInputSchema) },
        responses: {
          200: json(
            'a bearer token (`token`, valid `expiresIn` seconds, until `expiresAt`) and whom it is for; send it as Authorization: Bearer <token>',
            SignedInSchema,
          ),
          400: errorResponses[400],
          401: failure('wrong user id or password (the same answer for both), or a disabled account'),
          429: failure('too many failed sign-ins for this user id: try again after Retry-After seconds'),
          503: errorResponses[503],
        },
      }),
      async (c) => {
        const signedIn = await accounts.signIn.signIn(c.req.valid('json'));
        c.header('Cache-Control', 'no-store');
        return c.json({ tokenType: 'Bearer' as const, ...signedIn }, 200);
      },
    );
  }

  const issue = deps.issueDevToken;
  if (!issue) return app;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/auth/dev-token',
      request: { body: body(z.strictObject({ userId: z.string().min(1).max(64) })) },
      responses: {
        200: json('a bearer token for any user, without a password (demo mode only)', SignedInSchema),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { userId } = c.req.valid('json');
      const user = await deps.ctx.store.getUser(userId);
      if (!user) {
        const known = (await deps.ctx.store.listUsers()).map((u) => u.userId).join(', ');
        throw new NotFoundError('USER.NOT_FOUND', `no user '${userId}'; users: ${known}`);
      }
      if (user.disabled) {
        throw new ForbiddenError(
          'USER.DISABLED',
          `the account '${userId}' is disabled; an admin can enable it (PATCH /admin/users/${userId})`,
        );
      }
      c.header('Cache-Control', 'no-store');
      return c.json({ tokenType: 'Bearer' as const, ...(await issue(user)), user: userSummary(user) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/auth/users',
      responses: {
        400: errorResponses[400],
        200: json(
          'who there is to sign in as: id, name, role, department or enterprise (demo mode only)',
          UserListSchema,
        ),
      },
    }),
    async (c) => c.json({ users: (await deps.ctx.store.listUsers()).map(userSummary) }, 200),
  );
  return app;
}
