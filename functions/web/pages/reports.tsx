import { departmentReport } from '../../../shared/app/reports.js';
import {
  generateWeeklyReport,
  getWeeklyReport,
  listWeeklyReports,
} from '../../../shared/app/weekly-report.js';
import { chinaDate } from '../../../shared/domain/working-days.js';
import type { ApiDeps } from '../../http/env.js';
import { weekText } from '../../http/labels.js';
import { weeklyReportCsv } from '../../http/weekly-report-csv.js';
import { WeeklyReportDocument } from '../../http/weekly-report-document.js';
import { TrendChart } from '../charts/trend.js';
import { Layout, Scroll, Table } from '../layout.js';
import { type RefusalStatus, takeFlash } from '../session.js';
import { formAction, me, render, requireRole, type WebApp, type WebContext } from '../web-env.js';

/** The weekly reports: the list with the trend, each report as a page that prints on A4, CSV and JSON. */
export function reportPages(app: WebApp, deps: ApiDeps): void {
  const { ctx } = deps;

  const listPage = async (c: WebContext, error?: string, status?: RefusalStatus) => {
    const page = c.get('page');
    const { t } = page;
    const principal = requireRole(c, ['leader', 'efficiency', 'admin']);
    const reports = await listWeeklyReports(ctx, principal);
    return render(
      c,
      <Layout ctx={page} title={t('周报', 'Weekly reports')} flash={takeFlash(c)} error={error}>
        <p>
          <a href="/app/reports/complaints">
            {t(
              '各部门效能投诉统计（属实率、按时办结率）',
              'Efficiency complaints by department (upheld, closed on time)',
            )}
          </a>
        </p>
        <section class="card" aria-labelledby="trend-h">
          <h2 id="trend-h">{t('趋势', 'Trend')}</h2>
          <Scroll label={t('趋势图', 'Trend chart')}>
            <figure>
              <TrendChart
                t={t}
                titleId="trend-title"
                weeks={reports.map((r) => ({
                  week: r.week,
                  onTime: r.steps.onTime,
                  late: r.steps.late,
                  deemedApprovals: r.deemedApprovals,
                }))}
              />
            </figure>
          </Scroll>
        </section>
        <Table
          label={t('周报列表', 'Weekly reports')}
          heads={[
            t('周', 'Week'),
            t('日期', 'Dates'),
            t('新开工/推进/办结项目', 'Started / advanced / completed'),
            t('办结事项（按时率）', 'Decisions (on time)'),
            t('超时默认', 'Deemed approvals'),
            t('下载', 'Download'),
          ]}
        >
          {reports.map((r) => (
            <tr>
              <td>
                <a href={`/app/reports/weekly/${r.week}`}>{weekText(t, r.week)}</a>
              </td>
              <td>
                {r.from} – {r.to}
              </td>
              <td>
                {r.projects.started} / {r.projects.advanced} / {r.projects.completed}
              </td>
              <td>
                {r.steps.decided}（{r.steps.onTimeRate ?? '—'}%）
              </td>
              <td>{r.deemedApprovals}</td>
              <td>
                <a href={`/reports/weekly/${r.week}?format=csv`}>CSV</a> ·{' '}
                <a href={`/reports/weekly/${r.week}`}>JSON</a>
              </td>
            </tr>
          ))}
        </Table>
        {principal.role === 'admin' ? (
          <form method="post" action="/app/reports/weekly">
            <label for="week">
              {t(
                '生成某一周的周报（格式如 2026-W47；留空：上一周）',
                'Generate a week’s report (empty: last week)',
              )}
            </label>
            <input type="text" id="week" name="week" placeholder="2026-W47" />
            <button type="submit">{t('生成', 'Generate')}</button>
          </form>
        ) : null}
      </Layout>,
      status ?? 200,
    );
  };

  app.get('/app/reports/weekly', (c) => listPage(c));

  formAction(
    app,
    '/app/reports/weekly',
    ['admin'],
    async ({ principal, form, t }) => {
      const generated = await generateWeeklyReport(ctx, principal, form.get('week') || undefined);
      if ('generating' in generated) {
        const { week, read } = generated.generating;
        return {
          message: t(
            `${weekText(t, week)} 周报正在后台生成（已读取 ${read} 个项目），几分钟内完成`,
            `The report of ${week} is being generated in the background (${read} projects read); it will be ready within minutes`,
          ),
          to: '/app/reports/weekly',
        };
      }
      const { report } = generated;
      return {
        message: t(`已生成 ${weekText(t, report.week)} 周报`, `Report of ${report.week} generated`),
        to: `/app/reports/weekly/${report.week}`,
      };
    },
    (c, _form, error, status) => listPage(c, error, status),
  );

  app.get('/app/reports/weekly/:week/csv', async (c) => {
    const report = await getWeeklyReport(ctx, me(c), c.req.param('week').slice(0, 10));
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="weekly-report-${report.week}.csv"`);
    return c.body(weeklyReportCsv(report));
  });

  app.get('/app/reports/weekly/:week/json', async (c) =>
    c.json({ report: await getWeeklyReport(ctx, me(c), c.req.param('week').slice(0, 10)) }),
  );

  // 效能投诉 by department over a period: filed, closed, upheld (投诉属实率) and closed on time (按时办结率).
  app.get('/app/reports/complaints', async (c) => {
    const page = c.get('page');
    const { t } = page;
    const principal = requireRole(c, ['efficiency', 'leader', 'admin']);
    const month = chinaDate(ctx.clock.now()).slice(0, 7);
    const asked = (name: string) => {
      const value = c.req.query(name) ?? '';
      return /^\d{4}-\d{2}$/.test(value) ? value : month;
    };
    const period = { from: asked('from'), to: asked('to') };
    const [report, departments] = await Promise.all([
      departmentReport(ctx, principal, period),
      ctx.store.listDepartments(),
    ]);
    const nameEn = new Map(departments.map((d) => [d.id, d.nameEn]));
    const rows = report.departments
      .filter((d) => d.complaints + d.complaintsClosed > 0)
      .sort((a, b) => b.complaints - a.complaints || a.departmentId.localeCompare(b.departmentId));
    const percent = (value: number | null) => (value === null ? '—' : `${value}%`);
    const title = t('效能投诉统计', 'Complaint figures');
    return render(
      c,
      <Layout ctx={page} title={title}>
        <form method="get" action="/app/reports/complaints">
          <label for="from">{t('起始月份', 'From month')}</label>
          <input type="text" id="from" name="from" value={period.from} placeholder="2026-11" />
          <label for="to">{t('截止月份', 'To month')}</label>
          <input type="text" id="to" name="to" value={period.to} placeholder="2026-12" />
          <button type="submit" class="secondary">
            {t('查看', 'Show')}
          </button>
        </form>
        <div class="grid">
          <div class="stat">
            <div class="muted">{t('受理投诉', 'Complaints filed')}</div>
            <div class="n">{report.total.complaints}</div>
          </div>
          <div class="stat">
            <div class="muted">{t('已办结', 'Closed')}</div>
            <div class="n">{report.total.complaintsClosed}</div>
          </div>
          <div class="stat">
            <div class="muted">{t('投诉属实率', 'Upheld rate')}</div>
            <div class="n">{percent(report.total.complaintUpheldRate)}</div>
          </div>
          <div class="stat">
            <div class="muted">{t('按时办结率', 'Closed on time')}</div>
            <div class="n" data-testid="complaint-on-time">
              {percent(report.total.complaintOnTimeClosureRate)}
            </div>
          </div>
        </div>
        {rows.length === 0 ? <p>{t('本期无效能投诉。', 'No complaints in this period.')}</p> : null}
        <Table
          label={title}
          heads={[
            t('部门', 'Department'),
            t('受理', 'Filed'),
            t('办结', 'Closed'),
            t('属实', 'Upheld'),
            t('投诉属实率', 'Upheld rate'),
            t('按时办结率', 'Closed on time'),
            t('超期', 'Overdue'),
          ]}
        >
          {rows.map((d) => (
            <tr data-department={d.departmentId}>
              <td>{page.lang === 'en' ? (nameEn.get(d.departmentId) ?? d.name) : d.name}</td>
              <td>{d.complaints}</td>
              <td>{d.complaintsClosed}</td>
              <td>{d.complaintsUpheld}</td>
              <td>{percent(d.complaintUpheldRate)}</td>
              <td>{percent(d.complaintOnTimeClosureRate)}</td>
              <td>{d.complaintsOverdue}</td>
            </tr>
          ))}
        </Table>
      </Layout>,
    );
  });

  app.get('/app/reports/weekly/:week', async (c) => {
    const page = c.get('page');
    const report = await getWeeklyReport(ctx, me(c), c.req.param('week').slice(0, 10));
    return c.html(
      `<!doctype html>${String(await (<WeeklyReportDocument report={report} lang={page.lang} />))}`,
    );
  });
}
