import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { agentWork, WORK_PAGE_MAX, WORK_PAGE_PROJECTS } from '../../../shared/app/work.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { bearer, errorResponses, json } from '../openapi.js';
import { pageRequested } from '../paging.js';
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
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(WORK_PAGE_MAX)
            .default(WORK_PAGE_PROJECTS)
            .describe("how many of the agent's projects this page covers"),
          cursor: z
            .string()
            .min(1)
            .max(600)
            .optional()
            .describe(
              'the nextCursor of the page before, unchanged (opaque and signed: any other value is a 400)',
            ),
          handovers: z
            .enum(['true', 'false'])
            .default('false')
            .describe("true: also the handover history of the page's projects (one more read per project)"),
        }),
      },
      responses: {
        200: json(
          "what is due from the agent on one page of their projects: submissions, milestones, supplements (the full merged list), re-applications; the steps departments hold; the page's workload; handovers if asked; nextCursor for the next page (absent on the last)",
          AgentWorkSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const principal = c.get('principal');
      const work = await agentWork(deps.ctx, principal, q.agent ?? principal.userId, {
        ...pageRequested(q),
        handovers: q.handovers === 'true',
      });
      return c.json(work, 200);
    },
  );
  return app;
}
