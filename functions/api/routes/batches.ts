import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  assembleBatch,
  BatchCancellationSchema,
  BatchEditSchema,
  BatchInputSchema,
  CarriedInputSchema,
  CollectionInputSchema,
  cancelBatch,
  carryBatch,
  collectBatch,
  editBatch,
  getBatch,
  listBatches,
} from '../../../shared/app/batches.js';
import type { Batch } from '../../../shared/domain/batch.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { type MoveUseCase, moveRoute } from '../move-route.js';
import { bearer, body, errorResponses, json, PageQuery } from '../openapi.js';
import { pageAnswer, pageRequested } from '../paging.js';
import { BatchListSchema, BatchResultSchema } from '../schemas.js';

const BatchParams = z.strictObject({
  batchId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
});

/** Batches of originals the agent carries up to city and provincial departments (上下协同). */
export function batchRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const { ctx } = deps;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/batches',
      security: bearer,
      request: { body: body(BatchInputSchema) },
      responses: {
        201: json(
          'the batch, assembled: every step ready, held by the same upper-level department',
          BatchResultSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ batch: await assembleBatch(ctx, c.get('principal'), c.req.valid('json')) }, 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/batches',
      security: bearer,
      request: { query: PageQuery },
      responses: {
        200: json(
          "a page of batches, newest first: an agent's own, those going to an officer's department, all for leaders",
          BatchListSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listBatches(ctx, c.get('principal'), pageRequested(q));
      return c.json(pageAnswer('batches', page), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/batches/{batchId}',
      security: bearer,
      request: { params: BatchParams },
      responses: { 200: json('the batch', BatchResultSchema), ...errorResponses },
    }),
    async (c) =>
      c.json({ batch: await getBatch(ctx, c.get('principal'), c.req.valid('param').batchId) }, 200),
  );

  /**
   * A move on one batch (edit, cancel, carry up, collect): the caller, the batch named by the path and the checked
   * body go to the use case; the answer is the batch.
   */
  const batchMove = <S extends z.ZodType>(
    path: string,
    schema: S,
    description: string,
    useCase: MoveUseCase<S, Batch>,
  ) =>
    moveRoute(
      app,
      {
        method: 'post',
        path: `/batches/{batchId}/${path}`,
        params: BatchParams,
        body: schema,
        description,
        result: BatchResultSchema,
      },
      async (principal, { batchId }, input) => ({ batch: await useCase(ctx, principal, batchId, input) }),
    );

  batchMove(
    'edit',
    BatchEditSchema,
    'the batch without the items taken out (kept in `removed` with the reason); only before it is carried up',
    editBatch,
  );
  batchMove(
    'cancellation',
    BatchCancellationSchema,
    'the batch, cancelled with its reason (only before it is carried up): its steps may go in another',
    (ctx, principal, batchId, input) => cancelBatch(ctx, principal, batchId, input.reason),
  );
  batchMove(
    'carried',
    CarriedInputSchema,
    'the batch, carried up: every step submitted, its clock running from carriedAt (one transaction)',
    carryBatch,
  );
  batchMove(
    'collection',
    CollectionInputSchema,
    'the batch, collected: every step decided at collectedAt through the decision path, approvals with their documents (one transaction)',
    collectBatch,
  );

  return app;
}
