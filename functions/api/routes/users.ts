import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  CreateUserInputSchema,
  createUser,
  getUserProfile,
  listUserProfiles,
  UpdateUserInputSchema,
  updateUser,
} from '../../../shared/app/user-admin.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { bearer, body, errorResponses, failure, json, PageQuery } from '../openapi.js';
import { pageAnswer, pageRequested } from '../paging.js';
import { UserProfileListSchema, UserProfileResultSchema } from '../schemas.js';

const UserParams = z.strictObject({
  userId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'a user id is letters, digits, _ or -'),
});

/**
 * The admin's user management locally and on AWS alike: list, create with an
 * initial password, rename, disable or enable, reset a password. No answer carries a password or its hash.
 * Creating a user takes no Idempotency-Key (the password must not be kept, even hashed fast): a repeat gets 409.
 */
export function userRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const accounts = deps.accounts;
  if (!accounts) return app;
  const { ctx } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/users',
      security: bearer,
      request: { query: PageQuery },
      responses: {
        200: json(
          'a page of users (by role, then id): id, name, role, department or enterprise, contact, disabled',
          UserProfileListSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listUserProfiles(ctx, c.get('principal'), pageRequested(q));
      return c.json(pageAnswer('users', page), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/admin/users',
      security: bearer,
      request: { body: body(CreateUserInputSchema) },
      responses: {
        201: json('the new user (without the password)', UserProfileResultSchema),
        ...errorResponses,
        409: failure('a user with this id exists already'),
      },
    }),
    async (c) => {
      const user = await createUser(ctx, accounts.passwords, c.get('principal'), c.req.valid('json'));
      return c.json({ user }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/users/{userId}',
      security: bearer,
      request: { params: UserParams },
      responses: { 200: json('the user (without the password)', UserProfileResultSchema), ...errorResponses },
    }),
    async (c) =>
      c.json({ user: await getUserProfile(ctx, c.get('principal'), c.req.valid('param').userId) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/admin/users/{userId}',
      security: bearer,
      request: { params: UserParams, body: body(UpdateUserInputSchema) },
      responses: {
        200: json(
          'the user as changed: a new name, disabled or enabled, or a new password (not shown)',
          UserProfileResultSchema,
        ),
        ...errorResponses,
        403: failure('not an admin, or an admin disabling their own account'),
      },
    }),
    async (c) => {
      const user = await updateUser(
        ctx,
        accounts.passwords,
        c.get('principal'),
        c.req.valid('param').userId,
        c.req.valid('json'),
      );
      return c.json({ user }, 200);
    },
  );

  return app;
}
