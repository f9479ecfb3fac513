import type { StepDefinition } from './chain.js';
import {
  OUTCOME_WORDS,
  STATUS_WORDS,
  STEP_FIELDS,
  type StepField,
  stepColumnKey,
} from './project-import-csv.js';
import type { ImportedStep } from './project-import-types.js';

/** The rules of one step's cells in a row of an import of projects in flight (see project-import.ts). */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date cell as YYYY-MM-DD (also 2025/3/7, 2025.3.7, 2025年3月7日 and a spreadsheet's day number), or undefined. */
export function importDate(cell: string): string | undefined {
  // a date a spreadsheet stored as its day number (days since 1899-12-30)
  if (/^\d{5}(\.\d+)?$/.test(cell.trim())) {
    const day = new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(cell)) * 86_400_000);
    return day.toISOString().slice(0, 10);
  }
  const parts = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(cell.trim());
  if (!parts) return undefined;
  const [, y = '', m = '', d = ''] = parts;
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const check = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== date) return undefined;
  return DATE.test(date) ? date : undefined;
}

/** A row of the file: its number, its cells by key, and where its problems go. */
export type RowReader = {
  row: number;
  cell: (key: string) => string;
  problem: (key: string | undefined, code: string, message: string, messageEn: string) => void;
};

/** One step's cells as a planned step, or undefined after naming its problems. */
export function planStep(
  step: StepDefinition,
  stageIndex: number,
  r: RowReader,
  today: string,
): ImportedStep | undefined {
  let ok = true;
  const key = (field: StepField) => stepColumnKey(step.id, field);
  const bad = (field: StepField, code: string, message: string, messageEn: string) => {
    ok = false;
    r.problem(key(field), code, `步骤 ${step.id}：${message}`, `step ${step.id}: ${messageEn}`);
  };
  const statusCell = r.cell(key('status'));
  const said = STATUS_WORDS[statusCell] ?? STATUS_WORDS[statusCell.toLowerCase()];
  if (!said) {
    bad(
      'status',
      'IMPORT.STATUS',
      `状态“${statusCell}”无法识别（未开始、审查中、已办结、不适用）`,
      `unknown status '${statusCell}' (pending, in_review, decided, not_applicable)`,
    );
    return undefined;
  }
  const dates: Partial<Record<'submitted' | 'accepted' | 'decided' | 'doc_date', string>> = {};
  for (const field of ['submitted', 'accepted', 'decided', 'doc_date'] as const) {
    const cell = r.cell(key(field));
    if (!cell) continue;
    const date = importDate(cell);
    if (!date)
      bad(field, 'IMPORT.DATE', `“${cell}”不是日期（YYYY-MM-DD）`, `'${cell}' is not a date (YYYY-MM-DD)`);
    else if (date > today)
      bad(
        field,
        'IMPORT.FUTURE_DATE',
        `日期 ${date} 在今天（${today}）之后`,
        `${date} is in the future (today is ${today})`,
      );
    else dates[field] = date;
  }
  const { submitted, accepted, decided } = dates;
  if (submitted && accepted && accepted < submitted)
    bad(
      'accepted',
      'IMPORT.ORDER',
      `受理日期 ${accepted} 早于提交日期 ${submitted}`,
      `accepted ${accepted} before submitted ${submitted}`,
    );
  const from = accepted ?? submitted;
  if (decided && from && decided < from)
    bad(
      'decided',
      'IMPORT.ORDER',
      `办结日期 ${decided} 早于提交/受理日期 ${from}`,
      `decided ${decided} before it was submitted/accepted (${from})`,
    );
  const outcomeCell = r.cell(key('outcome'));
  const number = r.cell(key('doc_number'));
  const base = { stepId: step.id, stageIndex };
  if (said === 'pending' || said === 'not_applicable') {
    const filled = STEP_FIELDS.filter(([f]) => f !== 'status' && r.cell(key(f)) !== '').map(([f]) => f);
    if (filled.length > 0)
      bad(
        filled[0] ?? 'submitted',
        'IMPORT.NOT_STARTED_WITH_DATA',
        `状态为${said === 'pending' ? '未开始' : '不适用'}，却填了${filled.join('、')}`,
        `the status says ${said} yet ${filled.join(', ')} is filled in`,
      );
    if (said === 'not_applicable' && step.kind === 'milestone')
      bad('status', 'IMPORT.STATUS', '节点事项不能不适用', 'a milestone cannot be not applicable');
    return ok ? { ...base, status: said } : undefined;
  }
  if (said === 'in_review') {
    if (!from)
      bad(
        'accepted',
        'IMPORT.ACCEPTED_MISSING',
        '审查中的步骤须有受理日期（计时由此起算）',
        'a step in review needs its acceptance date (its clock counts from it)',
      );
    if (decided || outcomeCell || number)
      bad(
        'decided',
        'IMPORT.IN_REVIEW_DECIDED',
        '审查中的步骤不应有办结日期、结果或文号',
        'a step in review has no decision, outcome or document yet',
      );
    if (step.kind === 'milestone')
      bad(
        'status',
        'IMPORT.STATUS',
        '节点事项没有审查期，只能未开始或已办结',
        'a milestone is never in review: pending or decided',
      );
    return ok && from
      ? { ...base, status: 'in_review', ...(submitted ? { submitted } : {}), accepted: from }
      : undefined;
  }
  // decided
  const outcome = OUTCOME_WORDS[outcomeCell] ?? OUTCOME_WORDS[outcomeCell.toLowerCase()];
  if (outcome === 'rejected')
    bad(
      'outcome',
      'IMPORT.REJECTED',
      '不予批准的步骤暂不能导入：请在重新申请后导入，或登记后在系统中办理',
      'a rejected step cannot be imported: import the project once re-applied, or register it and record the rejection',
    );
  else if (!outcome && step.kind !== 'milestone')
    bad(
      'outcome',
      'IMPORT.OUTCOME',
      `已办结的步骤须有结果（批准），而不是“${outcomeCell}”`,
      `a decided step needs its outcome (approved), not '${outcomeCell}'`,
    );
  if (!decided)
    bad(
      'decided',
      'IMPORT.DECIDED_MISSING',
      '已办结的步骤须有办结日期',
      'a decided step needs its decision date',
    );
  const documented = step.kind !== 'milestone';
  if (documented && !number)
    bad(
      'doc_number',
      'IMPORT.DOCUMENT_MISSING',
      '已批准的步骤须有批文文号',
      'an approval needs its document number',
    );
  if (documented && !dates.doc_date && !r.cell(key('doc_date')))
    bad(
      'doc_date',
      'IMPORT.DOCUMENT_MISSING',
      '已批准的步骤须有批文日期',
      'an approval needs its document date',
    );
  if (dates.doc_date && decided && dates.doc_date > decided)
    bad(
      'doc_date',
      'IMPORT.ORDER',
      `批文日期 ${dates.doc_date} 晚于办结日期 ${decided}`,
      `document dated ${dates.doc_date}, after the decision (${decided})`,
    );
  if (number.length > 100)
    bad('doc_number', 'IMPORT.DOCUMENT', '文号超过 100 字', 'the document number is over 100 characters');
  if (!ok || !decided) return undefined;
  return {
    ...base,
    status: 'approved',
    ...(submitted ? { submitted } : {}),
    ...(from ? { accepted: from } : {}),
    decided,
    ...(documented && dates.doc_date ? { document: { number, date: dates.doc_date } } : {}),
  };
}
