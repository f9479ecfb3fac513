import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { agentWork } from '../../../shared/app/work.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { bearer, errorResponses, json } from '../openapi.js';
import { AgentWorkSchema } from '../schemas.js';

/** The agent's workbench as an API: what is due from them across all their projects. */
export function workRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/work',
      security: bearer,
      request: {
        query: z.strictObject({
          agent: z.string().min(1).max(64).optional().describe("a leader or admin: another agent's work"),
        }),
      },
      responses: {
        200: json(
          'what is due from the agent: submissions, milestones, supplements (the full merged list), re-applications; the steps departments hold; workload; handovers',
          AgentWorkSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { agent } = c.req.valid('query');
      const principal = c.get('principal');
      return c.json(await agentWork(deps.ctx, principal, agent ?? principal.userId), 200);
    },
  );
  return app;
}
