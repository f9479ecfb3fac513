import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  answerMeetingRequest,
  cancelMeeting,
  createMeeting,
  getMeeting,
  listMeetings,
  MeetingInputSchema,
  MinutesInputSchema,
  minuteMeeting,
  recordAttendance,
  rescheduleMeeting,
  respondToMeeting,
} from '../../../shared/app/meetings.js';
import {
  CancellationSchema,
  type Meeting,
  RescheduleSchema,
  ScheduleSchema,
} from '../../../shared/domain/meeting.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { type MoveUseCase, moveRoute } from '../move-route.js';
import { bearer, body, errorResponses, json, PageQuery } from '../openapi.js';
import { pageAnswer, pageRequested } from '../paging.js';
import { MeetingListSchema, MeetingResultSchema, MinutesResultSchema } from '../schemas.js';

const MeetingParams = z.strictObject({
  meetingId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
});

export const RequestAnswerSchema = z.union([
  ScheduleSchema.extend({ accept: z.literal(true) }),
  z.strictObject({ accept: z.literal(false), reason: z.string().trim().min(1).max(1000) }),
]);

export const InvitationAnswerSchema = z.discriminatedUnion(
  'answer',
  [
    z.strictObject({ answer: z.literal('attend') }),
    z.strictObject({
      answer: z.literal('leave'),
      reason: z
        .string({ error: 'give the reason for the leave (reason: 请假事由)' })
        .trim()
        .min(1, 'give the reason for the leave (reason: 请假事由)')
        .max(500),
    }),
  ],
  { error: 'answer is "attend", or "leave" with a reason' },
);

/** Joint review meetings (联审会): convene or request, answer, attendance, minutes. */
export function meetingRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const { ctx } = deps;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/meetings',
      security: bearer,
      request: { body: body(MeetingInputSchema) },
      responses: {
        201: json(
          'the meeting: scheduled (a leader or a stage lead department) or requested (an agent)',
          MeetingResultSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ meeting: await createMeeting(ctx, c.get('principal'), c.req.valid('json')) }, 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/meetings',
      security: bearer,
      request: { query: PageQuery },
      responses: {
        200: json(
          'the meetings the caller may see (a department: those it is invited to), newest first',
          MeetingListSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listMeetings(ctx, c.get('principal'), pageRequested(q));
      return c.json(pageAnswer('meetings', page), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/meetings/{meetingId}',
      security: bearer,
      request: { params: MeetingParams },
      responses: {
        200: json('the meeting: agenda, invitations and answers, attendance, minutes', MeetingResultSchema),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json({ meeting: await getMeeting(ctx, c.get('principal'), c.req.valid('param').meetingId) }, 200),
  );

  /**
   * A move on one meeting (answer a request, respond to an invitation, attendance, reschedule, cancel): the
   * caller, the meeting named by the path and the checked body go to the use case; the answer is the meeting.
   */
  const meetingMove = <S extends z.ZodType>(
    path: string,
    schema: S,
    description: string,
    useCase: MoveUseCase<S, Meeting>,
  ) =>
    moveRoute(
      app,
      {
        method: 'post',
        path: `/meetings/{meetingId}/${path}`,
        params: MeetingParams,
        body: schema,
        description,
        result: MeetingResultSchema,
      },
      async (principal, { meetingId }, input) => ({
        meeting: await useCase(ctx, principal, meetingId, input),
      }),
    );

  meetingMove(
    'answer',
    RequestAnswerSchema,
    'the requested meeting, scheduled or declined',
    answerMeetingRequest,
  );
  meetingMove(
    'responses',
    InvitationAnswerSchema,
    "the meeting with the department's answer (attend, or leave with its reason)",
    respondToMeeting,
  );
  meetingMove(
    'attendance',
    z.strictObject({ present: z.array(z.string().regex(/^[A-Z][A-Z0-9_]{1,15}$/)).max(30) }),
    'the meeting with who came, who was on leave, who was absent without leave',
    (ctx, principal, meetingId, input) => recordAttendance(ctx, principal, meetingId, input.present),
  );
  meetingMove(
    'reschedule',
    RescheduleSchema,
    'the meeting at its new time (and place), the earlier one kept in `reschedules`; everyone invited is told',
    rescheduleMeeting,
  );
  meetingMove(
    'cancellation',
    CancellationSchema,
    'the meeting, cancelled with its reason; everyone invited is told',
    (ctx, principal, meetingId, input) => cancelMeeting(ctx, principal, meetingId, input.reason),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/meetings/{meetingId}/minutes',
      security: bearer,
      request: { params: MeetingParams, body: body(MinutesInputSchema) },
      responses: {
        200: json(
          'the minuted meeting, its decisions applied to the steps, and the minutes (会议纪要) of each project',
          MinutesResultSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        await minuteMeeting(ctx, c.get('principal'), c.req.valid('param').meetingId, c.req.valid('json')),
        200,
      ),
  );

  return app;
}
