import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  acknowledge,
  close,
  fileComplaint,
  getComplaint,
  investigate,
  listComplaints,
} from '../../../shared/app/complaints.js';
import {
  ComplaintClosureSchema,
  ComplaintInputSchema,
  ComplaintNoteSchema,
  complaintAsSeenBy,
} from '../../../shared/domain/complaint.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { bearer, body, errorResponses, json, PageQuery, StepParams } from '../openapi.js';
import { pageAnswer, pageRequested } from '../paging.js';
import { ComplaintListSchema, ComplaintResultSchema } from '../schemas.js';

const ComplaintParams = z.strictObject({
  complaintId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'an id is letters, digits, _ or -'),
});

/** 行政效能投诉: filing on a step, the efficiency office's handling, and the complainant's view of progress. */
export function complaintRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const { ctx } = deps;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/steps/{stepId}/complaints',
      security: bearer,
      request: { params: StepParams, body: body(ComplaintInputSchema) },
      responses: {
        201: json('the complaint, filed and due within the efficiency office’s limit', ComplaintResultSchema),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id, stepId } = c.req.valid('param');
      const principal = c.get('principal');
      const complaint = await fileComplaint(ctx, principal, id, stepId, c.req.valid('json'));
      return c.json({ complaint: complaintAsSeenBy(principal, complaint) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/complaints',
      security: bearer,
      request: {
        query: PageQuery.extend({
          department: z
            .string()
            .min(1)
            .max(16)
            .regex(/^[A-Z][A-Z0-9_]*$/)
            .optional(),
        }),
      },
      responses: {
        200: json(
          'the complaints the caller may see, newest first (the efficiency office and leaders: all; a department: those about it, without the complainant; an investor or agent: their own)',
          ComplaintListSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listComplaints(
        ctx,
        c.get('principal'),
        q.department ? { departmentId: q.department } : {},
        pageRequested(q),
      );
      return c.json(pageAnswer('complaints', page), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/complaints/{complaintId}',
      security: bearer,
      request: { params: ComplaintParams },
      responses: {
        200: json('the complaint with its record of progress', ComplaintResultSchema),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        { complaint: await getComplaint(ctx, c.get('principal'), c.req.valid('param').complaintId) },
        200,
      ),
  );

  const handling = [
    {
      path: '/complaints/{complaintId}/acknowledgement',
      what: 'the complaint, acknowledged (受理)',
      run: acknowledge,
    },
    {
      path: '/complaints/{complaintId}/investigation',
      what: 'the complaint, under investigation (调查核实)',
      run: investigate,
    },
  ] as const;
  for (const route of handling) {
    app.openapi(
      createRoute({
        method: 'post',
        path: route.path,
        security: bearer,
        request: { params: ComplaintParams, body: body(ComplaintNoteSchema) },
        responses: { 200: json(route.what, ComplaintResultSchema), ...errorResponses },
      }),
      async (c) => {
        const principal = c.get('principal');
        const complaint = await route.run(
          ctx,
          principal,
          c.req.valid('param').complaintId,
          c.req.valid('json').note,
        );
        return c.json({ complaint: complaintAsSeenBy(principal, complaint) }, 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/complaints/{complaintId}/closure',
      security: bearer,
      request: { params: ComplaintParams, body: body(ComplaintClosureSchema) },
      responses: {
        200: json(
          'the complaint, closed (办结) with its finding and the action taken',
          ComplaintResultSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const complaint = await close(ctx, principal, c.req.valid('param').complaintId, c.req.valid('json'));
      return c.json({ complaint: complaintAsSeenBy(principal, complaint) }, 200);
    },
  );

  return app;
}
