import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { realClockControl } from '../../../shared/app/clock-control.js';
import { runScheduledJob } from '../../../shared/app/scheduled-job.js';
import { listRuns, readRun, requestSweep } from '../../../shared/app/sweep-requests.js';
import type { JobRun } from '../../../shared/app/sweep-runs.js';
import { assertAllowed } from '../../../shared/domain/access-policy.js';
import { SWEEP_RUN_STATES, SWEEP_TRIGGERS, type SweepTrigger } from '../../../shared/domain/sweep-run.js';
import { InstantInputSchema } from '../../../shared/domain/time.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { bearer, errorResponses, failure, json, PageQuery } from '../openapi.js';
import { JobReportSchema, SweepRunSchema } from '../schemas.js';

/** A run of the scheduled job as it goes: what it has found due, worked and left, and its report once done. */
export const JobProgressSchema = z
  .object({
    runId: z.string(),
    state: z.enum(SWEEP_RUN_STATES).openapi({
      description:
        'queued (asked for; the job has not taken it yet), running, done, stopped (at its deadline: `remaining` left to the next run, which continues), skipped (another run held the lease), failed, lost (no word from it for two minutes: its process ended without finishing; the next run continues what it left)',
    }),
    trigger: z.enum(SWEEP_TRIGGERS).openapi({ description: 'what started it' }),
    by: z.string().optional().openapi({ description: 'the admin who asked for it' }),
    startedAt: z.string().openapi({ description: 'real time (UTC) the run started (queued: was asked for)' }),
    updatedAt: z
      .string()
      .openapi({ description: "real time of the record's last write (every second or so)" }),
    workedAt: z
      .string()
      .optional()
      .openapi({ description: 'real time the due work was done (before the audit)' }),
    finishedAt: z.string().optional(),
    at: z
      .string()
      .openapi({ description: 'the instant the job works at (the simulated clock, when simulated)' }),
    due: z.number().int().openapi({ description: 'pieces of due work found so far' }),
    done: z.number().int().openapi({ description: 'of those, worked' }),
    sla: z.number().int().openapi({ description: 'SLA actions taken so far' }),
    deemed: z.number().int().openapi({ description: 'of those, deemed approvals (超时默认)' }),
    breached: z.number().int().openapi({ description: 'of those, breaches (red lights)' }),
    escalated: z.number().int().openapi({ description: 'of those, escalations' }),
    held: z.number().int().openapi({ description: 'deadlines held: a year without a published schedule' }),
    failures: z.number().int(),
    remaining: z.number().int().openapi({ description: 'due work left to the next run when it stopped' }),
    perSecond: z.number(),
    note: z.string().optional(),
    lastError: z.string().optional(),
    continues: z
      .string()
      .optional()
      .openapi({ description: 'the run before, stopped with work left, that this one continues' }),
    report: JobReportSchema.optional(),
  })
  .openapi('JobProgress');

/** What a POST that starts a run answers at once: the run, and where to read its progress. */
export const JobStartedSchema = z.object({ run: JobProgressSchema, progress: z.string() });

/** `?wait=true`: answer once the run has finished, with its report (scripts and tests). */
export const WaitQuery = z.object({
  wait: z.enum(['true', 'false']).optional().openapi({
    description:
      'true: answer 200 once the scheduled job has run, with its report (for scripts and tests); otherwise 202 at once, the run going on in the background',
  }),
});

export const progressLink = (run: JobRun): string => `/admin/sla-sweeps/${run.runId}`;

/**
 * Runs the scheduled job for an admin's request: in the background where the runtime has a runner (202 with the
 * run; `wait`: 200 once it is done); on AWS, by starting the job's function for a run recorded as queued (202,
 * `wait` or not: the function may work for minutes); else in the request (200 with its report), or not at all
 * (`inline: false`).
 */
