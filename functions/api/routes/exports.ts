import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { exportApprovals } from '../../../shared/app/open-data.js';
import { weeklyReportFeed } from '../../../shared/app/weekly-report.js';
import { openApprovalsCsv } from '../../../shared/domain/approvals.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { validationHook } from '../errors.js';
import { bearer, errorResponses, PageQuery } from '../openapi.js';
import { WeeklyReportSchema } from '../schemas.js';

/** One approval of the open-data export (a line of the JSON Lines, a row of the CSV). */
export const OpenApprovalRowSchema = z
  .object({
    projectCode: z.string(),
    codeKind: z.enum(['national', 'provisional']),
    projectName: z.string(),
    enterpriseName: z.string(),
    enterpriseCreditCode: z.string(),
    stepId: z.string(),
    partId: z.string().nullable(),
    step: z.string(),
    departmentId: z.string().nullable(),
    department: z.string().nullable(),
    outcome: z.string(),
    documentNumber: z.string().nullable(),
    documentDate: z.string().nullable(),
    decidedDate: z.string().nullable(),
  })
  .openapi('OpenApprovalRow');

/** The weekly figures as a JSON Feed 1.1 (https://jsonfeed.org/version/1.1): one item a week, the report whole. */
export const WeeklyFeedSchema = z.object({
  version: z.literal('https://jsonfeed.org/version/1.1'),
  title: z.string(),
  feed_url: z.string(),
  language: z.string(),
  items: z.array(
    z.object({
      id: z.string(),
      url: z.string(),
      title: z.string(),
      content_text: z.string(),
      date_published: z.string(),
      _daiban_weekly_report: WeeklyReportSchema,
    }),
  ),
});

const PAGE_HEADERS =
  'the next page, when there is one: `X-Next-Cursor` (pass it as `cursor`) and `Link: <…>; rel="next"`';

/** The cursor of the next page in the headers (a JSON Lines or CSV body has no room for it). */
function nextPage(c: Context, path: string, limit: number, cursor: string | undefined): void {
  if (!cursor) return;
  c.header('X-Next-Cursor', cursor);
  c.header('Link', `<${path}?limit=${limit}&cursor=${encodeURIComponent(cursor)}>; rel="next"`);
}

/**
 * Open data (开放数据): every project's approvals by project code as JSON Lines and CSV, for the national investment
 * project platform and the city's statistics office; the weekly figures as a feed. For leaders and admins (the feed:
 * whoever reads the weekly report).
 */
export function exportRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const { ctx } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/exports/approvals.jsonl',
      security: bearer,
      request: { query: PageQuery },
      responses: {
        200: {
          description: `every approval of a page of projects (newest first, \`limit\` projects a page): JSON Lines, one OpenApprovalRow a line, UTF-8; ${PAGE_HEADERS}`,
          content: { 'application/jsonl': { schema: z.string() } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const page = await exportApprovals(ctx, c.get('principal'), { limit, ...(cursor ? { cursor } : {}) });
      nextPage(c, '/exports/approvals.jsonl', limit, page.cursor);
      const body = page.items.map((row) => `${JSON.stringify(OpenApprovalRowSchema.parse(row))}\n`).join('');
      // typed as the string its schema names (the content type's "json" makes Hono expect c.json)
      return c.body(body, 200, { 'Content-Type': 'application/jsonl; charset=utf-8' }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/exports/approvals.csv',
      security: bearer,
      request: { query: PageQuery },
      responses: {
        200: {
          description: `the same rows as CSV: UTF-8 with a byte-order mark, every field quoted, a field a spreadsheet would take for a formula prefixed with an apostrophe; ${PAGE_HEADERS}`,
          content: { 'text/csv': { schema: z.string() } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const page = await exportApprovals(ctx, c.get('principal'), { limit, ...(cursor ? { cursor } : {}) });
      nextPage(c, '/exports/approvals.csv', limit, page.cursor);
      return c.body(openApprovalsCsv(page.items), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="approvals${cursor ? '-next' : ''}.csv"`,
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/reports/weekly/feed.json',
      security: bearer,
      request: { query: z.strictObject({ limit: z.coerce.number().int().min(1).max(104).default(26) }) },
      responses: {
        200: {
          description:
            'the weekly figures as a JSON Feed 1.1, newest week first: each item a week, its whole report under `_daiban_weekly_report`',
          content: { 'application/feed+json': { schema: WeeklyFeedSchema } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const reports = await weeklyReportFeed(ctx, c.get('principal'), c.req.valid('query').limit);
      const feed = WeeklyFeedSchema.parse({
        version: 'https://jsonfeed.org/version/1.1',
        title: '代办 周报 (Daiban weekly figures)',
        feed_url: '/reports/weekly/feed.json',
        language: 'zh-CN',
        items: reports.map((report) => ({
          id: report.week,
          url: `/reports/weekly/${report.week}`,
          title: `周报 ${report.week} (${report.from} – ${report.to})`,
          content_text: `started ${report.projects.started}, advanced ${report.projects.advanced}, completed ${report.projects.completed}; decided ${report.steps.decided}, on time ${report.steps.onTime}, late ${report.steps.late}`,
          date_published: report.generatedAt,
          _daiban_weekly_report: report,
        })),
      });
      return c.json(feed, 200, { 'Content-Type': 'application/feed+json; charset=utf-8' });
    },
  );

  return app;
}
