import type { Chain } from './chain.js';
import {
  attributeColumnKey,
  cellName,
  headerKey,
  PROJECT_COLUMNS,
  REQUIRED_COLUMNS,
  STEP_FIELDS,
  stepColumnKey,
} from './project-import-csv.js';
import { planRow } from './project-import-row.js';
import type { RowReader } from './project-import-step.js';
import type { ImportedProject, ImportPlan, ImportProblem } from './project-import-types.js';

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
 * table: agents, codes taken). The rules of one row are in project-import-row.ts, of one step in
 * project-import-step.ts.
 */

/** Plans the import of a parsed CSV file (header first) onto a chain version; `today` is the local date. */
export function planImport(chain: Chain, rows: readonly string[][], today: string): ImportPlan {
  const problems: ImportProblem[] = [];
  const [header, ...body] = rows;
  const keys = (header ?? []).map(headerKey);
  const columnOf = new Map(keys.map((key, index) => [key, index]));
  const known = new Set<string>(PROJECT_COLUMNS.map(([key]) => key));
  for (const attribute of chain.attributes) known.add(attributeColumnKey(attribute.key));
  const steps = chain.stages.flatMap((stage, stageIndex) =>
    stage.steps.map((step) => ({ step, stageIndex })),
  );
  for (const { step } of steps) for (const [field] of STEP_FIELDS) known.add(stepColumnKey(step.id, field));
  keys.forEach((key, index) => {
    if (known.has(key) || key === '') return;
    const stepId = /^step\.([^.]+)\./.exec(key)?.[1];
    const attribute = /^attr\.(.+)$/.exec(key)?.[1];
    const knows = chain.attributes.map((a) => a.key).join(', ') || '—';
    problems.push({
      row: 1,
      column: key,
      cell: cellName(index, 1),
      code: stepId ? 'IMPORT.UNKNOWN_STEP' : 'IMPORT.UNKNOWN_COLUMN',
      message: stepId
        ? `未知步骤：流程 ${chain.id} 第 ${chain.version} 版没有步骤 ${stepId}`
        : attribute
          ? `未知项目属性：${attribute}（本流程的属性：${knows}）`
          : `未知列：${key}`,
      messageEn: stepId
        ? `unknown step: chain ${chain.id} version ${chain.version} has no step ${stepId}`
        : attribute
          ? `unknown project attribute: ${attribute} (this chain's: ${knows})`
          : `unknown column: ${key}`,
    });
  });
  for (const [key, label] of PROJECT_COLUMNS) {
    if (columnOf.has(key) || !REQUIRED_COLUMNS.has(key)) continue;
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
  const seen = new Map<string, number>();
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
      const earlier = seen.get(project.identity);
      if (earlier === undefined) seen.set(project.identity, rowNumber);
      else if (project.projectCode)
        reader.problem(
          'project_code',
          'IMPORT.DUPLICATE_CODE',
          `项目代码 ${project.projectCode} 与第 ${earlier} 行重复`,
          `project code ${project.projectCode} repeats row ${earlier}`,
        );
      else
        reader.problem(
          'name',
          'IMPORT.DUPLICATE_ROW',
          `与第 ${earlier} 行内容相同（同一企业、同一项目、同样的步骤）：同一项目只能导入一次`,
          `the same as row ${earlier} (the same enterprise, project and steps): a project is imported once`,
        );
    }
    problems.push(...rowProblems);
    if (project && rowProblems.length === 0) projects.push(project);
  });
  return { rows: count, projects, problems, columns: Object.fromEntries(columnOf) };
}
