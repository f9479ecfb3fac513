import type { Chain, StepDefinition } from './chain.js';
import { creditCodeProblem } from './credit-code.js';
import { nationalCodeProblem } from './project-code.js';
import { cellName, headerKey, PROJECT_COLUMNS, STEP_FIELDS, stepColumnKey } from './project-import-csv.js';
import { planStep, type RowReader } from './project-import-step.js';
import type { ImportedProject, ImportedStep, ImportPlan, ImportProblem } from './project-import-types.js';

export { importDate } from './project-import-step.js';
export type {
  ImportedProject,
  ImportedStep,
  ImportedStepStatus,
  ImportPlan,
  ImportProblem,
} from './project-import-types.js';

/**
 * The rules of an import of projects in flight (在办项目导入): a file of rows (see project-import-csv.ts) becomes a
 * typed plan, one project a row, and a list of problems, each naming its row and cell in Chinese and English. A row
 * with a problem is left out of the plan; nothing here reads or writes anything (the use case checks what needs the
 * table: agents, codes taken).
 */

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
