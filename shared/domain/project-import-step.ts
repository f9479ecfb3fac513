import type { StepDefinition } from './chain.js';
import {
  OUTCOME_WORDS,
  STATUS_WORDS,
  STATUS_WORDS_LISTED,
  STATUS_WORDS_LISTED_EN,
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

/** The materials a supplement notice asked for, as the cell lists them (；, ; or a line apart). */
export const missingOf = (cell: string): string[] =>
  cell
    .split(/[；;\n]/)
    .map((m) => m.trim())
    .filter((m) => m !== '')
    .slice(0, 50);

type DateField = 'submitted' | 'accepted' | 'decided' | 'doc_date' | 'paused_on';

/**
 * One step's cells as a planned step, or undefined after naming its problems. `applies`: whether the step applies
 * to the project's attributes (one that does not can only be left empty or said not applicable).
 */
export function planStep(
  step: StepDefinition,
  stageIndex: number,
  r: RowReader,
  today: string,
  applies = true,
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
      `状态“${statusCell}”无法识别（${STATUS_WORDS_LISTED}）`,
      `unknown status '${statusCell}' (${STATUS_WORDS_LISTED_EN})`,
    );
    return undefined;
  }
  const dates: Partial<Record<DateField, string>> = {};
  for (const field of ['submitted', 'accepted', 'decided', 'doc_date', 'paused_on'] as const) {
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
  const reasonCell = r.cell(key('pause_reason'));
  const base = { stepId: step.id, stageIndex };
  const filled = (fields: readonly StepField[]) => fields.filter((f) => r.cell(key(f)) !== '');
  if (!applies && said.status !== 'pending' && said.status !== 'not_applicable') {
    bad(
      'status',
      'IMPORT.NOT_APPLICABLE',
      `按本行的项目属性，此步骤不适用，却填了状态“${statusCell}”（请核对项目属性列）`,
      `by the row's project attributes the step does not apply, yet its status says '${statusCell}' (check the attribute columns)`,
    );
    return undefined;
  }
  if (said.status === 'pending' || said.status === 'not_applicable') {
    const extra = filled(STEP_FIELDS.map(([f]) => f).filter((f) => f !== 'status'));
    if (extra.length > 0)
      bad(
        extra[0] ?? 'submitted',
        'IMPORT.NOT_STARTED_WITH_DATA',
        `状态为${said.status === 'pending' ? '未开始' : '不适用'}，却填了${extra.join('、')}`,
        `the status says ${said.status} yet ${extra.join(', ')} is filled in`,
      );
    if (said.status === 'not_applicable' && step.kind === 'milestone' && applies)
      bad('status', 'IMPORT.STATUS', '节点事项不能不适用', 'a milestone cannot be not applicable');
    if (!ok) return undefined;
    return applies ? { ...base, status: said.status } : { ...base, status: 'not_applicable', byRule: true };
  }
  if (said.status !== 'decided') {
    // in review, its clock running or paused, or waiting for the enterprise's supplement
    if (!from)
      bad(
        'accepted',
        'IMPORT.ACCEPTED_MISSING',
        '审查中的步骤须有受理日期（计时由此起算）',
        'a step in review needs its acceptance date (its clock counts from it)',
      );
    if (decided || outcomeCell || number || dates.doc_date)
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
    const pausedOn = dates.paused_on;
    if (said.status === 'in_review') {
      const paused = filled(['paused_on', 'pause_reason']);
      if (paused.length > 0)
        bad(
          paused[0] ?? 'paused_on',
          'IMPORT.PAUSE',
          '计时在走的审查中步骤不应有暂停日期或补正材料（计时暂停的，状态写补正中、听证中、专家评审中等）',
          'a step in review with its clock running has no pause (a paused one says supplement_requested, hearing, expert_review…)',
        );
    } else if (!pausedOn && !r.cell(key('paused_on'))) {
      bad(
        'paused_on',
        'IMPORT.PAUSE',
        `状态为“${statusCell}”，须有计时暂停日期（${said.status === 'supplement_requested' ? '补正通知日期' : '暂停起始日期'}）`,
        `a step whose status says '${statusCell}' needs the date its clock was paused (${said.status === 'supplement_requested' ? 'the supplement notice' : 'the pause began'})`,
      );
    } else if (pausedOn && from && pausedOn < from) {
      bad(
        'paused_on',
        'IMPORT.ORDER',
        `计时暂停日期 ${pausedOn} 早于受理日期 ${from}`,
        `the clock paused on ${pausedOn}, before the step was accepted (${from})`,
      );
    }
    if (!ok || !from) return undefined;
    const open = { ...base, ...(submitted ? { submitted } : {}), accepted: from };
    if (said.status === 'in_review') return { ...open, status: 'in_review' };
    if (!pausedOn) return undefined;
    if (said.status === 'supplement_requested') {
      const missing = missingOf(reasonCell);
      return {
        ...open,
        status: 'supplement_requested',
        pause: { kind: 'supplement', from: pausedOn },
        ...(missing.length > 0 ? { missing } : {}),
      };
    }
    if (said.status !== 'paused') return undefined;
    return {
      ...open,
      status: 'paused',
      pause: { kind: said.kind, from: pausedOn, ...(reasonCell ? { reason: reasonCell.slice(0, 500) } : {}) },
    };
  }
  return planDecided(
    step,
    { ...base, ...(submitted ? { submitted } : {}), ...(from ? { accepted: from } : {}) },
    {
      dates,
      outcomeCell,
      number,
      docDateCell: r.cell(key('doc_date')),
      pauseFilled: filled(['paused_on', 'pause_reason']),
      bad,
      ok: () => ok,
    },
  );
}

