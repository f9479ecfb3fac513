import { appliesTo } from './applicability.js';
import type { Chain, StepDefinition } from './chain.js';
import { creditCodeProblem } from './credit-code.js';
import { nationalCodeProblem } from './project-code.js';
import { rowAttributes } from './project-import-attributes.js';
import { stepColumnKey } from './project-import-csv.js';
import { importDate, planStep, type RowReader } from './project-import-step.js';
import type { ImportedProject, ImportedStep } from './project-import-types.js';
import { sha256Hex } from './stable-hash.js';

/**
 * One row of an import of projects in flight as a planned project (see project-import.ts): the project's own cells
 * (a national code, or none: one is generated at import), its attributes, its registration date, each step's cells,
 * and the orders between steps that cannot be (a stage begun before the one before it ended, a step begun or
 * decided before its prerequisite was decided).
 */

export type Located = { step: StepDefinition; stageIndex: number };

const passed = (s: ImportedStep | undefined) => s?.status === 'approved' || s?.status === 'not_applicable';

/** What a row without a national code is known by: a hash of what it says (the same row, the same project). */
export function rowIdentity(content: unknown): string {
  return `h-${sha256Hex(JSON.stringify(content)).slice(0, 32)}`;
}

/** The earliest date the row records (its steps' dates), if any. */
function earliestDate(steps: readonly ImportedStep[]): { date: string; stepId: string } | undefined {
  let earliest: { date: string; stepId: string } | undefined;
  for (const s of steps) {
    for (const date of [s.submitted, s.accepted, s.decided, s.document?.date, s.pause?.from]) {
      if (date && (!earliest || date < earliest.date)) earliest = { date, stepId: s.stepId };
    }
  }
  return earliest;
}

