import { OpenAPIHono } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import type { ApiDeps, ApiEnv } from './env.js';
import { onError, validationHook } from './errors.js';
import { devAuthRoutes } from './routes/auth.js';
import { projectRoutes } from './routes/projects.js';
import { publicRoutes } from './routes/public.js';
import { stepRoutes } from './routes/steps.js';

/**
 * Builds the Daiban HTTP API. The same app serves the Lambda (hono/aws-lambda) and the local runtime
 * (@hono/node-server); only `deps` differ.
 *
 * @example const app = createApp({ ctx, authenticate }); const res = await app.request('/health');
 */
export function createApp(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });

  const authenticated = createMiddleware<ApiEnv>(async (c, next) => {
    c.set('principal', await deps.authenticate(c));
    await next();
  });
  app.use('/projects', authenticated);
  app.use('/projects/*', authenticated);
  app.use('/departments/:deptId/inbox', authenticated);

  app.route('/', publicRoutes(deps));
  app.route('/', devAuthRoutes(deps));
  app.route('/', projectRoutes(deps));
  app.route('/', stepRoutes(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Daiban (代办) API',
      version: '0.1.0',
      description: 'Project agency for major investment projects: approval chains, steps, decisions, agents.',
    },
  });

  app.notFound((c) =>
    c.json(
      {
        error: {
          code: 'ROUTE.NOT_FOUND',
          message: `no route ${c.req.method} ${c.req.path}; see GET /openapi.json`,
        },
      },
      404,
    ),
  );
  app.onError(onError);
  return app;
}

export type DaibanApp = ReturnType<typeof createApp>;
