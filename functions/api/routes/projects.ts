import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CreateProjectInputSchema, createProject } from '../../../shared/app/create-project.js';
import { getProjectView, listProjectEvents, listProjects } from '../../../shared/app/queries.js';
import { ReassignAgentInputSchema, reassignAgent } from '../../../shared/app/reassign-agent.js';
import { ProjectStatusSchema } from '../../../shared/domain/step-status.js';
import type { ApiDeps, ApiEnv } from '../env.js';
import { validationHook } from '../errors.js';
import { bearer, body, errorResponses, json, ProjectIdParams } from '../openapi.js';

export function projectRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const { ctx } = deps;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects',
      security: bearer,
      request: { body: body(CreateProjectInputSchema) },
      responses: { 201: json('the project, with its id and project code (项目代码)'), ...errorResponses },
    }),
    async (c) => {
      const project = await createProject(ctx, c.get('principal'), c.req.valid('json'));
      return c.json({ projectId: project.projectId, code: project.code, project }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects',
      security: bearer,
      request: {
        query: z.strictObject({
          status: ProjectStatusSchema.optional(),
          agent: z.string().min(1).optional(),
          department: z.string().min(1).optional(),
        }),
      },
      responses: { 200: json('projects the caller may see'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const projects = await listProjects(ctx, c.get('principal'), {
        status: q.status,
        agentId: q.agent,
        departmentId: q.department,
      });
      return c.json({ projects }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{id}',
      security: bearer,
      request: { params: ProjectIdParams },
      responses: { 200: json('the project, its stages and every step'), ...errorResponses },
    }),
    async (c) => c.json(await getProjectView(ctx, c.get('principal'), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{id}/events',
      security: bearer,
      request: { params: ProjectIdParams },
      responses: { 200: json('the timeline: every action, oldest first'), ...errorResponses },
    }),
    async (c) =>
      c.json({ events: await listProjectEvents(ctx, c.get('principal'), c.req.valid('param').id) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/projects/{id}/agent',
      security: bearer,
      request: { params: ProjectIdParams, body: body(ReassignAgentInputSchema) },
      responses: { 200: json('the project with its new agent'), ...errorResponses },
    }),
    async (c) => {
      const project = await reassignAgent(
        ctx,
        c.get('principal'),
        c.req.valid('param').id,
        c.req.valid('json'),
      );
      return c.json({ project }, 200);
    },
  );

  return app;
}
