import { listImportJobs, readImportJob, startImportJob } from '../../../shared/app/import-jobs.js';
import { type ImportReport, importProjects } from '../../../shared/app/project-import.js';
import { assertAllowed } from '../../../shared/domain/access-policy.js';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import type { ImportJob } from '../../../shared/domain/import-job.js';
import { localDateTime } from '../../../shared/domain/local-time.js';
import type { ApiDeps } from '../../http/env.js';
import { kickImportJob } from '../../http/import-kick.js';
import { Layout, Table } from '../layout.js';
import { type RefusalStatus, refusalOf } from '../session.js';
import { render, requireRole, type WebApp, type WebContext } from '../web-env.js';

/**
 * 在办项目导入 (projects in flight imported), for admins: download the template of a chain version, upload the filled
 * file, see the dry run (every problem by row and cell, nothing written), then import: the import runs as a
 * background job (the same as POST /imports), whose progress and problems the page shows (导入任务), with a link to
 * look again.
 */
export function importPages(app: WebApp, deps: ApiDeps): void {
  const { ctx } = deps;

  const importPage = async (c: WebContext, report?: ImportReport, error?: string, status?: RefusalStatus) => {
    const page = c.get('page');
    const { t } = page;
    const principal = requireRole(c, ['admin']);
    assertAllowed(principal, 'admin.operate');
    const chains = await ctx.store.listChains();
    const jobs = (await listImportJobs(ctx, principal, { limit: 10 })).items;
    return render(
      c,
      <Layout ctx={page} title={t('在办项目导入', 'Import projects in flight')} error={error}>
        <section class="card" aria-labelledby="tpl-h">
          <h2 id="tpl-h">{t('1. 下载模板', '1. Download the template')}</h2>
          <p>
            {t(
              '每行一个项目；尚无项目代码的留空（导入时生成）；可填登记日期和项目属性（用地面积等，决定哪些步骤适用）。每个步骤填写状态（未开始、审查中、补正中、听证中、专家评审中、检验检测中、现场勘查中、已办结、不适用）、提交/受理/办结日期（如 2026-03-15）、结果（批准或不予许可）、批文（或不予许可决定书）文号和日期、计时暂停日期和补正材料。',
              'One row per project; no project code yet: leave it empty (one is generated); a registration date and the project attributes (land area…, which decide the steps that apply) may be given. Per step its status (pending, in review, supplement requested, hearing, expert review, testing, site survey, decided, not applicable), submitted/accepted/decided dates (YYYY-MM-DD), outcome (approved or rejected), the document (or the rejection decision) number and date, the date its clock was paused and the materials asked for.',
            )}
          </p>
          <ul>
            {chains.map((chain) => (
              <li>
                <a href={`/imports/template.csv?chainId=${chain.id}&version=${chain.version}`}>
                  {chain.name} {t(`第${chain.version}版`, `version ${chain.version}`)} (CSV)
                </a>{' '}
                <a href={`/imports/template.xlsx?chainId=${chain.id}&version=${chain.version}`}>(XLSX)</a>
              </li>
            ))}
          </ul>
        </section>
        <section class="card" aria-labelledby="up-h">
          <h2 id="up-h">{t('2. 上传并试导入', '2. Upload and dry-run')}</h2>
          <form method="post" action="/app/admin/imports" enctype="multipart/form-data">
            <label for="imp-chain">{t('审批流程', 'Approval chain')}</label>
            <select id="imp-chain" name="chainId">
              {chains.map((chain) => (
                <option value={chain.id} selected={report?.chain.startsWith(`${chain.id}@`)}>
                  {chain.name}
                </option>
              ))}
            </select>
            <label for="imp-file">{t('导入文件（CSV 或 XLSX）', 'Import file (CSV or XLSX)')}</label>
            <input type="file" id="imp-file" name="file" accept=".csv,.xlsx,text/csv" required />
            <label for="imp-grace">
              {t(
                '宽限期（工作日）：在此之前不亮灯督办、不超时默认',
                'Grace (working days): no SLA action on open steps before it ends',
              )}
            </label>
            <input type="number" id="imp-grace" name="graceDays" min="0" max="60" value="5" />
            <button type="submit" name="action" value="dry-run">
              {t('试导入（不写入）', 'Dry run (writes nothing)')}
            </button>{' '}
            <button type="submit" name="action" value="import">
              {t('3. 导入', '3. Import')}
            </button>
          </form>
        </section>
        {report ? <ReportSection report={report} t={t} /> : null}
        <JobsSection jobs={jobs} refresh="/app/admin/imports" t={t} />
      </Layout>,
      status ?? 200,
    );
  };

  app.get('/app/admin/imports', (c) => importPage(c));

  app.post('/app/admin/imports', async (c) => {
    const principal = requireRole(c, ['admin']);
    const { t } = c.get('page');
    try {
      const body = await c.req.parseBody();
      const file = body.file;
      if (!(file instanceof File) || file.size === 0) {
        throw new InvalidInputError('IMPORT.NO_FILE', t('请选择要导入的文件', 'choose the file to import'));
      }
      const graceDays = Number(
        typeof body.graceDays === 'string' && body.graceDays !== '' ? body.graceDays : 5,
      );
      if (!Number.isInteger(graceDays) || graceDays < 0 || graceDays > 60) {
        throw new InvalidInputError(
          'IMPORT.GRACE',
          t('宽限期须为 0 至 60 个工作日', 'the grace is 0 to 60 working days'),
        );
      }
      const request = {
        chainId: typeof body.chainId === 'string' ? body.chainId : 'industrial-enterprise',
        fileName: file.name.slice(0, 200) || 'import.csv',
        ...(/\.xlsx$/i.test(file.name)
          ? { xlsx: new Uint8Array(await file.arrayBuffer()) }
          : { csv: await file.text() }),
        graceDays,
      };
      if (body.action === 'import') {
        // the import runs in the background: its page shows how far it is
        const job = await startImportJob(ctx, principal, request);
        await kickImportJob(deps, job);
        return c.redirect(`/app/admin/imports/${job.jobId}`, 303);
      }
      const report = await importProjects(ctx, principal, request, { dryRun: true });
      return importPage(c, report);
    } catch (error) {
      const refusal = refusalOf(error);
      await c.get('recordRefusal')(error);
      return importPage(c, undefined, refusal.message, refusal.status);
    }
  });

  app.get('/app/admin/imports/:jobId{[A-Za-z0-9_-]{1,64}}', async (c) => {
    const page = c.get('page');
    const { t } = page;
    const principal = requireRole(c, ['admin']);
    const job = await readImportJob(ctx, principal, c.req.param('jobId'));
    return render(
      c,
      <Layout ctx={page} title={t(`导入任务：${job.fileName}`, `Import job: ${job.fileName}`)}>
        <JobsSection jobs={[job]} refresh={`/app/admin/imports/${job.jobId}`} t={t} />
        {job.problems.length > 0 ? <ProblemsTable problems={job.problems} t={t} /> : null}
        {job.problemsOmitted > 0 ? (
          <p class="muted">
            {t(`另有 ${job.problemsOmitted} 处问题未列出`, `${job.problemsOmitted} more problems not listed`)}
          </p>
        ) : null}
        <p>
          <a href="/app/admin/imports">{t('返回在办项目导入', 'Back to imports')}</a>
        </p>
      </Layout>,
    );
  });
}

