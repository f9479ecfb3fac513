import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listDenials } from '../../../shared/app/audit.js';
import { realClockControl } from '../../../shared/app/clock-control.js';
import { runScheduledJob } from '../../../shared/app/scheduled-job.js';
import { assertAllowed } from '../../../shared/domain/access-policy.js';
import { ConflictError } from '../../../shared/domain/errors.js';
import { ChinaDateSchema, InstantSchema } from '../../../shared/domain/time.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { bearer, body, errorResponses, failure, json, PageQuery } from '../openapi.js';
import { pageAnswer } from '../paging.js';
import { ClockMovedSchema, DenialListSchema, JobRunSchema } from '../schemas.js';
import { JobProgressSchema, JobStartedSchema, progressLink, runForAdmin, WaitQuery } from './sla-sweeps.js';

/** Where to move a simulated clock: so many days ahead, or to an instant (never back). */
export const MoveClockSchema = z.union([
  z.strictObject({ advanceDays: z.number().positive().max(3660) }),
  z.strictObject({ to: InstantSchema }),
]);

/**
 * Operations an admin may run by hand: the scheduled job (which also runs on its own schedule), and moving a
 * simulated clock forward (local runtime started with `--clock=simulated`).
 */
export function adminRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const runJob = () => (deps.runScheduledJob ? deps.runScheduledJob() : runScheduledJob(deps.ctx));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/admin/jobs',
      security: bearer,
      responses: {
        200: json(
          'what the scheduled job did: outbox entries re-sent, executions renewed, projects audited',
          JobRunSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      assertAllowed(c.get('principal'), 'admin.operate');
      return c.json({ report: await runJob() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/admin/backup',
      security: bearer,
      responses: {
        200: {
          description:
            "a consistent snapshot of the table, read while the runtime's writes wait: gzip'd JSON Lines, a header line then one item a line (`npm run backup` asks for it; `npm run restore` reads it)",
          content: { 'application/gzip': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...errorResponses,
        409: failure(
          'no runtime here to hold its writes (AWS): export from a point-in-time restore instead (docs/deploy-aws.md)',
        ),
      },
    }),
    async (c) => {
      assertAllowed(c.get('principal'), 'admin.operate');
      if (!deps.backup) {
        throw new ConflictError(
          'backup_unavailable',
          'no backup through the API here: export the table from a point-in-time restore with npm run backup -- --endpoint … --table … (docs/deploy-aws.md)',
        );
      }
      const bytes = await deps.backup();
      const stamp = deps.ctx.clock
        .now()
        .toISOString()
        .replaceAll(':', '')
        .replace(/\.\d+Z$/, 'Z');
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': 'application/gzip',
        'Content-Disposition': `attachment; filename="daiban-${stamp}.jsonl.gz"`,
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/admin/clock',
      security: bearer,
      request: { query: WaitQuery, body: body(MoveClockSchema) },
      responses: {
        200: json(
          "with ?wait=true: the simulated clock's new time, and what the scheduled job did at it (deadlines, renewals now due)",
          ClockMovedSchema.extend({ run: JobProgressSchema.optional() }),
        ),
        202: json(
          "the simulated clock's new time; the scheduled job runs at it in the background (what came due: deadlines, renewals), its progress at `progress`",
          JobStartedSchema.extend({ clock: z.enum(['real', 'simulated']), time: z.string() }),
        ),
        ...errorResponses,
        409: failure("the runtime runs on the real clock, or the instant is before the clock's now"),
      },
    }),
    async (c) => {
      assertAllowed(c.get('principal'), 'admin.operate');
      const move = c.req.valid('json');
      const clock = deps.clock ?? realClockControl;
      const target =
        'to' in move
          ? new Date(move.to)
          : new Date(deps.ctx.clock.now().getTime() + move.advanceDays * 86_400_000);
      const time = (await clock.moveTo(target)).toISOString();
      // What came due at the new time (renewals, SLA checkpoints) is worked now, not at the next tick: in the
      // background (a storm of due items takes minutes), or before answering with ?wait=true.
      const outcome = await runForAdmin(deps, c.req.valid('query').wait === 'true', true, {
        trigger: 'clock',
        by: c.get('principal').userId,
      });
      if (outcome.status === 202) {
        const progress = progressLink(outcome.run);
        return c.json({ clock: clock.mode, time, run: outcome.run, progress }, 202, { Location: progress });
      }
      const report = outcome.report ?? (await runJob());
      return c.json({ clock: clock.mode, time, report, ...(outcome.run ? { run: outcome.run } : {}) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/admin/audit',
      security: bearer,
      request: {
        query: PageQuery.extend({
          date: ChinaDateSchema,
        }),
      },
      responses: {
        200: json(
          'the refused attempts of that day, newest first: who tried which action where',
          DenialListSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { date, limit, cursor } = c.req.valid('query');
      const page = await listDenials(deps.ctx, c.get('principal'), date, {
        limit,
        ...(cursor ? { cursor } : {}),
      });
      return c.json(pageAnswer('denials', page), 200);
    },
  );

  return app;
}
