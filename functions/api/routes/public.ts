import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { chainPath } from '../../../shared/app/project-view.js';
import { publishChain } from '../../../shared/app/publish-chain.js';
import { chainKey } from '../../../shared/domain/chain.js';
import { NotFoundError } from '../../../shared/domain/errors.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { bearer, errorResponses, json } from '../openapi.js';
import {
  ChainDetailSchema,
  ChainListSchema,
  ChainPublishedSchema,
  DepartmentListSchema,
  HealthSchema,
} from '../schemas.js';
import { ChainBodySchema } from './chains.js';

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref?.()),
  ]);

/** Public routes: the six things public (六公开) need no sign-in. */
export function publicRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const { store } = deps.ctx;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      responses: {
        400: errorResponses[400],
        200: json(
          'the database and the engine answer; which clock the runtime runs on (real or simulated) and its time',
          HealthSchema,
        ),
        503: json('the database or the engine does not answer (the body says which)', HealthSchema),
      },
    }),
    async (c) => {
      const database = await withTimeout(store.ping(), 2000).then(
        () => 'ok' as const,
        () => 'down' as const,
      );
      const engine = (deps.engineHealthy?.() ?? true) ? ('ok' as const) : ('down' as const);
      const ok = database === 'ok' && engine === 'ok';
      if (!ok) c.header('Retry-After', '5');
      return c.json(
        {
          status: ok ? ('ok' as const) : ('unavailable' as const),
          database,
          engine,
          clock: deps.clock?.mode ?? 'real',
          time: deps.ctx.clock.now().toISOString(),
        },
        ok ? 200 : 503,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/departments',
      responses: { 400: errorResponses[400], 200: json('all departments', DepartmentListSchema) },
    }),
    // a department's robot webhook carries its key: it is not public
    async (c) =>
      c.json(
        {
          departments: (await store.listDepartments()).map(({ webhookUrl: _w, ...department }) => department),
        },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/chains',
      responses: {
        400: errorResponses[400],
        200: json('approval chains (latest versions)', ChainListSchema),
      },
    }),
    async (c) => {
      const chains = await store.listChains();
      return c.json(
        {
          chains: chains.map((chain) => ({
            chainId: chain.id,
            version: chain.version,
            name: chain.name,
            nameEn: chain.nameEn,
            targetWorkingDays: chain.targetWorkingDays,
            stages: chain.stages.length,
            steps: chain.stages.reduce((n, s) => n + s.steps.length, 0),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/chains/{chainId}',
      request: {
        params: z.strictObject({
          chainId: z
            .string()
            .min(1)
            .max(60)
            .regex(/^[a-z0-9-]+$/),
        }),
        query: z.strictObject({ version: z.coerce.number().int().min(1).max(1_000_000).optional() }),
      },
      responses: {
        400: errorResponses[400],
        200: json(
          'a chain (its latest version, or ?version=) with every step and its six public items (六公开)',
          ChainDetailSchema,
        ),
        404: errorResponses[404],
      },
    }),
    async (c) => {
      const { chainId } = c.req.valid('param');
      const { version } = c.req.valid('query');
      const chain = await store.getChain(chainId, version);
      if (!chain) {
        throw new NotFoundError(
          'CHAIN.NOT_FOUND',
          version ? `chain '${chainId}' has no version ${version}` : `unknown chain '${chainId}'`,
        );
      }
      const departments = new Map((await store.listDepartments()).map((d) => [d.id, d]));
      return c.json(
        {
          chainId: chain.id,
          version: chain.version,
          name: chain.name,
          nameEn: chain.nameEn,
          description: chain.description,
          targetWorkingDays: chain.targetWorkingDays,
          // the critical path by promised limits, against every approval in series and against the legal limits
          criticalPath: chainPath(chain),
          attributes: chain.attributes,
          stages: chain.stages.map((stage) => ({
            stageId: stage.id,
            name: stage.name,
            nameEn: stage.nameEn,
            leadDepartmentId: stage.leadDepartmentId,
            steps: stage.steps.map((step) => ({
              stepId: step.id,
              name: step.name,
              nameEn: step.nameEn,
              kind: step.kind,
              departmentId: step.departmentId,
              departmentName: step.departmentId ? (departments.get(step.departmentId)?.name ?? null) : null,
              // a joint review (联合审查): each department's part, with its own limits
              parts: (step.parts ?? []).map((part) => ({
                partId: part.id,
                name: part.name,
                nameEn: part.nameEn,
                departmentId: part.departmentId,
                departmentName: departments.get(part.departmentId)?.name ?? null,
                promisedDays: part.promisedDays,
                legalDays: part.legalDays,
                applicability: part.applicability ?? null,
              })),
              level: step.departmentId ? (departments.get(step.departmentId)?.level ?? null) : null,
              prerequisites: step.prerequisites,
              applicability: step.applicability ?? null,
              policy: step.policy,
              legalDays: step.legalDays,
              // 六公开: service content, procedure, materials, promised limit, fee basis, fee standard
              public: {
                serviceContent: step.serviceContent,
                procedure: step.procedure,
                materials: step.materials,
                promisedDays: step.promisedDays,
                feeBasis: step.fee.basis,
                feeStandard: step.fee.standard,
              },
            })),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/chains',
      security: bearer,
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: ChainBodySchema } },
        },
      },
      responses: {
        201: json('the chain version, validated and published with its state machine', ChainPublishedSchema),
        ...errorResponses,
      },
    }),
    async (c) => {
      const chain = await publishChain(deps.ctx, c.get('principal'), c.req.valid('json'));
      return c.json({ chainId: chain.id, version: chain.version, key: chainKey(chain) }, 201);
    },
  );

  return app;
}
