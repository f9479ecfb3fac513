import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { realClockControl } from '../../../shared/app/clock-control.js';
import { runScheduledJob } from '../../../shared/app/scheduled-job.js';
import type { JobRun } from '../../../shared/app/sweep-runs.js';
import { assertAllowed } from '../../../shared/domain/access-policy.js';
import { NotFoundError } from '../../../shared/domain/errors.js';
import { InstantInputSchema } from '../../../shared/domain/time.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { bearer, errorResponses, failure, json } from '../openapi.js';
import { JobReportSchema, SweepRunSchema } from '../schemas.js';

/** A run of the scheduled job as it goes: what it has found due, worked and left, and its report once done. */
export const JobProgressSchema = z
  .object({
    runId: z.string(),
    state: z.enum(['running', 'done', 'stopped', 'skipped', 'failed']),
    startedAt: z.string().openapi({ description: 'real time (UTC) the run started' }),
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
    failures: z.number().int(),
    sla: z.number().int().openapi({ description: 'SLA actions taken so far' }),
    remaining: z.number().int().openapi({ description: 'due work left to the next run when it stopped' }),
    perSecond: z.number(),
    note: z.string().optional(),
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
 * run; `wait`: 200 once it is done), else in the request (200 with its report), or not at all (`inline: false`:
 * AWS, where the job runs on its schedule).
 */
export async function runForAdmin(
  deps: ApiDeps,
  wait: boolean,
  inline: boolean,
): Promise<
  { status: 202; run: JobRun } | { status: 200; report: z.infer<typeof JobReportSchema> | null; run?: JobRun }
> {
  if (deps.jobs) {
    const { run, done } = deps.jobs.start();
    if (!wait) return { status: 202, run };
    return { status: 200, report: await done, run };
  }
  if (deps.runScheduledJob) return { status: 200, report: await deps.runScheduledJob() };
  return { status: 200, report: inline ? await runScheduledJob(deps.ctx) : null };
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
      const outcome = await runForAdmin(deps, c.req.valid('query').wait === 'true', false);
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
        404: failure(
          'no such run in this runtime (it keeps the last 20; on AWS the job runs on its own schedule)',
        ),
      },
    }),
    (c) => {
      assertAllowed(c.get('principal'), 'admin.operate');
      const { runId } = c.req.valid('param');
      const run = runId === 'current' ? deps.jobs?.current() : deps.jobs?.get(runId);
      if (!run) {
        throw new NotFoundError(
          'SWEEP.NO_RUN',
          runId === 'current'
            ? 'no run of the scheduled job in this runtime yet: start one with POST /admin/sla-sweeps (on AWS it runs every minute on its schedule; see its logs and metrics)'
            : `no run ${runId} in this runtime: it keeps the last 20 runs; GET /admin/sla-sweeps/current shows the latest`,
        );
      }
      return c.json({ run }, 200);
    },
  );

  return app;
}
