import { CASE_KINDS } from '../../shared/domain/case-kinds.js';
import { localDate } from '../../shared/domain/local-time.js';
import type { WeeklyReport } from '../../shared/domain/weekly-report.js';
import { RankingChart } from './charts/ranking.js';
import { type Lang, type Translate, translator } from './i18n.js';
import { caseKindText, stepStatusText, weekText } from './labels.js';

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
