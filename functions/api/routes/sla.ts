import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { calendarView, changeCalendar } from '../../../shared/app/calendar-admin.js';
import { itemView } from '../../../shared/app/item-view.js';
import { markRead, myNotifications } from '../../../shared/app/notifications.js';
import { getProjectDocument, listProjectDocuments } from '../../../shared/app/project-records.js';
import { agentReport, departmentReport, enterpriseCreditReport } from '../../../shared/app/reports.js';
import { changeSlaPolicy } from '../../../shared/app/sla-policy-admin.js';
import { endClockPause, pauseClock } from '../../../shared/app/step-actions.js';
import { YearScheduleSchema } from '../../../shared/domain/calendar-overrides.js';
import { SlaPolicySchema } from '../../../shared/domain/sla-policy.js';
import { ChinaDateSchema, MonthSchema } from '../../../shared/domain/time.js';
import { documentPage } from '../../http/document-page.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { ClockPauseInputSchema } from '../../http/request-schemas.js';
import { validationHook } from '../errors.js';
import {
  bearer,
  body,
  errorResponses,
  json,
  PageQuery,
  PartParams,
  ProjectIdParams,
  StepParams,
} from '../openapi.js';
import { pageAnswer, pageRequested } from '../paging.js';
import {
  AgentReportSchema,
  CalendarViewSchema,
  DepartmentReportSchema,
  DocumentListSchema,
  DocumentResultSchema,
  EnterpriseCreditReportSchema,
  MarkedReadSchema,
  NotificationListSchema,
  RecomputedSchema,
  SlaPolicyResultSchema,
  StepResultSchema,
} from '../schemas.js';
import { slaSweepRoutes } from './sla-sweeps.js';

const PeriodQuery = z.strictObject({
  from: MonthSchema,
  to: MonthSchema,
});

