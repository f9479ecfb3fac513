import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listImportJobs, readImportJob, startImportJob } from '../../../shared/app/import-jobs.js';
import { runImportJob } from '../../../shared/app/import-worker.js';
import { importProjects, importTemplateChain } from '../../../shared/app/project-import.js';
import { xlsxOfRows } from '../../../shared/app/project-import-xlsx.js';
import {
  IMPORT_JOB_STATUSES,
  type ImportJob,
  ImportProblemSchema,
} from '../../../shared/domain/import-job.js';
import { importTemplateCsv, importTemplateRows } from '../../../shared/domain/project-import-csv.js';
import type { ApiDeps, ApiEnv } from '../../http/env.js';
import { kickImportJob } from '../../http/import-kick.js';
import { validationHook } from '../errors.js';
import { bearer, errorResponses, json, PageQuery } from '../openapi.js';
import { pageAnswer, pageRequested } from '../paging.js';

const ChainIdSchema = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9-]+$/, 'a chain id is lower-case letters, digits and -');

export const ImportRequestSchema = z
  .strictObject({
    chainId: ChainIdSchema,
    /** the chain version the file was filled in for (absent: the latest) */
    chainVersion: z.number().int().min(1).max(1_000_000).optional(),
    /** the uploaded file's name: recorded with each imported project's history */
    fileName: z.string().trim().min(1).max(200),
    /** the file's text: the template (GET /imports/template.csv) filled in, one row per project */
    csv: z.string().min(1).max(5_000_000).optional(),
    /** or the .xlsx template (GET /imports/template.xlsx) filled in, base64-encoded */
    xlsxBase64: z.string().min(1).max(5_000_000).base64().optional(),
    /** working days after the import before the SLA sweep looks at an open step (default 5) */
    graceDays: z.number().int().min(0).max(60).optional(),
  })
  .refine(
    (r) => (r.csv === undefined) !== (r.xlsxBase64 === undefined),
    'give the file as csv or as xlsxBase64 (one of them)',
  )
  .openapi('ImportRequest');

/** The use case's request: an .xlsx decoded. */
const fileOf = ({ xlsxBase64, ...rest }: z.infer<typeof ImportRequestSchema>) => ({
  ...rest,
  ...(xlsxBase64 ? { xlsx: new Uint8Array(Buffer.from(xlsxBase64, 'base64')) } : {}),
});

// a problem of a row, by its cell (as an import job records it)
const ProblemSchema = ImportProblemSchema;

export const ImportReportSchema = z
  .object({
    chain: z.string(),
    fileName: z.string(),
    dryRun: z.boolean(),
    rows: z.number().int(),
    problems: z.array(ProblemSchema),
    results: z.array(
      z.object({
        row: z.number().int(),
        projectCode: z.string(),
        projectId: z.string(),
        outcome: z.enum(['ready', 'imported', 'already_imported']),
        stageIndex: z.number().int(),
        status: z.string(),
      }),
    ),
    imported: z.number().int(),
    alreadyImported: z.number().int(),
    holdUntil: z.string(),
  })
  .openapi('ImportReport');

export const ImportJobSchema = z
  .object({
    jobId: z.string(),
    /** who posted the file */
    by: z.object({ userId: z.string(), name: z.string() }),
    fileName: z.string(),
    chain: z.string(),
    status: z.enum(IMPORT_JOB_STATUSES),
    /** rows with data in the file */
    total: z.number().int(),
    /** rows handled so far: imported, skipped (imported before: nothing changed) or failed (see problems) */
    done: z.number().int(),
    imported: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
    problems: z.array(ProblemSchema),
    /** problems past the first 300, counted only */
    problemsOmitted: z.number().int(),
    chunks: z.number().int(),
    nextChunk: z.number().int(),
    /** runs of a worker so far (a run stops before its deadline; the next goes on) */
    runs: z.number().int(),
    /** chunk tries that failed (throttling, the table unreachable) and were tried again */
    retried: z.number().int(),
    lastError: z.string().optional(),
    holdUntil: z.string(),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    /** where its progress is read */
    progress: z.string(),
  })
  .openapi('ImportJob');

/** A job as the API shows it (without the worker's lease and bookkeeping). */
const jobView = (job: ImportJob): z.infer<typeof ImportJobSchema> => ({
  jobId: job.jobId,
  by: { userId: job.by.userId, name: job.by.name },
  fileName: job.fileName,
  chain: job.chain,
  status: job.status,
  total: job.total,
  done: job.done,
  imported: job.imported,
  skipped: job.skipped,
  failed: job.failed,
  problems: job.problems,
  problemsOmitted: job.problemsOmitted,
  chunks: job.chunks,
  nextChunk: job.nextChunk,
  runs: job.runs,
  retried: job.retried,
  ...(job.lastError ? { lastError: job.lastError } : {}),
  holdUntil: job.holdUntil,
  createdAt: job.createdAt,
  ...(job.startedAt ? { startedAt: job.startedAt } : {}),
  ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
  progress: `/imports/${job.jobId}`,
});

const JobParams = z.strictObject({
  jobId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'an id is letters, digits, _ or -'),
});

const WaitQuery = z.strictObject({
  wait: z.enum(['true', 'false']).optional(),
});

