import { departmentReport } from '../../../shared/app/reports.js';
import {
  generateWeeklyReport,
  getWeeklyReport,
  listWeeklyReports,
} from '../../../shared/app/weekly-report.js';
import { CASE_KIND_NAMES, CASE_KINDS } from '../../../shared/domain/case-kinds.js';
import { localDate } from '../../../shared/domain/local-time.js';
import type { WeeklyReport } from '../../../shared/domain/weekly-report.js';
import { chinaDate } from '../../../shared/domain/working-days.js';
import type { ApiDeps } from '../../api/env.js';
import { RankingChart } from '../charts/ranking.js';
import { TrendChart } from '../charts/trend.js';
import { type Lang, type Translate, translator } from '../i18n.js';
import { caseKindText, stepStatusText, weekText } from '../labels.js';
import { Layout, Scroll } from '../layout.js';
import { type RefusalStatus, takeFlash } from '../session.js';
import { act, formOf, me, render, requireRole, type WebApp, type WebContext } from '../web-env.js';

/** The weekly report's A4 style (in its `<style>`, allowed by its hash in the pages' Content-Security-Policy). */
export const WEEKLY_STYLE = `@page{size:A4;margin:18mm 16mm}
body{font-family:"Songti SC","SimSun","Noto Serif CJK SC",serif;color:#000;max-width:178mm;margin:0 auto;padding:8px}
h1{text-align:center;font-size:20pt;letter-spacing:.2em;margin:6mm 0 1mm}
.sub{text-align:center;margin-bottom:6mm}
h2{font-size:13pt;margin:6mm 0 2mm;border-bottom:1px solid #000}
table{width:100%;border-collapse:collapse;font-size:10.5pt;margin-bottom:3mm}
th,td{border:1px solid #000;padding:1.5mm;text-align:left;vertical-align:top}
th{background:#f2f2f2;font-weight:normal}
.noprint{margin:4mm 0}
figure{margin:0}svg{max-width:100%;height:auto}
tr,figure{break-inside:avoid}
@media print{.noprint{display:none}th{background:none}}
.signature{text-align:right;margin-top:10mm}`;

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
        <Scroll label={t('周报列表', 'Weekly reports')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('周', 'Week')}</th>
                <th scope="col">{t('日期', 'Dates')}</th>
                <th scope="col">{t('新开工/推进/办结项目', 'Started / advanced / completed')}</th>
                <th scope="col">{t('办结事项（按时率）', 'Decisions (on time)')}</th>
                <th scope="col">{t('超时默认', 'Deemed approvals')}</th>
                <th scope="col">{t('下载', 'Download')}</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </Scroll>
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

  app.post('/app/reports/weekly', async (c) => {
    const principal = requireRole(c, ['admin']);
    const form = await formOf(c);
    const { t } = c.get('page');
    return act(
      c,
      async () => {
        const report = await generateWeeklyReport(ctx, principal, form.get('week') || undefined);
        return {
          message: t(`已生成 ${weekText(t, report.week)} 周报`, `Report of ${report.week} generated`),
          to: `/app/reports/weekly/${report.week}`,
        };
      },
      (error, status) => listPage(c, error, status),
    );
  });

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
        <Scroll label={title}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('部门', 'Department')}</th>
                <th scope="col">{t('受理', 'Filed')}</th>
                <th scope="col">{t('办结', 'Closed')}</th>
                <th scope="col">{t('属实', 'Upheld')}</th>
                <th scope="col">{t('投诉属实率', 'Upheld rate')}</th>
                <th scope="col">{t('按时办结率', 'Closed on time')}</th>
                <th scope="col">{t('超期', 'Overdue')}</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </Scroll>
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