/** A decided step: approved with its document (批文), or rejected with its decision (不予许可决定书). */
function planDecided(
  step: StepDefinition,
  opened: Omit<ImportedStep, 'status'>,
  cells: {
    dates: Partial<Record<DateField, string>>;
    outcomeCell: string;
    number: string;
    docDateCell: string;
    pauseFilled: StepField[];
    bad: (field: StepField, code: string, message: string, messageEn: string) => void;
    ok: () => boolean;
  },
): ImportedStep | undefined {
  const { dates, outcomeCell, number, bad } = cells;
  const decided = dates.decided;
  const outcome = OUTCOME_WORDS[outcomeCell] ?? OUTCOME_WORDS[outcomeCell.toLowerCase()];
  const milestone = step.kind === 'milestone';
  if (milestone && outcome === 'rejected')
    bad('outcome', 'IMPORT.OUTCOME', '节点事项不会不予许可', 'a milestone is never rejected');
  else if (!outcome && !milestone)
    bad(
      'outcome',
      'IMPORT.OUTCOME',
      `已办结的步骤须有结果（批准或不予许可），而不是“${outcomeCell}”`,
      `a decided step needs its outcome (approved or rejected), not '${outcomeCell}'`,
    );
  if (cells.pauseFilled.length > 0)
    bad(
      cells.pauseFilled[0] ?? 'paused_on',
      'IMPORT.PAUSE',
      '已办结的步骤不应有计时暂停日期或补正材料',
      'a decided step has no pause of its clock',
    );
  if (!decided)
    bad(
      'decided',
      'IMPORT.DECIDED_MISSING',
      '已办结的步骤须有办结日期',
      'a decided step needs its decision date',
    );
  const rejected = outcome === 'rejected';
  const what = rejected ? '不予许可决定书' : '批文';
  const whatEn = rejected
    ? 'a rejection needs its decision document (不予许可决定书)'
    : 'an approval needs its document';
  const which = rejected ? '不予许可的步骤' : '已批准的步骤';
  if (!milestone && !number)
    bad('doc_number', 'IMPORT.DOCUMENT_MISSING', `${which}须有${what}文号`, `${whatEn} number`);
  if (!milestone && !dates.doc_date && !cells.docDateCell)
    bad('doc_date', 'IMPORT.DOCUMENT_MISSING', `${which}须有${what}日期`, `${whatEn} date`);
  if (dates.doc_date && decided && dates.doc_date > decided)
    bad(
      'doc_date',
      'IMPORT.ORDER',
      `${what}日期 ${dates.doc_date} 晚于办结日期 ${decided}`,
      `document dated ${dates.doc_date}, after the decision (${decided})`,
    );
  if (number.length > 100)
    bad('doc_number', 'IMPORT.DOCUMENT', '文号超过 100 字', 'the document number is over 100 characters');
  if (!cells.ok() || !decided) return undefined;
  return {
    ...opened,
    status: rejected ? 'rejected' : 'approved',
    decided,
    ...(!milestone && dates.doc_date ? { document: { number, date: dates.doc_date } } : {}),
  };
}