export function planRow(
  chain: Chain,
  steps: readonly Located[],
  r: RowReader,
  today: string,
): ImportedProject | undefined {
  const projectCode = r.cell('project_code').toUpperCase();
  const codeProblem = projectCode ? nationalCodeProblem(projectCode) : undefined;
  if (codeProblem) {
    r.problem(
      'project_code',
      'IMPORT.PROJECT_CODE',
      `项目代码无效（${codeProblem}）：须为全国投资项目在线审批监管平台赋予的项目代码；尚无代码的留空，导入时生成`,
      `invalid national project code (${codeProblem}): give the code the national platform issued, or leave it empty for one to be generated`,
    );
  } else if (projectCode && Number(projectCode.slice(0, 4)) > Number(today.slice(0, 4))) {
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
  const registeredCell = r.cell('registered_on');
  const registered = registeredCell ? importDate(registeredCell) : undefined;
  if (registeredCell && !registered)
    r.problem(
      'registered_on',
      'IMPORT.DATE',
      `登记日期“${registeredCell}”不是日期（YYYY-MM-DD）`,
      `registered on '${registeredCell}': not a date (YYYY-MM-DD)`,
    );
  else if (registered && registered > today)
    r.problem(
      'registered_on',
      'IMPORT.FUTURE_DATE',
      `登记日期 ${registered} 在今天（${today}）之后`,
      `registered on ${registered}, in the future (today is ${today})`,
    );
  const attributes = rowAttributes(chain, r);

  const planned = steps.map(({ step, stageIndex }) =>
    planStep(step, stageIndex, r, today, attributes ? appliesTo(step.applicability, attributes) : true),
  );
  const byId = new Map(planned.flatMap((s) => (s ? [[s.stepId, s] as const] : [])));
  const current = chain.stages.findIndex((_, i) =>
    steps.some((l) => l.stageIndex === i && !passed(byId.get(l.step.id))),
  );
  const currentStageIndex = current < 0 ? chain.stages.length : current;
  for (const { step, stageIndex } of steps) {
    const item = byId.get(step.id);
    if (!item || item.status === 'pending' || item.status === 'not_applicable') continue;
    if (stageIndex > currentStageIndex) {
      r.problem(
        stepColumnKey(step.id, 'status'),
        'IMPORT.STAGE_ORDER',
        `步骤 ${step.id} 属第 ${stageIndex + 1} 阶段，但第 ${currentStageIndex + 1} 阶段尚未办结`,
        `step ${step.id} is in stage ${stageIndex + 1} while stage ${currentStageIndex + 1} is not finished`,
      );
      continue;
    }
    checkPrerequisites(step, item, byId, steps, r);
  }
  const stepsPlanned = planned.filter((s): s is ImportedStep => s !== undefined);
  const earliest = earliestDate(stepsPlanned);
  if (registered && earliest && registered > earliest.date)
    r.problem(
      'registered_on',
      'IMPORT.ORDER',
      `登记日期 ${registered} 晚于步骤 ${earliest.stepId} 的日期 ${earliest.date}（项目登记后才办理审批）`,
      `registered on ${registered}, after step ${earliest.stepId}'s date ${earliest.date} (approvals follow registration)`,
    );
  if (planned.some((s) => s === undefined) || !attributes) return undefined;
  if (codeProblem || !creditCode || creditProblem) return undefined;
  if (registeredCell && !registered) return undefined;
  const completed = currentStageIndex >= chain.stages.length;
  const identity =
    projectCode ||
    rowIdentity({
      creditCode,
      name,
      enterpriseName,
      investmentCny,
      agentId,
      attributes,
      registered: registered ?? '',
      steps: stepsPlanned.filter((s) => s.status !== 'pending'),
    });
  return {
    row: r.row,
    ...(projectCode ? { projectCode } : {}),
    identity,
    name,
    enterpriseName,
    creditCode,
    investmentCny,
    attributes,
    agentId,
    registeredOn: registered ?? earliest?.date ?? today,
    steps: stepsPlanned,
    currentStageIndex,
    completed,
    status: completed
      ? 'completed'
      : stepsPlanned.some((s) => s.status === 'rejected')
        ? 'returned'
        : 'active',
  };
}

/**
 * A step begun (or decided) needs each prerequisite decided and passed before it: accepted no earlier than the
 * prerequisite's decision, decided no earlier either (the live system opens a step only once they have passed).
 */
function checkPrerequisites(
  step: StepDefinition,
  item: ImportedStep,
  byId: ReadonlyMap<string, ImportedStep>,
  steps: readonly Located[],
  r: RowReader,
): void {
  const key = stepColumnKey(step.id, 'status');
  for (const id of step.prerequisites) {
    const prerequisite = byId.get(id);
    // a prerequisite whose own cells are wrong is named there already
    if (!prerequisite && steps.some((l) => l.step.id === id)) continue;
    if (!passed(prerequisite)) {
      const rejected = prerequisite?.status === 'rejected';
      const begun = item.status === 'approved' || item.status === 'rejected' ? '办结' : '受理';
      r.problem(
        key,
        'IMPORT.PREREQUISITE_OPEN',
        `步骤 ${step.id} 已${begun}，但其前置步骤 ${id} ${rejected ? '不予许可' : '尚未办结'}`,
        `step ${step.id} is ${item.status} while its prerequisite ${id} ${rejected ? 'was rejected' : 'was not decided'}`,
      );
      continue;
    }
    const before = prerequisite?.decided;
    if (!before) continue;
    if (item.accepted && item.accepted < before) {
      const column = r.cell(stepColumnKey(step.id, 'accepted')) ? 'accepted' : 'submitted';
      r.problem(
        stepColumnKey(step.id, column),
        'IMPORT.PREREQUISITE_LATER',
        `步骤 ${step.id} 受理于 ${item.accepted}，早于其前置步骤 ${id} 的办结日期 ${before}（前置步骤办结后才能受理）`,
        `step ${step.id} was accepted on ${item.accepted}, before its prerequisite ${id} was decided (${before})`,
      );
    }
    if (item.decided && item.decided < before) {
      r.problem(
        stepColumnKey(step.id, 'decided'),
        'IMPORT.PREREQUISITE_LATER',
        `步骤 ${step.id} 办结于 ${item.decided}，早于其前置步骤 ${id} 的办结日期 ${before}`,
        `step ${step.id} was decided on ${item.decided}, before its prerequisite ${id} (${before})`,
      );
    }
  }
}