/** The weekly report as an A4 document (the same layout as the other documents), readable on screen too. */
export function WeeklyReportDocument(props: { report: WeeklyReport; lang: Lang }) {
  const { report } = props;
  const t: Translate = translator(props.lang);
  const kindName = (kind: string) => caseKindText(t, kind);
  return (
    <html lang={props.lang === 'en' ? 'en' : 'zh-CN'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t(`重点项目代办周报 ${weekText(t, report.week)}`, `Weekly report ${report.week}`)}</title>
        <style
          dangerouslySetInnerHTML={{
            __html: WEEKLY_STYLE,
          }}
        />
      </head>
      <body>
        <main>
          <p class="noprint">
            <a href="/app/reports/weekly">{t('← 周报列表', '← Weekly reports')}</a> ·{' '}
            <a href={`/reports/weekly/${report.week}?format=csv`}>CSV</a> ·{' '}
            <a href={`/reports/weekly/${report.week}`}>JSON</a>
          </p>
          <h1>{t('重点项目代办周报', 'Weekly report')}</h1>
          <p class="sub">
            {weekText(t, report.week)}（{report.from} – {report.to}）
          </p>
          <h2>{t('一、项目', '1. Projects')}</h2>
          <table>
            <tbody>
              <tr>
                <th scope="row">{t('新登记', 'Started')}</th>
                <td>{report.projects.started}</td>
                <th scope="row">{t('有进展', 'Advanced')}</th>
                <td>{report.projects.advanced}</td>
                <th scope="row">{t('全部办结', 'Completed')}</th>
                <td>{report.projects.completed}</td>
              </tr>
            </tbody>
          </table>
          <h2>{t('二、审批事项', '2. Decisions')}</h2>
          <table>
            <tbody>
              <tr>
                <th scope="row">{t('办结', 'Decided')}</th>
                <td>{report.steps.decided}</td>
                <th scope="row">{t('按时', 'On time')}</th>
                <td>{report.steps.onTime}</td>
                <th scope="row">{t('超时', 'Late')}</th>
                <td>{report.steps.late}</td>
                <th scope="row">{t('按时率', 'On-time rate')}</th>
                <td>{report.steps.onTimeRate === null ? '—' : `${report.steps.onTimeRate}%`}</td>
              </tr>
            </tbody>
          </table>
          <h3>{t('五件统计', 'The five kinds of case')}</h3>
          <table>
            <thead>
              <tr>
                {CASE_KINDS.map((k) => (
                  <th scope="col">{kindName(k)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                {CASE_KINDS.map((k) => (
                  <td>{report.caseKinds[k]}</td>
                ))}
              </tr>
            </tbody>
          </table>
          <h2>{t('三、各阶段平均用时（工作日）', '3. Average working days per stage')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('阶段', 'Stage')}</th>
                <th scope="col">{t('办结', 'Decided')}</th>
                <th scope="col">{t('平均用时', 'Average used')}</th>
                <th scope="col">{t('平均承诺时限', 'Average promised')}</th>
                <th scope="col">{t('平均法定时限', 'Average legal')}</th>
              </tr>
            </thead>
            <tbody>
              {report.stages.map((s) => (
                <tr>
                  <td>
                    {t(`第${s.stageIndex + 1}阶段`, `Stage ${s.stageIndex + 1}`)} {s.name}
                  </td>
                  <td>{s.decided}</td>
                  <td>{s.averageWorkingDays ?? '—'}</td>
                  <td>{s.averagePromisedDays ?? '—'}</td>
                  <td>{s.averageLegalDays ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('四、部门排名', '4. Departments ranked')}</h2>
          <figure>
            <RankingChart
              t={t}
              titleId="weekly-ranking"
              rows={report.departments
                .filter((d) => d.late + d.deemedApprovals > 0)
                .map((d) => ({
                  label: props.lang === 'en' ? d.nameEn : d.name,
                  breaches: d.late,
                  deemedApprovals: d.deemedApprovals,
                  onTimeRate: d.decided ? Math.round((d.onTime / d.decided) * 1000) / 10 : null,
                }))}
            />
          </figure>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('名次', 'Rank')}</th>
                <th scope="col">{t('部门', 'Department')}</th>
                <th scope="col">{t('办结', 'Decided')}</th>
                <th scope="col">{t('按时', 'On time')}</th>
                <th scope="col">{t('超时', 'Late')}</th>
                <th scope="col">{t('超时默认', 'Deemed')}</th>
                <th scope="col">{t('平均用时', 'Avg. days')}</th>
              </tr>
            </thead>
            <tbody>
              {report.departments.map((d) => (
                <tr>
                  <td>{d.rank}</td>
                  <td>{props.lang === 'en' ? d.nameEn : d.name}</td>
                  <td>{d.decided}</td>
                  <td>{d.onTime}</td>
                  <td>{d.late}</td>
                  <td>{d.deemedApprovals}</td>
                  <td>{d.averageWorkingDays ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('五、用时最长的事项', '5. The slowest steps')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('项目', 'Project')}</th>
                <th scope="col">{t('事项', 'Step')}</th>
                <th scope="col">{t('部门', 'Department')}</th>
                <th scope="col">{t('用时/承诺/法定', 'Used / promised / legal')}</th>
                <th scope="col">{t('结果', 'Outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {report.slowest.map((s) => (
                <tr>
                  <td>
                    {s.projectName}
                    <br />
                    {s.projectCode}
                  </td>
                  <td>
                    {s.stepId} {s.stepName}
                  </td>
                  <td>{s.departmentName}</td>
                  <td>
                    {s.workingDays} / {s.promisedDays} / {s.legalDays}
                  </td>
                  <td>{stepStatusText(t, s.outcome)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="signature">
            {t('政务服务中心 重点项目代办服务', 'Government service centre · project agency')}
            <br />
            {localDate(report.generatedAt)}
          </p>
        </main>
      </body>
    </html>
  );
}

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The weekly report as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese): one block per section. */
export function weeklyReportCsv(report: WeeklyReport): string {
  const rows: unknown[][] = [
    ['周报', report.week, report.from, report.to],
    [],
    ['指标', '数值'],
    ['新登记项目', report.projects.started],
    ['有进展项目', report.projects.advanced],
    ['办结项目', report.projects.completed],
    ['办结事项', report.steps.decided],
    ['按时', report.steps.onTime],
    ['超时', report.steps.late],
    ['按时率(%)', report.steps.onTimeRate],
    ...CASE_KINDS.map((k) => [CASE_KIND_NAMES[k], report.caseKinds[k]]),
    [],
    ['名次', '部门编号', '部门', '办结', '按时', '超时', '超时默认', '平均用时(工作日)'],
    ...report.departments.map((d) => [
      d.rank,
      d.departmentId,
      d.name,
      d.decided,
      d.onTime,
      d.late,
      d.deemedApprovals,
      d.averageWorkingDays,
    ]),
    [],
    ['阶段', '办结', '平均用时', '平均承诺时限', '平均法定时限'],
    ...report.stages.map((s) => [
      s.name,
      s.decided,
      s.averageWorkingDays,
      s.averagePromisedDays,
      s.averageLegalDays,
    ]),
    [],
    ['项目代码', '项目', '事项', '部门', '用时', '承诺时限', '法定时限', '结果'],
    ...report.slowest.map((s) => [
      s.projectCode,
      s.projectName,
      `${s.stepId} ${s.stepName}`,
      s.departmentName,
      s.workingDays,
      s.promisedDays,
      s.legalDays,
      s.outcome,
    ]),
  ];
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
