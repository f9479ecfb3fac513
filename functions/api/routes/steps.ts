import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppContext } from '../../../shared/app/context.js';
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
import type { Principal } from '../../../shared/domain/principal.js';
import type { ProjectStep } from '../../../shared/domain/project.js';
import type { PageRequest } from '../../../shared/store/page.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { DeferredSupplySchema } from '../../http/request-schemas.js';
import { validationHook } from '../errors.js';
import { moveRoute } from '../move-route.js';
import { bearer, errorResponses, json, PageQuery, PartParams, StepParams } from '../openapi.js';
import { pageRequested } from '../paging.js';
import { InboxSchema, StageViewSchema, StepResultSchema } from '../schemas.js';

export const ReapplicationSchema = z.strictObject({
  note: z.string().trim().max(2000).optional(),
});

/** What the document says of a submission: it may wait a moment for a step the engine is about to open. */
const ABOUT_SUBMISSION =
  "Read-your-writes: a step that an earlier answer opened (a registration's first stage, a decision that passed its prerequisites or ended its stage, meeting minutes, a batch's collection) is opened by the engine's task handlers a moment after that answer. A submission arriving meanwhile, on a pending step that opens without anyone acting, waits for it (at most 5 seconds) instead of being refused. Past that bound (the engine is slow or behind, e.g. Step Functions under load) it answers 409 STEP.NOT_READY with details.retry = true: retry in a moment. A step still waiting on prerequisites not passed is refused at once (409 STEP.NOT_READY).";

const DepartmentParams = z.strictObject({
  deptId: z
    .string()
    .min(1)
    .max(16)
    .regex(/^[A-Z][A-Z0-9_]*$/),
});

export function stepRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const { ctx } = deps;

  /**
   * A move on one step (submission, decision, resubmission, reapplication, deferred materials, commitment
   * verification): the caller, the project and step named by the path and the checked body go to the use case; the
   * answer is the step as its viewers see it.
   */
  const stepMove = <S extends z.ZodType>(
    path: string,
    schema: S,
    description: string,
    useCase: (
      ctx: AppContext,
      principal: Principal,
      projectId: string,
      stepId: string,
      input: z.output<S>,
    ) => Promise<ProjectStep>,
    about?: string,
  ) =>
    moveRoute(
      app,
      {
        method: 'post',
        path: `/projects/{id}/steps/{stepId}/${path}`,
        params: StepParams,
        body: schema,
        description,
        result: StepResultSchema,
        ...(about ? { about } : {}),
      },
      async (principal, { id, stepId }, input) => ({
        step: itemView(ctx, await useCase(ctx, principal, id, stepId, input)),
      }),
    );

  stepMove(
    'submission',
    SubmissionSchema,
    'the step, now in review (or a milestone reported done)',
    submitStep,
    ABOUT_SUBMISSION,
  );
  stepMove(
    'decision',
    DecisionRequestSchema,
    'the decided step',
    (ctx, principal, projectId, stepId, input) => decideStep(ctx, principal, projectId, { stepId }, input),
  );
  moveRoute(
    app,
    {
      method: 'post',
      path: '/projects/{id}/steps/{stepId}/parts/{partId}/decision',
      params: PartParams,
      body: DecisionRequestSchema,
      description: 'the decided part of a joint review (联合审查)',
      result: StepResultSchema,
    },
    async (principal, { id, stepId, partId }, input) => ({
      step: itemView(ctx, await decideStep(ctx, principal, id, { stepId, partId }, input)),
    }),
  );
  stepMove(
    'resubmission',
    ResubmissionSchema,
    'the step, back in review with its clock resumed',
    resubmitStep,
  );
  stepMove(
    'reapplication',
    ReapplicationSchema,
    'the rejected step, re-applied: a new round, ready for its materials; the project active again',
    (ctx, principal, projectId, stepId, input) => reapplyStep(ctx, principal, projectId, stepId, input.note),
  );
  stepMove(
    'deferred-materials',
    DeferredSupplySchema,
    'the step with the materials accepted as missing (容缺受理) now supplied; approvable once none is left',
    (ctx, principal, projectId, stepId, input) =>
      supplyDeferredMaterials(ctx, principal, projectId, stepId, input.supplied),
  );
  stepMove(
    'commitment-verification',
    VerificationSchema,
    'the step with its commitment verified (告知承诺核查); a failure revokes the approval and returns the project at this step',
    verifyCommitment,
  );

  /** A department's page of its work (inbox, stage lead view): the caller, the department named by the path, a page. */
  const departmentView = <S extends z.ZodType>(
    path: string,
    schema: S,
    description: string,
    view: (
      ctx: AppContext,
      principal: Principal,
      departmentId: string,
      page: PageRequest,
    ) => Promise<z.input<S>>,
  ) =>
    app.openapi(
      createRoute({
        method: 'get',
        path: `/departments/{deptId}/${path}`,
        security: bearer,
        request: { params: DepartmentParams, query: PageQuery },
        responses: { 200: json(description, schema as z.ZodType), ...errorResponses },
      }),
      async (c) => {
        const { deptId } = c.req.valid('param');
        const q = c.req.valid('query');
        const page = pageRequested(q);
        return c.json(await view(ctx, c.get('principal'), deptId, page), 200);
      },
    );

  departmentView(
    'inbox',
    InboxSchema,
    'steps and joint-review parts waiting on the department, least time left first',
    departmentInbox,
  );
  departmentView(
    'stage-view',
    StageViewSchema,
    'the projects whose current stage the department leads (牵头部门), each with every step of the stage',
    stageLeadView,
  );

  return app;
}
