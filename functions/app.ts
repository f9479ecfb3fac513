import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { denialOf } from '../shared/app/audit.js';
import type { Principal } from '../shared/domain/principal.js';
import { errorHandler, refuse, validationHook } from './api/errors.js';
import { idempotency } from './api/idempotency.js';
import { declareCommonAnswers, routesWithoutQuery } from './api/openapi.js';
import { adminRoutes } from './api/routes/admin.js';
import { authRoutes } from './api/routes/auth.js';
import { batchRoutes } from './api/routes/batches.js';
import { chainRoutes } from './api/routes/chains.js';
import { complaintRoutes } from './api/routes/complaints.js';
import { exportRoutes } from './api/routes/exports.js';
import { importRoutes } from './api/routes/imports.js';
import { meetingRoutes } from './api/routes/meetings.js';
import { progressRoutes } from './api/routes/progress.js';
import { projectRoutes } from './api/routes/projects.js';
import { publicRoutes } from './api/routes/public.js';
import { slaRoutes } from './api/routes/sla.js';
import { stepRoutes } from './api/routes/steps.js';
import { userRoutes } from './api/routes/users.js';
import { weeklyReportRoutes } from './api/routes/weekly-reports.js';
import { workRoutes } from './api/routes/work.js';
import type { ApiDeps, ApiEnv } from './http/env.js';
import { webRoutes } from './web/app.js';
import { securityHeaders } from './web/security-headers.js';

/** The largest request body the API reads (a registration or a chain version is well under it). */
export const MAX_BODY_BYTES = 256 * 1024;
/** The largest file of projects in flight imported in one request (POST /imports/projects, the import page). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/**
 * Builds the Daiban HTTP app, the one place that mounts both the JSON API (functions/api) and the pages
 * (functions/web), which never import each other (what both need is in functions/http). The same app serves the
 * Lambda (functions/api/handler.ts, hono/aws-lambda) and the local runtime (infra/local, @hono/node-server); only
 * `deps` differ.
 *
 * @example const app = createApp({ ctx, authenticate }); const res = await app.request('/health');
 */
