import { html, raw } from 'hono/html';
import type { ProjectDocument } from '../../shared/domain/documents.js';
import { forPeople, localDate } from '../../shared/domain/local-time.js';

/** The document page's style (in its `<style>`, allowed by its hash in the pages' Content-Security-Policy). */
export const DOCUMENT_STYLE = `
@page { size: A4; margin: 20mm 18mm; }
body { font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", serif; color: #000; max-width: 170mm; margin: 0 auto; }
h1 { text-align: center; font-size: 22pt; letter-spacing: 0.3em; margin: 8mm 0 2mm; }
.number { text-align: center; margin-bottom: 8mm; }
table { width: 100%; border-collapse: collapse; font-size: 11.5pt; }
th, td { border: 1px solid #000; padding: 3mm; vertical-align: top; text-align: left; }
th { width: 24%; font-weight: normal; background: #f2f2f2; }
table.rows th { width: auto; }
table.rows td, table.rows th { padding: 1.5mm; font-size: 10.5pt; }
.issuer { margin-top: 14mm; text-align: right; line-height: 2; }
@media print { th { background: none; } }
.sr-only { position: absolute; left: -9999px; }
`;

/** Labels of the fields a document may carry, in the order a reader expects them. */
const LABELS: Array<[string, string]> = [
  ['projectCode', '项目代码'],
  ['projectName', '项目名称'],
  ['enterpriseName', '建设单位'],
  ['stepName', '审批事项'],
  ['departmentName', '承办部门'],
  ['submittedAt', '申报时间'],
  ['acceptedOn', '受理日期'],
  ['promisedDays', '承诺时限（工作日）'],
  ['dueDate', '时限届满日'],
  ['meetingTitle', '会议名称'],
  ['scheduledAt', '会议时间'],
  ['place', '会议地点'],
  ['convenedBy', '召集人'],
  ['attendees', '参会部门'],
  ['onLeave', '请假部门'],
  ['onLeaveReasons', '请假事由'],
  ['absentWithoutLeave', '缺席部门（未请假）'],
  ['decisions', '议定事项'],
  ['submittedMaterials', '已收材料'],
  ['materials', '需补正材料'],
  ['correctedNotice', '所更正的通知单'],
  ['correctedNoticeDate', '原通知日期'],
  ['deemableFrom', '最早可出具超时默认的日期'],
  ['noticeDate', '通知日期'],
  ['rule', '适用规则'],
  ['consequence', '处理结果'],
  ['resubmission', '补正方式'],
];

/** Column labels of the rows a field may list (议定事项, 需补正材料). */
const COLUMNS: Record<string, string> = {
  no: '序号',
  project: '项目',
  step: '审批事项',
  department: '部门',
  decision: '议定结果',
  details: '具体内容',
  rule: '适用规则',
  comment: '会议意见',
  name: '材料',
  reason: '补正原因',
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A value as a person reads it: an instant as the service centre's local date and time, never raw ISO. */
const text = (value: unknown) => String(forPeople(value));

/** A field's value as page text: lists of text joined, lists of rows as a table, anything else as text. */
const show = (value: unknown) => {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return '—';
  if (typeof value === 'string' || typeof value === 'number') return text(value);
  if (Array.isArray(value) && value.every((v) => !isRecord(v))) return value.map(text).join('、');
  if (Array.isArray(value)) {
    const rows = value.filter(isRecord);
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return html`<table class="rows"><thead><tr>${raw(
      keys.map((k) => html`<th scope="col">${COLUMNS[k] ?? k}</th>`).join(''),
    )}</tr></thead><tbody>${raw(
      rows
        .map(
          (r) =>
            html`<tr>${raw(keys.map((k) => html`<td>${r[k] === undefined || r[k] === '' ? '—' : text(r[k])}</td>`).join(''))}</tr>`,
        )
        .join(''),
    )}</tbody></table>`;
  }
  return JSON.stringify(value);
};

/**
 * A document as a page that prints cleanly on A4 from any browser (no script): its number, its title, each field
 * in a table, the issuer. The JSON form carries the same fields.
 */
export function documentPage(document: ProjectDocument) {
  const known = new Set(LABELS.map(([key]) => key));
  const rows = [
    ...LABELS.filter(([key]) => key in document.fields).map(([key, label]) => [
      label,
      show(document.fields[key]),
    ]),
    ...Object.entries(document.fields)
      .filter(([key]) => !known.has(key))
      .map(([key, value]) => [key, show(value)]),
  ];
  return html`<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${document.title} ${document.number}</title>
    <style>${raw(DOCUMENT_STYLE)}</style>
  </head>
  <body>
    <main>
      <h1>${document.title}</h1>
      <p class="number">${document.number}</p>
      <table>
        <caption class="sr-only">${document.title}</caption>
        <tbody>
          ${raw(rows.map(([label, value]) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`).join(''))}
        </tbody>
      </table>
      <p class="issuer">政务服务中心 重点项目代办服务<br />${localDate(document.issuedAt)}</p>
    </main>
  </body>
</html>`;
}
