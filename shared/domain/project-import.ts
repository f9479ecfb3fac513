import type { Chain, StepDefinition } from './chain.js';
import { creditCodeProblem } from './credit-code.js';
import { nationalCodeProblem } from './project-code.js';
import {
  cellName,
  headerKey,
  OUTCOME_WORDS,
  PROJECT_COLUMNS,
  STATUS_WORDS,
  STEP_FIELDS,
  type StepField,
  stepColumnKey,
} from './project-import-csv.js';

/**
 * The rules of an import of projects in flight (在办项目导入): a file of rows (see project-import-csv.ts) becomes a
 * typed plan, one project a row, and a list of problems, each naming its row and cell in Chinese and English. A row
 * with a problem is left out of the plan; nothing here reads or writes anything (the use case checks what needs the
 * table: agents, codes taken).
 */

export type ImportProblem = {
  /** the row as a spreadsheet numbers it (the header is row 1) */
  row: number;
  /** the column's machine key (`step.16.decided`), absent for a problem of the whole row or file */
  column?: string;
  /** the cell as a spreadsheet names it (`H5`) */
  cell?: string;
  code: string;
  message: string;
  messageEn: string;
};

export type ImportedStepStatus = 'pending' | 'in_review' | 'approved' | 'not_applicable';

export type ImportedStep = {
  stepId: string;
  stageIndex: number;
  status: ImportedStepStatus;
  submitted?: string;
  accepted?: string;
  decided?: string;
  document?: { number: string; date: string };
};

/** One project of the file as it will be registered, mid-way along its chain. */
export type ImportedProject = {
  row: number;
  projectCode: string;
  name: string;
  enterpriseName: string;
  creditCode: string;
  investmentCny: number;
  agentId: string;
  steps: ImportedStep[];
  /** the first stage with a step not passed; the number of stages when every step passed (completed) */
  currentStageIndex: number;
  completed: boolean;
};

export type ImportPlan = {
  /** rows with data (the header and blank rows not counted) */
  rows: number;
  projects: ImportedProject[];
  problems: ImportProblem[];
  /** the column of each key the header names (to name a cell the use case finds a problem in) */
  columns: Record<string, number>;
};

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

type RowReader = {
  row: number;
  cell: (key: string) => string;
  problem: (key: string | undefined, code: string, message: string, messageEn: string) => void;
};

/** Plans the import of a parsed CSV file (header first) onto a chain version; `today` is the local date. */
export function planImport(chain: Chain, rows: readonly string[][], today: string): ImportPlan {
  const problems: ImportProblem[] = [];
  const [header, ...body] = rows;
  const keys = (header ?? []).map(headerKey);
  const columnOf = new Map(keys.map((key, index) => [key, index]));
  const known = new Set<string>(PROJECT_COLUMNS.map(([key]) => key));
  const steps = chain.stages.flatMap((stage, stageIndex) =>
    stage.steps.map((step) => ({ step, stageIndex })),
  );
  for (const { step } of steps) for (const [field] of STEP_FIELDS) known.add(stepColumnKey(step.id, field));
  keys.forEach((key, index) => {
    if (known.has(key) || key === '') return;
    const stepId = /^step\.([^.]+)\./.exec(key)?.[1];
    problems.push({
      row: 1,
      column: key,
      cell: cellName(index, 1),
      code: stepId ? 'IMPORT.UNKNOWN_STEP' : 'IMPORT.UNKNOWN_COLUMN',
      message: stepId
        ? `未知步骤：流程 ${chain.id} 第 ${chain.version} 版没有步骤 ${stepId}`
        : `未知列：${key}`,
      messageEn: stepId
        ? `unknown step: chain ${chain.id} version ${chain.version} has no step ${stepId}`
        : `unknown column: ${key}`,
    });
  });
  for (const [key, label] of PROJECT_COLUMNS) {
    if (columnOf.has(key)) continue;
    problems.push({
      row: 1,
      column: key,
      code: 'IMPORT.MISSING_COLUMN',
      message: `缺少列：${label} [${key}]`,
      messageEn: `missing column: ${key}`,
    });
  }
  if (problems.length > 0 && problems.some((p) => p.code === 'IMPORT.MISSING_COLUMN')) {
    return { rows: 0, projects: [], problems, columns: Object.fromEntries(columnOf) };
  }
  const projects: ImportedProject[] = [];
  const codesSeen = new Map<string, number>();
  let count = 0;
  body.forEach((cells, index) => {
    if (cells.every((cell) => cell.trim() === '')) return;
    const rowNumber = index + 2;
    // the template's example row
    if ((cells[columnOf.get('project_code') ?? 0] ?? '').startsWith('示例')) return;
    count += 1;
    const rowProblems: ImportProblem[] = [];
    const reader: RowReader = {
      row: rowNumber,
      cell: (key) => (cells[columnOf.get(key) ?? -1] ?? '').trim(),
      problem: (key, code, message, messageEn) => {
        const column = key === undefined ? undefined : columnOf.get(key);
        rowProblems.push({
          row: rowNumber,
          ...(key !== undefined ? { column: key } : {}),
          ...(column !== undefined ? { cell: cellName(column, rowNumber) } : {}),
          code,
          message: `第 ${rowNumber} 行${column !== undefined ? `（${cellName(column, rowNumber)}）` : ''}：${message}`,
          messageEn: `row ${rowNumber}${column !== undefined ? ` (${cellName(column, rowNumber)})` : ''}: ${messageEn}`,
        });
      },
    };
    const project = planRow(chain, steps, reader, today);
    if (project) {
      const earlier = codesSeen.get(project.projectCode);
      if (earlier !== undefined) {
        reader.problem(
          'project_code',
          'IMPORT.DUPLICATE_CODE',
          `项目代码 ${project.projectCode} 与第 ${earlier} 行重复`,
          `project code ${project.projectCode} repeats row ${earlier}`,
        );
      } else codesSeen.set(project.projectCode, rowNumber);
    }
    problems.push(...rowProblems);
    if (project && rowProblems.length === 0) projects.push(project);
  });
  return { rows: count, projects, problems, columns: Object.fromEntries(columnOf) };
}

