import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CreateProjectInputSchema, createProject } from '../../../shared/app/create-project.js';
import { assignNationalCode, NationalCodeInputSchema } from '../../../shared/app/national-code.js';
import {
  ReassignAgentInputSchema,
  reassignAgent,
  WithdrawalInputSchema,
  withdrawProject,
} from '../../../shared/app/project-actions.js';
import { listProjects, projectSummary } from '../../../shared/app/project-list.js';
import { listProjectEvents, projectApprovals } from '../../../shared/app/project-records.js';
import { getProjectView } from '../../../shared/app/project-view.js';
import { approvalsCsv } from '../../../shared/domain/approvals.js';
import { CaseKindSchema } from '../../../shared/domain/case-kinds.js';
import type { Project } from '../../../shared/domain/project.js';
import { ProjectStatusSchema } from '../../../shared/domain/step-status.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { type MoveUseCase, moveRoute } from '../move-route.js';
import { bearer, body, errorResponses, failure, json, PageQuery, ProjectIdParams } from '../openapi.js';
import { pageAnswer, pageRequested } from '../paging.js';
import {
  EventListSchema,
  ProjectCreatedSchema,
  ProjectListSchema,
  ProjectResultSchema,
  ProjectViewSchema,
} from '../schemas.js';

export function projectRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const { ctx } = deps;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects',
      security: bearer,
      description:
        "Registers a project and starts its first stage. The first stage's steps without prerequisites are opened by the engine's task handlers a moment after this answer; the answer's `opening` names them, GET /projects/{id} marks them `opening: true` until the handlers have recorded them `ready`, and a submission (or a batch) arriving before that waits for them (see POST /projects/{id}/steps/{stepId}/submission), so a client may submit step 1 at once.",
      request: {
        body: body(CreateProjectInputSchema),
        headers: z.object({ 'idempotency-key': z.string().max(100).optional() }),
      },
      responses: {
        201: json('the project, with its id and project code (项目代码)', ProjectCreatedSchema),
        422: failure('the Idempotency-Key was used for a different request'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const idempotency = c.get('idempotency');
      const { project, opening } = await createProject(
        ctx,
        c.get('principal'),
        c.req.valid('json'),
        idempotency ? { projectId: idempotency.id, requestHash: idempotency.hash } : {},
      );
      if (idempotency && project.requestHash !== idempotency.hash) {
        return c.json(
          {
            error: {
              code: 'IDEMPOTENCY.KEY_REUSED',
              message: 'this Idempotency-Key was already used for a different request; use a new key',
            },
          },
          422,
        );
      }
      return c.json(
        { projectId: project.projectId, code: project.code, project: projectSummary(project), opening },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects',
      security: bearer,
      request: {
        query: PageQuery.extend({
          status: ProjectStatusSchema.optional(),
          agent: z.string().min(1).max(64).optional(),
          department: z.string().min(1).max(16).optional(),
          code: z
            .string()
            .min(1)
            .max(30)
            .optional()
            .describe('a project code (项目代码): the national one, or the provisional one it replaced'),
          kind: CaseKindSchema.optional().describe(
            'only projects with a decided step of this kind of case (五件): instant 即办件, promised 承诺件, joint 联办件, returned 退办件, supplement 补办件; a page may then hold fewer than limit (follow the cursor)',
          ),
        }),
      },
      responses: {
        200: json('a page of the projects the caller may see, newest first', ProjectListSchema),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listProjects(
        ctx,
        c.get('principal'),
        {
          ...(q.status ? { status: q.status } : {}),
          ...(q.agent ? { agentId: q.agent } : {}),
          ...(q.department ? { departmentId: q.department } : {}),
          ...(q.code ? { code: q.code } : {}),
          ...(q.kind ? { caseKind: q.kind } : {}),
        },
        pageRequested(q),
      );
      return c.json(pageAnswer('projects', page), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{id}',
      security: bearer,
      request: { params: ProjectIdParams },
      responses: {
        200: json('the project, its stages and every step with its clock', ProjectViewSchema),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await getProjectView(ctx, c.get('principal'), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{id}/events',
      security: bearer,
      request: { params: ProjectIdParams, query: PageQuery },
      responses: {
        200: json('a page of the timeline: every action, oldest first', EventListSchema),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const page = await listProjectEvents(ctx, c.get('principal'), id, pageRequested(c.req.valid('query')));
      return c.json(pageAnswer('events', page), 200);
    },
  );

  /**
   * A move on one project (a new agent, withdrawal, the national code): the caller, the project named by the path
   * and the checked body go to the use case; the answer is the project's summary.
   */
  const projectMove = <S extends z.ZodType>(
    method: 'put' | 'post',
    path: string,
    schema: S,
    description: string,
    useCase: MoveUseCase<S, Project>,
  ) =>
    moveRoute(
      app,
      {
        method,
        path: `/projects/{id}/${path}`,
        params: ProjectIdParams,
        body: schema,
        description,
        result: ProjectResultSchema,
      },
      async (principal, { id }, input) => ({
        project: projectSummary(await useCase(ctx, principal, id, input)),
      }),
    );

  projectMove('put', 'agent', ReassignAgentInputSchema, 'the project with its new agent', reassignAgent);
  projectMove(
    'post',
    'withdrawal',
    WithdrawalInputSchema,
    'the project, withdrawn: every open step closed as withdrawn, its execution stopped',
    withdrawProject,
  );
  projectMove(
    'put',
    'code',
    NationalCodeInputSchema,
    'the project with the national project code (项目代码) issued at filing; the provisional one still finds it',
    (ctx, principal, projectId, input) => assignNationalCode(ctx, principal, projectId, input.code),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{id}/approvals.csv',
      security: bearer,
      request: { params: ProjectIdParams },
      responses: {
        200: {
          description:
            "the project's approvals (批文/证照) with their documents' numbers and dates: CSV, UTF-8 with a byte-order mark (Excel opens it with its Chinese intact)",
          content: { 'text/csv': { schema: z.string() } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { project, approvals } = await projectApprovals(ctx, c.get('principal'), c.req.valid('param').id);
      return c.body(approvalsCsv(project, approvals), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="approvals-${project.code}.csv"; filename*=UTF-8''${encodeURIComponent(`${project.code}-批文清单.csv`)}`,
      });
    },
  );

  return app;
}