/** 限时办结: the calendar, clock pauses, the SLA policy and sweep, documents, notifications and reports. */
export function slaRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const { ctx } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/calendar',
      responses: {
        400: errorResponses[400],
        200: json(
          'the years with an official working-day schedule, and what an admin added',
          CalendarViewSchema,
        ),
      },
    }),
    async (c) => c.json(await calendarView(ctx), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/calendar/years/{year}',
      security: bearer,
      request: {
        params: z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) }),
        body: body(YearScheduleSchema),
      },
      responses: {
        200: json(
          "the year's schedule is applied; every date derived from the calendar from that year on was computed again",
          RecomputedSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      return c.json(
        await changeCalendar(ctx, c.get('principal'), { year, schedule: c.req.valid('json') }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/calendar/closures/{date}',
      security: bearer,
      request: {
        params: z.strictObject({ date: ChinaDateSchema }),
        body: body(z.strictObject({ reason: z.string().trim().min(1).max(200) })),
      },
      responses: {
        200: json(
          'a local closure (a working day off) is applied; every date it moves was computed again',
          RecomputedSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { date } = c.req.valid('param');
      const { reason } = c.req.valid('json');
      return c.json(await changeCalendar(ctx, c.get('principal'), { closure: date, reason }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/calendar/closures/{date}',
      security: bearer,
      request: { params: z.strictObject({ date: ChinaDateSchema }) },
      responses: {
        200: json('the closure is lifted; every date it moved was computed again', RecomputedSchema),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { date } = c.req.valid('param');
      return c.json(await changeCalendar(ctx, c.get('principal'), { closure: date, reason: null }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/sla-policy',
      responses: {
        400: errorResponses[400],
        200: json(
          'the thresholds of the lights, the escalation ladder, the repeat-offender rules',
          SlaPolicyResultSchema,
        ),
      },
    }),
    async (c) => {
      await ctx.settings.refresh(ctx.store, { force: true });
      return c.json({ policy: ctx.settings.sla }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/sla-policy',
      security: bearer,
      request: { body: body(SlaPolicySchema) },
      responses: { 200: json('the policy, applied at once', SlaPolicyResultSchema), ...errorResponses },
    }),
    async (c) => c.json({ policy: await changeSlaPolicy(ctx, c.get('principal'), c.req.valid('json')) }, 200),
  );

  for (const part of [false, true]) {
    const base = part ? '/projects/{id}/steps/{stepId}/parts/{partId}' : '/projects/{id}/steps/{stepId}';
    const params = part ? PartParams : StepParams;
    app.openapi(
      createRoute({
        method: 'post',
        path: `${base}/clock-pauses`,
        security: bearer,
        request: { params, body: body(ClockPauseInputSchema) },
        responses: {
          200: json(
            'the step, its clock standing still for a hearing, expert review, testing or site survey',
            StepResultSchema,
          ),
          ...errorResponses,
        },
      }),
      async (c) => {
        const p = c.req.valid('param') as { id: string; stepId: string; partId?: string };
        const target = { stepId: p.stepId, ...(p.partId ? { partId: p.partId } : {}) };
        return c.json(
          {
            step: itemView(ctx, await pauseClock(ctx, c.get('principal'), p.id, target, c.req.valid('json'))),
          },
          200,
        );
      },
    );
    app.openapi(
      createRoute({
        method: 'post',
        path: `${base}/clock-pauses/current/end`,
        security: bearer,
        request: { params },
        responses: {
          200: json('the step, its clock running again with the due date moved on', StepResultSchema),
          ...errorResponses,
        },
      }),
      async (c) => {
        const p = c.req.valid('param') as { id: string; stepId: string; partId?: string };
        const target = { stepId: p.stepId, ...(p.partId ? { partId: p.partId } : {}) };
        return c.json(
          { step: itemView(ctx, await endClockPause(ctx, c.get('principal'), p.id, target)) },
          200,
        );
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{id}/documents',
      security: bearer,
      request: { params: ProjectIdParams },
      responses: {
        200: json("the project's documents (超时默认通知单, minutes…)", DocumentListSchema),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        { documents: await listProjectDocuments(ctx, c.get('principal'), c.req.valid('param').id) },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/projects/{id}/documents/{docId}',
      security: bearer,
      request: {
        params: ProjectIdParams.extend({
          docId: z
            .string()
            .min(1)
            .max(64)
            .regex(/^[A-Za-z0-9_-]+$/),
        }),
        query: z.strictObject({ format: z.enum(['json', 'html']).default('json') }),
      },
      responses: {
        200: {
          description: 'the document, as JSON or as a page that prints on A4 (format=html)',
          content: {
            'application/json': { schema: DocumentResultSchema },
            'text/html': { schema: z.string() },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id, docId } = c.req.valid('param');
      const { document } = await getProjectDocument(ctx, c.get('principal'), id, docId);
      if (c.req.valid('query').format === 'html') return c.html(documentPage(document), 200);
      return c.json({ document }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/notifications',
      security: bearer,
      request: { query: PageQuery },
      responses: {
        200: json("the caller's notifications, newest first", NotificationListSchema),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await myNotifications(ctx, c.get('principal'), pageRequested(q));
      return c.json(pageAnswer('notifications', page), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/me/notifications/{notificationId}/read',
      security: bearer,
      request: {
        params: z.strictObject({
          notificationId: z
            .string()
            .min(1)
            .max(64)
            .regex(/^[A-Za-z0-9_-]+$/),
        }),
      },
      responses: { 200: json('marked read', MarkedReadSchema), ...errorResponses },
    }),
    async (c) => {
      await markRead(ctx, c.get('principal'), c.req.valid('param').notificationId);
      return c.json({ read: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/reports/departments',
      security: bearer,
      request: { query: PeriodQuery },
      responses: {
        200: json(
          'departments ranked over the period, with the speed-up versus the legal limits',
          DepartmentReportSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await departmentReport(ctx, c.get('principal'), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/reports/agents',
      security: bearer,
      request: { query: PeriodQuery },
      responses: {
        200: json(
          "agents over the period: their projects' steps, submissions, supplements",
          AgentReportSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await agentReport(ctx, c.get('principal'), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/reports/enterprises',
      security: bearer,
      request: { query: PeriodQuery },
      responses: {
        200: json(
          "enterprises' credit records over the period: approvals on commitment, verifications failed, 容缺 deadlines missed",
          EnterpriseCreditReportSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await enterpriseCreditReport(ctx, c.get('principal'), c.req.valid('query')), 200),
  );

  // POST /admin/sla-sweeps and the progress of its runs
  app.route('/', slaSweepRoutes(deps));

  return app;
}