type Located = { step: StepDefinition; stageIndex: number };

function planRow(
  chain: Chain,
  steps: readonly Located[],
  r: RowReader,
  today: string,
): ImportedProject | undefined {
  const projectCode = r.cell('project_code').toUpperCase();
  const codeProblem = projectCode ? nationalCodeProblem(projectCode) : 'empty';
  if (codeProblem) {
    r.problem(
      'project_code',
      'IMPORT.PROJECT_CODE',
      `项目代码无效（${codeProblem}）：导入的在办项目须有全国投资项目在线审批监管平台赋予的项目代码`,
      `invalid national project code (${codeProblem}): an imported project needs the code the national platform issued`,
    );
  } else if (Number(projectCode.slice(0, 4)) > Number(today.slice(0, 4))) {
    r.problem(
      'project_code',
      'IMPORT.PROJECT_CODE',
      '项目代码的年份在今年之后',
      'the code’s year is after this year',
    );
  }
  const name = r.cell('name');
  if (!name || name.length > 200)
    r.problem('name', 'IMPORT.NAME', '项目名称为空或超过 200 字', 'the name is empty or over 200 characters');
  const enterpriseName = r.cell('enterprise_name');
  if (!enterpriseName || enterpriseName.length > 200)
    r.problem(
      'enterprise_name',
      'IMPORT.ENTERPRISE',
      '企业名称为空或超过 200 字',
      'the enterprise name is empty or over 200 characters',
    );
  const creditCode = r.cell('enterprise_credit_code').toUpperCase();
  const creditProblem = creditCodeProblem(creditCode);
  if (creditProblem)
    r.problem(
      'enterprise_credit_code',
      'IMPORT.CREDIT_CODE',
      `统一社会信用代码无效（${creditProblem}）`,
      `invalid unified social credit code: ${creditProblem}`,
    );
  const investmentCny = Number(r.cell('investment_cny').replaceAll(',', ''));
  if (!Number.isFinite(investmentCny) || investmentCny < 0.01 || investmentCny > 1e13)
    r.problem(
      'investment_cny',
      'IMPORT.INVESTMENT',
      '总投资须为 0.01 至 10 万亿元之间的数',
      'the investment must be a number of CNY from 0.01 to 1e13',
    );
  const agentId = r.cell('agent_id');
  if (!agentId) r.problem('agent_id', 'IMPORT.AGENT', '代办员账号为空', 'the agent is missing');

  const planned = steps.map(({ step, stageIndex }) => planStep(step, stageIndex, r, today));
  const byId = new Map(planned.flatMap((s) => (s ? [[s.stepId, s] as const] : [])));
  const passed = (s: ImportedStep | undefined) => s?.status === 'approved' || s?.status === 'not_applicable';
  const current = chain.stages.findIndex((_, i) =>
    steps.some((l) => l.stageIndex === i && !passed(byId.get(l.step.id))),
  );
  const currentStageIndex = current < 0 ? chain.stages.length : current;
  for (const { step, stageIndex } of steps) {
    const item = byId.get(step.id);
    if (!item || item.status === 'pending' || item.status === 'not_applicable') continue;
    const key = stepColumnKey(step.id, 'status');
    if (stageIndex > currentStageIndex) {
      r.problem(
        key,
        'IMPORT.STAGE_ORDER',
        `步骤 ${step.id} 属第 ${stageIndex + 1} 阶段，但第 ${currentStageIndex + 1} 阶段尚未办结`,
        `step ${step.id} is in stage ${stageIndex + 1} while stage ${currentStageIndex + 1} is not finished`,
      );
      continue;
    }
    for (const id of step.prerequisites) {
      const prerequisite = byId.get(id);
      // a prerequisite whose own cells are wrong is named there already
      if (!prerequisite && steps.some((l) => l.step.id === id)) continue;
      if (!passed(prerequisite)) {
        r.problem(
          key,
          'IMPORT.PREREQUISITE_OPEN',
          `步骤 ${step.id} 已${item.status === 'approved' ? '办结' : '受理'}，但其前置步骤 ${id} 尚未办结`,
          `step ${step.id} is ${item.status} before its prerequisite ${id} was decided`,
        );
      } else if (prerequisite?.decided && item.decided && item.decided < prerequisite.decided) {
        r.problem(
          stepColumnKey(step.id, 'decided'),
          'IMPORT.PREREQUISITE_LATER',
          `步骤 ${step.id} 办结于 ${item.decided}，早于其前置步骤 ${id} 的办结日期 ${prerequisite.decided}`,
          `step ${step.id} was decided on ${item.decided}, before its prerequisite ${id} (${prerequisite.decided})`,
        );
      }
    }
  }
  if (planned.some((s) => s === undefined)) return undefined;
  if (!projectCode || codeProblem || !creditCode || creditProblem) return undefined;
  return {
    row: r.row,
    projectCode,
    name,
    enterpriseName,
    creditCode,
    investmentCny,
    agentId,
    steps: planned.filter((s): s is ImportedStep => s !== undefined),
    currentStageIndex,
    completed: currentStageIndex >= chain.stages.length,
  };
}

/** One step's cells as a planned step, or undefined after naming its problems. */
function planStep(
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
