import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { decideStep } from '../../../shared/app/decide-step.js';
import { departmentInbox } from '../../../shared/app/queries.js';
import { resubmitStep, submitStep } from '../../../shared/app/submit-step.js';
import { DecisionSchema, ResubmissionSchema, SubmissionSchema } from '../../../shared/domain/decision.js';
import type { ApiDeps, ApiEnv } from '../env.js';
import { validationHook } from '../errors.js';
import { bearer, body, errorResponses, json, StepParams } from '../openapi.js';

export function stepRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const { ctx } = deps;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/steps/{stepId}/submission',
      security: bearer,
      request: { params: StepParams, body: body(SubmissionSchema) },
      responses: { 200: json('the step, now in review (or a milestone reported done)'), ...errorResponses },
    }),
    async (c) => {
      const { id, stepId } = c.req.valid('param');
      return c.json(
        { step: await submitStep(ctx, c.get('principal'), id, stepId, c.req.valid('json')) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/steps/{stepId}/decision',
      security: bearer,
      request: { params: StepParams, body: body(DecisionSchema) },
      responses: { 200: json('the decided step'), ...errorResponses },
    }),
    async (c) => {
      const { id, stepId } = c.req.valid('param');
      return c.json(
        { step: await decideStep(ctx, c.get('principal'), id, stepId, c.req.valid('json')) },
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
      responses: { 200: json('the step, back in review with its clock resumed'), ...errorResponses },
    }),
    async (c) => {
      const { id, stepId } = c.req.valid('param');
      return c.json(
        { step: await resubmitStep(ctx, c.get('principal'), id, stepId, c.req.valid('json')) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/departments/{deptId}/inbox',
      security: bearer,
      request: { params: z.strictObject({ deptId: z.string().min(1).max(16) }) },
      responses: { 200: json("steps waiting on the department's decision, oldest first"), ...errorResponses },
    }),
    async (c) => {
      const { deptId } = c.req.valid('param');
      return c.json(
        { departmentId: deptId, steps: await departmentInbox(ctx, c.get('principal'), deptId) },
        200,
      );
    },
  );

  return app;
}