export function createApp(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });

  // Every answer, page or JSON, refusal or not: a strict Content-Security-Policy, never framed, no sniffing.
  app.use('*', securityHeaders());

  // No request body is bigger than this: a larger one is refused before it is read. A file of projects in flight
  // (a few hundred rows of a few KB each) may be larger, up to MAX_IMPORT_BYTES.
  const limitOf = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) => refuse(c, 'REQUEST.TOO_LARGE', `the request body is over ${maxSize / 1024} KB`),
    });
  const bodyLimits = { usual: limitOf(MAX_BODY_BYTES), imports: limitOf(MAX_IMPORT_BYTES) };
  app.use('*', (c, next) =>
    (c.req.path.startsWith('/imports') || c.req.path === '/app/admin/imports'
      ? bodyLimits.imports
      : bodyLimits.usual)(c, next),
  );
  // A query field on a route that takes none is a mistake, refused as unknown fields are everywhere else.
  let withoutQuery: Array<{ pattern: RegExp; path: string }> | undefined;
  app.use('*', async (c, next) => {
    if (c.req.method === 'GET' && new URL(c.req.url).search.length > 1) {
      withoutQuery ??= routesWithoutQuery(app.openAPIRegistry.definitions);
      if (withoutQuery.some((r) => r.pattern.test(c.req.path))) {
        const names = [...new URL(c.req.url).searchParams.keys()]
          .slice(0, 5)
          .map((k) => `'${k.slice(0, 60)}'`);
        return refuse(
          c,
          'REQUEST.INVALID',
          `query: unknown field(s) ${names.join(', ')}: ${c.req.path.slice(0, 200)} takes no query`,
        );
      }
    }
    await next();
  });
  // An admin's calendar or SLA policy change applies at once in every process (read at most once a second).
  app.use('*', async (_c, next) => {
    await deps.ctx.settings.refresh(deps.ctx.store).catch(() => undefined);
    await next();
  });
  const authenticated = createMiddleware<ApiEnv>(async (c, next) => {
    c.set('principal', await deps.authenticate(c));
    await next();
  });
  const keyed = idempotency(deps.ctx.store, () => deps.ctx.clock.now());
  // (`/projects/*` covers `/projects` too: each middleware must run once per request.)
  for (const path of [
    '/projects/*',
    '/departments/:deptId/*',
    '/admin/*',
    '/me/*',
    '/reports/*',
    '/meetings/*',
    '/complaints',
    '/complaints/*',
    '/batches/*',
    '/exports/*',
    '/imports/*',
  ]) {
    app.use(path, authenticated);
  }
  // (`/chains/*` covers `/chains` too: publishing and the preview)
  app.on('POST', '/chains/*', authenticated);
  app.on(['PUT', 'DELETE'], ['/calendar/*', '/sla-policy'], authenticated);
  // A new user's password is in the body of POST /admin/users: it must not be kept, not even as the fast hash the
  // idempotency record holds, so that route takes no Idempotency-Key (a repeat gets 409: the user exists). Nor does
  // POST /admin/backup: its answer (the whole table, gzip'd) is no record to keep, and a repeat is a new snapshot.
  const keyedUnlessPassword = createMiddleware<ApiEnv>(async (c, next) =>
    c.req.path === '/admin/users' || c.req.path.startsWith('/admin/users/') || c.req.path === '/admin/backup'
      ? next()
      : keyed(c, next),
  );
  for (const path of [
    '/projects/*',
    '/chains/*',
    '/admin/*',
    '/me/*',
    '/meetings/*',
    '/batches/*',
    '/complaints/*',
  ])
    app.on('POST', path, keyedUnlessPassword);

  // before the public routes: /chains/schema.json is not a chain id
  app.route('/', chainRoutes(deps));
  app.route('/', publicRoutes(deps));
  app.route('/', authRoutes(deps));
  app.route('/', projectRoutes(deps));
  app.route('/', stepRoutes(deps));
  app.route('/', adminRoutes(deps));
  app.route('/', userRoutes(deps));
  app.route('/', slaRoutes(deps));
  app.route('/', meetingRoutes(deps));
  app.route('/', complaintRoutes(deps));
  app.route('/', batchRoutes(deps));
  app.route('/', progressRoutes(deps));
  app.route('/', workRoutes(deps));
  // before the weekly reports: /reports/weekly/feed.json is not a week
  app.route('/', exportRoutes(deps));
  app.route('/', importRoutes(deps));
  app.route('/', weeklyReportRoutes(deps));
  app.route('/', webRoutes(deps));

  declareCommonAnswers(app.openAPIRegistry.definitions, (_method, path) => {
    const keyedPath = /^\/(projects|chains|admin|me|meetings|batches|complaints)(\/|$)/.test(path);
    return keyedPath && !path.startsWith('/admin/users');
  });
  app.openAPIRegistry.registerComponent('responses', 'MethodNotAllowed', {
    description:
      'any path answers a method it does not serve with 405, an error body naming the allowed methods, and an `Allow` header',
    headers: { Allow: { schema: { type: 'string' }, description: 'the methods the path serves' } },
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
  });
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

  const methodsOf = routeMethods(app);
  app.notFound((c) => {
    const allowed = methodsOf(c.req.path);
    if (allowed.length > 0) {
      c.header('Allow', allowed.join(', '));
      return refuse(
        c,
        'ROUTE.METHOD_NOT_ALLOWED',
        `${c.req.method} is not allowed on ${c.req.path.slice(0, 200)}; allowed: ${allowed.join(', ')}`,
      );
    }
    return refuse(
      c,
      'ROUTE.NOT_FOUND',
      `no route ${c.req.method} ${c.req.path.slice(0, 200)}; see GET /openapi.json`,
    );
  });
  app.onError(
    errorHandler(async (refusal, c) => {
      const principal = c.get('principal') as Principal | undefined;
      if (!principal) return;
      await deps.ctx.store.recordDenial(
        denialOf(deps.ctx, principal, refusal, { method: c.req.method, path: c.req.path }),
      );
    }),
  );
  return app;
}

export type DaibanApp = ReturnType<typeof createApp>;

/** The methods the API's routes answer on a path (for a 405 that names them), from the OpenAPI route table. */
function routeMethods(app: OpenAPIHono<ApiEnv>): (path: string) => string[] {
  const routes = app.openAPIRegistry.definitions.flatMap((d) =>
    d.type === 'route'
      ? [
          {
            method: d.route.method.toUpperCase(),
            pattern: new RegExp(`^${d.route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
          },
        ]
      : [],
  );
  return (path) => [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))].sort();
}
