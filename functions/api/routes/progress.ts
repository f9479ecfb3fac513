import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { publicProgress } from '../../../shared/app/progress.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { errorResponses, failure, json } from '../openapi.js';
import { PublicProgressSchema } from '../schemas.js';

/** The public progress lookup by project code (项目代码): no sign-in, stages and step statuses only. */
export function progressRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/public/projects/{code}',
      request: {
        params: z.strictObject({
          code: z
            .string()
            .min(1)
            .max(40)
            .describe('the 24-character project code, e.g. 2026-320115-39-01-000011'),
        }),
      },
      responses: {
        200: json(
          "the project's name and status, each stage and step with its status (nothing internal)",
          PublicProgressSchema,
        ),
        400: errorResponses[400],
        404: failure('no project is registered under this code'),
        503: errorResponses[503],
      },
    }),
    async (c) => c.json(await publicProgress(deps.ctx, c.req.valid('param').code), 200),
  );
  return app;
}