const STATUS_WORDS: Record<ImportJob['status'], [string, string]> = {
  queued: ['排队中', 'queued'],
  running: ['导入中', 'running'],
  done: ['已完成', 'done'],
  failed: ['失败', 'failed'],
};

/** The import jobs: status, rows done of total, imported, skipped, failed, times (local), and a link to look again. */
function JobsSection(props: { jobs: ImportJob[]; refresh: string; t: (zh: string, en: string) => string }) {
  const { jobs, refresh, t } = props;
  if (jobs.length === 0) return null;
  const running = jobs.some((job) => job.status === 'queued' || job.status === 'running');
  return (
    <section class="card" aria-labelledby="jobs-h">
      <h2 id="jobs-h">{t('导入任务', 'Import jobs')}</h2>
      {running ? (
        <p>
          {t('导入在后台进行，', 'The import runs in the background; ')}
          <a href={refresh}>{t('刷新查看进度', 'refresh to see its progress')}</a>
        </p>
      ) : null}
      <Table
        label={t('导入任务', 'Import jobs')}
        heads={[
          t('文件', 'File'),
          t('状态', 'Status'),
          t('进度', 'Progress'),
          t('已导入', 'Imported'),
          t('此前已导入', 'Skipped'),
          t('有问题', 'Failed'),
          t('开始', 'Started'),
          t('结束', 'Finished'),
        ]}
      >
        {jobs.map((job) => {
          const [zh, en] = STATUS_WORDS[job.status];
          return (
            <tr>
              <td>
                <a href={`/app/admin/imports/${job.jobId}`}>{job.fileName}</a>
                <br />
                <span class="muted">
                  {job.by.name} · {job.chain}
                </span>
              </td>
              <td>
                {t(zh, en)}
                {job.lastError ? (
                  <>
                    <br />
                    <span class="muted">
                      {t(`重试 ${job.retried} 次`, `${job.retried} retries`)}: {job.lastError.slice(0, 200)}
                    </span>
                  </>
                ) : null}
              </td>
              <td>
                <progress value={job.done} max={Math.max(job.total, 1)} />{' '}
                {t(`${job.done} / ${job.total} 行`, `${job.done} / ${job.total} rows`)}
              </td>
              <td>{job.imported}</td>
              <td>{job.skipped}</td>
              <td>{job.failed}</td>
              <td>{job.startedAt ? localDateTime(job.startedAt) : localDateTime(job.createdAt)}</td>
              <td>{job.finishedAt ? localDateTime(job.finishedAt) : '—'}</td>
            </tr>
          );
        })}
      </Table>
    </section>
  );
}