/** Which chain version's import template to give (both the CSV and the workbook): the latest unless a version is named. */
const TemplateQuery = z.strictObject({
  chainId: ChainIdSchema.default('industrial-enterprise'),
  version: z.coerce.number().int().min(1).max(1_000_000).optional(),
});

const DryRunQuery = z.strictObject({
  dryRun: z.enum(['true', 'false']).optional(),
});

/**
 * Projects in flight imported (在办项目导入), for admins: the template of a chain version, a dry run that names every
 * problem by row and cell and writes nothing, and the import.
 */
export function importRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const { ctx } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/imports/template.csv',
      security: bearer,
      request: { query: TemplateQuery },
      responses: {
        200: {
          description:
            "the import template of a chain version: UTF-8 CSV with a byte-order mark, one row per project; each header cell is a Chinese label and its machine key in brackets (`项目代码 [project_code]`, `16 …·受理日期 [step.16.accepted]`); the project code may be left empty (one is generated at import), a registration date (`registered_on`) and the chain's attributes (`attr.siteAreaM2`…, which the applicability rules read) may be given; per step: status (未开始/审查中/补正中/听证中/专家评审中/检验检测中/现场勘查中/已办结/不适用), submitted, accepted and decided dates (YYYY-MM-DD), outcome (批准/不予许可), document number and date (the approval, or the rejection decision), the date its clock was paused and the materials asked for (docs/import.md)",
          content: { 'text/csv': { schema: z.string() } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { chainId, version } = c.req.valid('query');
      const chain = await importTemplateChain(ctx, c.get('principal'), chainId, version);
      return c.body(importTemplateCsv(chain), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="import-${chain.id}-v${chain.version}.csv"`,
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/imports/template.xlsx',
      security: bearer,
      request: { query: TemplateQuery },
      responses: {
        200: {
          description:
            'the same template as an .xlsx workbook (one sheet, every cell text, so codes and dates stay as typed)',
          content: {
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: z.string().openapi({ format: 'binary' }),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { chainId, version } = c.req.valid('query');
      const chain = await importTemplateChain(ctx, c.get('principal'), chainId, version);
      return c.body(xlsxOfRows(importTemplateRows(chain), '在办项目导入'), 200, {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="import-${chain.id}-v${chain.version}.xlsx"`,
      }) as never;
    },
  );

  const report = (dryRun: boolean) =>
    json(
      dryRun
        ? 'the dry run: every problem by row and cell (Chinese and English), the rows ready to import; nothing written'
        : 'the import: rows imported (one transaction each), rows already imported before (a re-import changes nothing), rows left out for their problems',
      ImportReportSchema,
    );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/imports/projects',
      security: bearer,
      request: {
        query: DryRunQuery,
        body: { required: true, content: { 'application/json': { schema: ImportRequestSchema } } },
      },
      responses: { 200: report(false), ...errorResponses },
    }),
    async (c) => {
      const dryRun = c.req.valid('query').dryRun === 'true';
      const result = await importProjects(ctx, c.get('principal'), fileOf(c.req.valid('json')), { dryRun });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/imports/projects/dry-run',
      security: bearer,
      request: { body: { required: true, content: { 'application/json': { schema: ImportRequestSchema } } } },
      responses: { 200: report(true), ...errorResponses },
    }),
    async (c) => {
      const result = await importProjects(ctx, c.get('principal'), fileOf(c.req.valid('json')), {
        dryRun: true,
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/imports',
      security: bearer,
      request: {
        query: WaitQuery,
        body: { required: true, content: { 'application/json': { schema: ImportRequestSchema } } },
      },
      responses: {
        200: json(
          '`?wait=true`: the job run to its end in the request (for small files and scripts; on AWS the API answers within 29 s or not at all)',
          ImportJobSchema,
        ),
        202: json(
          'the import job, queued: the file is read and planned (rows the rules refuse are its problems already), its rows stored; a worker imports them in the background, chunk after chunk (each row one transaction; a re-import changes nothing). Its progress at `progress` (also the Location header)',
          ImportJobSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const wait = c.req.valid('query').wait === 'true';
      const job = await startImportJob(ctx, c.get('principal'), fileOf(c.req.valid('json')));
      if (wait) {
        let run = await runImportJob(ctx, job.jobId);
        while (run.outcome === 'stopped') run = await runImportJob(ctx, job.jobId);
        return c.json(jobView(await readImportJob(ctx, c.get('principal'), job.jobId)), 200);
      }
      await kickImportJob(deps, job);
      const view = jobView(job);
      return c.json(view, 202, { Location: view.progress });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/imports',
      security: bearer,
      request: { query: PageQuery },
      responses: {
        200: json(
          'the import jobs, newest first',
          z.object({ items: z.array(ImportJobSchema), cursor: z.string().optional() }),
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const page = await listImportJobs(ctx, c.get('principal'), pageRequested(c.req.valid('query')));
      return c.json(pageAnswer('items', { ...page, items: page.items.map(jobView) }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/imports/{jobId}',
      security: bearer,
      // an empty query declared: `/imports/template.csv?chainId=…` matches this path too, and must keep its query
      request: { params: JobParams, query: z.strictObject({}) },
      responses: {
        200: json(
          'an import job: its status (queued, running, done, failed), rows done of total, imported, skipped, failed and their problems',
          ImportJobSchema,
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const job = await readImportJob(ctx, c.get('principal'), c.req.valid('param').jobId);
      return c.json(jobView(job), 200);
    },
  );

  return app;
}
