import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { departmentInbox, stageLeadView } from '../../../shared/app/department-views.js';
import { itemView } from '../../../shared/app/item-view.js';
import {
  decideStep,
  reapplyStep,
  resubmitStep,
  submitStep,
  supplyDeferredMaterials,
  verifyCommitment,
} from '../../../shared/app/step-actions.js';
import { VerificationSchema } from '../../../shared/domain/commitment.js';
import {
  DecisionRequestSchema,
  ResubmissionSchema,
  SubmissionSchema,
} from '../../../shared/domain/decision.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { DeferredSupplySchema } from '../../http/request-schemas.js';
import { validationHook } from '../errors.js';
import { bearer, body, errorResponses, json, PageQuery, PartParams, StepParams } from '../openapi.js';
import { InboxSchema, StageViewSchema, StepResultSchema } from '../schemas.js';

export const ReapplicationSchema = z.strictObject({
  note: z.string().trim().max(2000).optional(),
});

export function stepRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const { ctx } = deps;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/steps/{stepId}/submission',
      security: bearer,
      description:
        "Read-your-writes: a step that an earlier answer opened (a registration's first stage, a decision that passed its prerequisites or ended its stage, meeting minutes, a batch's collection) is opened by the engine's task handlers a moment after that answer. A submission arriving meanwhile, on a pending step that opens without anyone acting, waits for it (at most 5 seconds) instead of being refused. Past that bound (the engine is slow or behind, e.g. Step Functions under load) it answers 409 STEP.NOT_READY with details.retry = true: retry in a moment. A step still waiting on prerequisites not passed is refused at once (409 STEP.NOT_READY).",
      request: { params: StepParams, body: body(SubmissionSchema) },
      responses: {
        200: json('the step, now in review (or a milestone reported done)', StepResultSchema),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id, stepId } = c.req.valid('param');
      return c.json(
        { step: itemView(ctx, await submitStep(ctx, c.get('principal'), id, stepId, c.req.valid('json'))) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/steps/{stepId}/decision',
      security: bearer,
      request: { params: StepParams, body: body(DecisionRequestSchema) },
      responses: { 200: json('the decided step', StepResultSchema), ...errorResponses },
    }),
    async (c) => {
      const { id, stepId } = c.req.valid('param');
      return c.json(
        {
          step: itemView(ctx, await decideStep(ctx, c.get('principal'), id, { stepId }, c.req.valid('json'))),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/steps/{stepId}/parts/{partId}/decision',
      security: bearer,
      request: { params: PartParams, body: body(DecisionRequestSchema) },
      responses: {
        200: json('the decided part of a joint review (联合审查)', StepResultSchema),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id, stepId, partId } = c.req.valid('param');
      return c.json(
        {
          step: itemView(
            ctx,
            await decideStep(ctx, c.get('principal'), id, { stepId, partId }, c.req.valid('json')),
          ),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/steps/{stepId}/resubmission',
      security: bearer,
      request: { params: StepParams, body: body(ResubmissionSchema) },
      responses: {
        200: json('the step, back in review with its clock resumed', StepResultSchema),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id, stepId } = c.req.valid('param');
      return c.json(
        { step: itemView(ctx, await resubmitStep(ctx, c.get('principal'), id, stepId, c.req.valid('json'))) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/steps/{stepId}/reapplication',
      security: bearer,
      request: { params: StepParams, body: body(ReapplicationSchema) },
      responses: {
        200: json(
          'the rejected step, re-applied: a new round, ready for its materials; the project active again',
          StepResultSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id, stepId } = c.req.valid('param');
      return c.json(
        {
          step: itemView(
            ctx,
            await reapplyStep(ctx, c.get('principal'), id, stepId, c.req.valid('json').note),
          ),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/steps/{stepId}/deferred-materials',
      security: bearer,
      request: { params: StepParams, body: body(DeferredSupplySchema) },
      responses: {
        200: json(
          'the step with the materials accepted as missing (容缺受理) now supplied; approvable once none is left',
          StepResultSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id, stepId } = c.req.valid('param');
      const { supplied } = c.req.valid('json');
      return c.json(
        { step: itemView(ctx, await supplyDeferredMaterials(ctx, c.get('principal'), id, stepId, supplied)) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/steps/{stepId}/commitment-verification',
      security: bearer,
      request: { params: StepParams, body: body(VerificationSchema) },
      responses: {
        200: json(
          'the step with its commitment verified (告知承诺核查); a failure revokes the approval and returns the project at this step',
          StepResultSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id, stepId } = c.req.valid('param');
      return c.json(
        {
          step: itemView(
            ctx,
            await verifyCommitment(ctx, c.get('principal'), id, stepId, c.req.valid('json')),
          ),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/departments/{deptId}/inbox',
      security: bearer,
      request: {
        params: z.strictObject({
          deptId: z
            .string()
            .min(1)
            .max(16)
            .regex(/^[A-Z][A-Z0-9_]*$/),
        }),
        query: PageQuery,
      },
      responses: {
        200: json(
          'steps and joint-review parts waiting on the department, least time left first',
          InboxSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { deptId } = c.req.valid('param');
      const q = c.req.valid('query');
      return c.json(
        await departmentInbox(ctx, c.get('principal'), deptId, {
          limit: q.limit,
          ...(q.cursor ? { cursor: q.cursor } : {}),
        }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/departments/{deptId}/stage-view',
      security: bearer,
      request: {
        params: z.strictObject({
          deptId: z
            .string()
            .min(1)
            .max(16)
            .regex(/^[A-Z][A-Z0-9_]*$/),
        }),
        query: PageQuery,
      },
      responses: {
        200: json(
          'the projects whose current stage the department leads (牵头部门), each with every step of the stage',
          StageViewSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { deptId } = c.req.valid('param');
      const q = c.req.valid('query');
      return c.json(
        await stageLeadView(ctx, c.get('principal'), deptId, {
          limit: q.limit,
          ...(q.cursor ? { cursor: q.cursor } : {}),
        }),
        200,
      );
    },
  );

  return app;
}
