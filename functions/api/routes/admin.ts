import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { runScheduledJob } from '../../../shared/app/scheduled-job.js';
import { assertAllowed } from '../../../shared/domain/access-policy.js';
import type { ApiDeps, ApiEnv } from '../env.js';
import { validationHook } from '../errors.js';
import { bearer, errorResponses, json } from '../openapi.js';

/** Operations an admin may run by hand: the scheduled job (which also runs on its own schedule). */
export function adminRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/admin/jobs',
      security: bearer,
      responses: {
        200: json('what the scheduled job did: outbox entries re-sent, executions renewed, projects audited'),
        ...errorResponses,
      },
    }),
    async (c) => {
      assertAllowed(c.get('principal'), 'admin.operate');
      const report = deps.runScheduledJob ? await deps.runScheduledJob() : await runScheduledJob(deps.ctx);
      return c.json({ report }, 200);
    },
  );

  return app;
}