export async function runForAdmin(
  deps: ApiDeps,
  wait: boolean,
  inline: boolean,
  asked: { trigger: SweepTrigger; by: string },
): Promise<
  { status: 202; run: JobRun } | { status: 200; report: z.infer<typeof JobReportSchema> | null; run?: JobRun }
> {
  if (deps.jobs) {
    const { run, done, recorded } = deps.jobs.start(asked);
    // its record is in the table before the answer names it (its progress link answers at once)
    await recorded;
    if (!wait) return { status: 202, run };
    return { status: 200, report: await done, run };
  }
  if (deps.startSweepJob)
    return { status: 202, run: (await requestSweep(deps.ctx, deps.startSweepJob, asked)).run };
  if (deps.runScheduledJob) return { status: 200, report: await deps.runScheduledJob() };
  return { status: 200, report: inline ? await runScheduledJob(deps.ctx, asked) : null };
}

/** The SLA sweep an admin starts by hand (the scheduled job also runs on its own schedule), and its progress. */
export function slaSweepRoutes(deps: ApiDeps) {
  const { ctx } = deps;
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/admin/sla-sweeps',
      security: bearer,
      request: {
        query: WaitQuery,
        body: {
          required: false,
          content: {
            'application/json': {
              schema: z.strictObject({ asOf: InstantInputSchema.optional() }),
            },
          },
        },
      },
      responses: {
        200: json(
          'with ?wait=true, or where the job runs in the request: what the sweep did (lights, breaches, escalations, deemed approvals); null on AWS, where it runs on its schedule',
          SweepRunSchema.extend({ run: JobProgressSchema.optional() }),
        ),
        202: json(
          'the sweep started in the background (or the run going on, joined): its progress at `progress` (GET /admin/sla-sweeps/{runId})',
          JobStartedSchema.extend({ at: z.string() }),
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      assertAllowed(c.get('principal'), 'admin.operate');
      // asOf moves a simulated clock forward first (the real clock refuses it with a 409 that says so)
      const asOf = (await c.req.json().catch(() => ({}))) as { asOf?: string };
      if (asOf.asOf) await (deps.clock ?? realClockControl).moveTo(new Date(asOf.asOf));
      const outcome = await runForAdmin(deps, c.req.valid('query').wait === 'true', false, {
        trigger: 'sla-sweeps',
        by: c.get('principal').userId,
      });
      const at = ctx.clock.now().toISOString();
      if (outcome.status === 202) {
        const progress = progressLink(outcome.run);
        return c.json({ run: outcome.run, progress, at }, 202, { Location: progress });
      }
      return c.json({ report: outcome.report, at, ...(outcome.run ? { run: outcome.run } : {}) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/sla-sweeps',
      security: bearer,
      request: { query: PageQuery },
      responses: {
        200: json(
          'the runs of the scheduled job, newest first (kept 30 days; the schedule records a run once it finds something due)',
          z.object({ runs: z.array(JobProgressSchema), cursor: z.string().optional() }),
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      assertAllowed(c.get('principal'), 'admin.operate');
      const { limit, cursor } = c.req.valid('query');
      const page = await listRuns(ctx, { limit, ...(cursor ? { cursor } : {}) });
      return c.json({ runs: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/sla-sweeps/{runId}',
      security: bearer,
      request: {
        params: z.object({
          runId: z.string().min(1).max(64).openapi({
            description:
              'a run id from a POST that started it, or `current` (the run going on, else the last)',
          }),
        }),
      },
      responses: {
        200: json(
          "the run's progress, with its report once it has finished",
          z.object({ run: JobProgressSchema }),
        ),
        ...errorResponses,
        404: failure('no such run (runs are kept 30 days), or none recorded yet'),
      },
    }),
    async (c) => {
      assertAllowed(c.get('principal'), 'admin.operate');
      return c.json({ run: await readRun(ctx, c.req.valid('param').runId) }, 200);
    },
  );

  return app;
}