/** The problems an import found, each at its row and cell, in both languages. */
function ProblemsTable(props: { problems: ImportReport['problems']; t: (zh: string, en: string) => string }) {
  const { problems, t } = props;
  return (
    <Table label={t('问题', 'Problems')} heads={[t('行', 'Row'), t('单元格', 'Cell'), t('问题', 'Problem')]}>
      {problems.map((p) => (
        <tr>
          <td>{p.row}</td>
          <td>{p.cell ?? p.column ?? ''}</td>
          <td>
            {p.message}
            <br />
            <span class="muted">{p.messageEn}</span>
          </td>
        </tr>
      ))}
    </Table>
  );
}

function ReportSection(props: { report: ImportReport; t: (zh: string, en: string) => string }) {
  const { report, t } = props;
  const ready = report.results.filter((r) => r.outcome === 'ready').length;
  return (
    <section class="card" aria-labelledby="rep-h">
      <h2 id="rep-h">
        {report.dryRun
          ? t('试导入结果（未写入）', 'Dry run (nothing written)')
          : t('导入结果', 'Import result')}
      </h2>
      <p>
        {report.fileName} · {report.chain} · {t(`${report.rows} 行`, `${report.rows} rows`)} ·{' '}
        {report.dryRun
          ? t(`可导入 ${ready} 个`, `${ready} ready`)
          : t(`已导入 ${report.imported} 个`, `${report.imported} imported`)}{' '}
        · {t(`此前已导入 ${report.alreadyImported} 个`, `${report.alreadyImported} already imported`)} ·{' '}
        {t(`问题 ${report.problems.length} 处`, `${report.problems.length} problems`)}
      </p>
      {report.problems.length > 0 ? <ProblemsTable problems={report.problems} t={t} /> : null}
      {report.results.length > 0 ? (
        <Table
          label={t('项目', 'Projects')}
          heads={[t('行', 'Row'), t('项目代码', 'Project code'), t('阶段', 'Stage'), t('结果', 'Outcome')]}
        >
          {report.results.map((r) => (
            <tr>
              <td>{r.row}</td>
              <td>
                {r.outcome === 'ready' ? (
                  r.projectCode || t('（导入时生成）', '(generated at import)')
                ) : (
                  <a href={`/app/projects/${r.projectId}`}>{r.projectCode}</a>
                )}
              </td>
              <td>
                {r.status === 'completed'
                  ? t('已办结', 'completed')
                  : `${r.stageIndex + 1}${r.status === 'returned' ? t('（退办）', ' (returned)') : ''}`}
              </td>
              <td>
                {r.outcome === 'ready'
                  ? t('可导入', 'ready')
                  : r.outcome === 'imported'
                    ? t('已导入', 'imported')
                    : t('此前已导入', 'already imported')}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </section>
  );
}
