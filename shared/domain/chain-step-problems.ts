import type { ApplicabilityRule } from './applicability-rule.js';
import type { AttributeDefinition, StepDefinition } from './chain.js';
import type { ProblemSink, StepNamer } from './chain-problem.js';

/**
 * The checks of one step the schema cannot make: reserved ids, its kind (approval or milestone), its department
 * and limits, its policy (容缺, 告知承诺), its joint-review parts, and the rules it reads attributes with. Each
 * problem in English (the API's) and in Chinese naming the step.
 */

/** Part ids that would collide with generated state names. */
export const RESERVED_PART_IDS: readonly string[] = ['gate', 'failed', 'check'];

/** State names the generated state machine uses itself; a step id must not collide with them. */
export const RESERVED_STATE_NAMES: readonly string[] = [
  'Route',
  'StageCompleted',
  'ProjectReturned',
  'StepTaskFailed',
  'UnknownStage',
];
/** Suffixes of generated per-step state names (`<step>-gate`, `<step>-failed`). */
export const RESERVED_SUFFIXES: readonly string[] = ['-gate', '-failed'];

export function stepIdProblems(step: StepDefinition, stageIds: ReadonlySet<string>, add: ProblemSink): void {
  const suffix = RESERVED_SUFFIXES.find((s) => step.id.endsWith(s));
  if (suffix !== undefined) {
    add(
      `step id '${step.id}' ends in '${suffix}', which is reserved for generated state names`,
      `步骤编号“${step.id}”以“${suffix}”结尾，该后缀留给系统生成的状态名`,
    );
  }
  if (RESERVED_STATE_NAMES.includes(step.id)) {
    add(
      `step id '${step.id}' is reserved for a generated state name`,
      `步骤编号“${step.id}”是系统保留的状态名`,
    );
  }
  if (stageIds.has(step.id)) {
    add(
      `step id '${step.id}' is also a stage id; state names must be unique`,
      `步骤编号“${step.id}”与某个阶段编号相同；状态名必须唯一`,
    );
  }
}

/** 容缺 and 告知承诺: a deferrable material needs a policy that accepts one missing; a commitment names the step's materials. */
function policyProblems(step: StepDefinition, add: ProblemSink, zhStep: StepNamer): void {
  const who = zhStep(step.id);
  const deferrable = step.materials.filter((m) => m.deferrable).map((m) => m.id);
  if (deferrable.length > 0 && !step.policy.acceptWithMinorMissing) {
    add(
      `step ${step.id} marks ${deferrable.join(', ')} deferrable, but its policy does not accept a submission with a minor material missing (acceptWithMinorMissing)`,
      `${who}把材料 ${deferrable.join('、')} 标为可容缺，但其办理规则不接受容缺受理（acceptWithMinorMissing）`,
    );
  }
  const commitment = step.policy.commitment;
  if (!commitment) return;
  if (step.kind === 'milestone' || step.parts) {
    add(
      `step ${step.id}: only a single department's approval step can be approved on a commitment`,
      `${who}：只有单一部门审批的步骤才能实行告知承诺制`,
    );
  }
  const listed = new Set(step.materials.map((m) => m.id));
  const unknown = commitment.materials.filter((id) => !listed.has(id));
  if (unknown.length > 0) {
    add(
      `step ${step.id}: its commitment stands for material(s) it does not list: ${unknown.join(', ')}`,
      `${who}：告知承诺所代替的材料不在本步骤的材料清单中：${unknown.join('、')}`,
    );
  }
}

export function stepKindProblems(
  step: StepDefinition,
  departmentIds: ReadonlySet<string>,
  add: ProblemSink,
  zhStep: StepNamer,
): void {
  policyProblems(step, add, zhStep);
  const who = zhStep(step.id);
  if (step.kind === 'milestone') {
    if (step.heldBy) {
      add(
        `step ${step.id} is a milestone and is held by no department (heldBy)`,
        `${who}是节点（milestone），不由任何部门办理，不能设 heldBy`,
      );
    }
    if (step.departmentId !== null) {
      add(
        `step ${step.id} is a milestone and must have no department (departmentId null)`,
        `${who}是节点（milestone），不能有办理部门（departmentId 应为 null）`,
      );
    }
    if (step.promisedDays !== null || step.legalDays !== null) {
      add(
        `step ${step.id} is a milestone and must have no limits (promisedDays and legalDays null)`,
        `${who}是节点（milestone），不能有时限（promisedDays 和 legalDays 应为 null）`,
      );
    }
    return;
  }
  if (step.departmentId === null) {
    add(`step ${step.id} is an approval step and needs a department`, `${who}是审批事项，需要办理部门`);
  } else if (!departmentIds.has(step.departmentId)) {
    add(
      `step ${step.id} names unknown department '${step.departmentId}'`,
      `${who}的办理部门“${step.departmentId}”不存在`,
    );
  }
  for (const held of step.heldBy ?? []) {
    if (!departmentIds.has(held.departmentId)) {
      add(
        `step ${step.id} is held by unknown department '${held.departmentId}' (heldBy)`,
        `${who}的 heldBy 部门“${held.departmentId}”不存在`,
      );
    }
  }
  if (step.heldBy && step.parts) {
    add(
      `step ${step.id} is a joint review: its parts name their departments, so it takes no heldBy`,
      `${who}是联合审查，各部分已指定部门，不能设 heldBy`,
    );
  }
  if (step.promisedDays === null || step.legalDays === null) {
    add(
      `step ${step.id} is an approval step and needs both promisedDays and legalDays`,
      `${who}是审批事项，需要承诺时限（promisedDays）和法定时限（legalDays）`,
    );
  } else if (step.legalDays < step.promisedDays) {
    add(
      `step ${step.id}: the legal limit (${step.legalDays} working days) is shorter than the promised limit ` +
        `(${step.promisedDays})`,
      `${who}：法定时限（${step.legalDays} 个工作日）短于承诺时限（${step.promisedDays} 个工作日）`,
    );
  }
}

/** A joint review needs at least two parts, each with a known department and sound limits within the step's. */
export function partProblems(
  step: StepDefinition,
  departmentIds: ReadonlySet<string>,
  add: ProblemSink,
  zhStep: StepNamer,
): void {
  if (step.parts === undefined) return;
  const who = zhStep(step.id);
  if (step.kind === 'milestone') {
    add(
      `step ${step.id} is a milestone and cannot be a joint review`,
      `${who}是节点（milestone），不能是联合审查`,
    );
    return;
  }
  if (step.parts.length < 2) {
    add(
      `step ${step.id} is a joint review with ${step.parts.length} part(s); it needs at least 2`,
      `${who}是联合审查，只有 ${step.parts.length} 个部分；至少需要 2 个`,
    );
  }
  const seen = new Set<string>();
  for (const part of step.parts) {
    const where = `step ${step.id} part ${part.id}`;
    const zh = `${who}的部分“${part.id}”`;
    if (seen.has(part.id)) add(`${where} is listed more than once`, `${zh}重复列出`);
    seen.add(part.id);
    if (RESERVED_PART_IDS.includes(part.id)) {
      add(
        `${where}: '${part.id}' is reserved for generated state names`,
        `${zh}：该编号留给系统生成的状态名`,
      );
    }
    if (!departmentIds.has(part.departmentId)) {
      add(
        `${where} names unknown department '${part.departmentId}'`,
        `${zh}的部门“${part.departmentId}”不存在`,
      );
    }
    if (part.legalDays < part.promisedDays) {
      add(
        `${where}: the legal limit (${part.legalDays} working days) is shorter than the promised limit ` +
          `(${part.promisedDays})`,
        `${zh}：法定时限（${part.legalDays} 个工作日）短于承诺时限（${part.promisedDays} 个工作日）`,
      );
    }
    if (step.promisedDays !== null && part.promisedDays > step.promisedDays) {
      add(
        `${where}: its promised limit (${part.promisedDays}) is longer than the joint review's (${step.promisedDays})`,
        `${zh}：承诺时限（${part.promisedDays}）长于联合审查的承诺时限（${step.promisedDays}）`,
      );
    }
    if (step.legalDays !== null && part.legalDays > step.legalDays) {
      add(
        `${where}: its legal limit (${part.legalDays}) is longer than the joint review's (${step.legalDays})`,
        `${zh}：法定时限（${part.legalDays}）长于联合审查的法定时限（${step.legalDays}）`,
      );
    }
  }
}

/** `where` names the rule in English and Chinese (e.g. `step 7 applicability` / 步骤 7 的适用条件). */
export function ruleProblems(
  rule: ApplicabilityRule,
  where: { en: string; zh: string },
  attributes: ReadonlyMap<string, AttributeDefinition>,
  add: ProblemSink,
): void {
  if ('all' in rule) {
    for (const r of rule.all) ruleProblems(r, where, attributes, add);
    return;
  }
  if ('any' in rule) {
    for (const r of rule.any) ruleProblems(r, where, attributes, add);
    return;
  }
  if ('not' in rule) {
    ruleProblems(rule.not, where, attributes, add);
    return;
  }
  const attribute = attributes.get(rule.attribute);
  if (attribute === undefined) {
    const declared = attributes.size > 0 ? [...attributes.keys()].join(', ') : 'none';
    add(
      `${where.en} reads undeclared attribute '${rule.attribute}' (declared: ${declared})`,
      `${where.zh}读取了未声明的项目属性“${rule.attribute}”（已声明：${attributes.size > 0 ? [...attributes.keys()].join('、') : '无'}）`,
    );
    return;
  }
  const named = `${attribute.type} attribute '${attribute.key}'`;
  const compared = (value: unknown): void => {
    if (typeof value !== attribute.type) {
      add(
        `${where.en} compares ${named} with a ${typeof value} (${JSON.stringify(value)})`,
        `${where.zh}把 ${attribute.type} 类型的属性“${attribute.key}”与 ${typeof value} 值 ${JSON.stringify(value)} 比较`,
      );
    }
  };
  if ('equals' in rule) compared(rule.equals);
  else if ('in' in rule) {
    if (attribute.type === 'boolean') {
      add(
        `${where.en} uses 'in' on ${named}; use 'equals'`,
        `${where.zh}对布尔属性“${attribute.key}”使用了 in；请用 equals`,
      );
    } else for (const value of rule.in) compared(value);
  } else {
    const operator = 'atLeast' in rule ? 'atLeast' : 'below';
    if (attribute.type !== 'number') {
      add(
        `${where.en} uses '${operator}' on ${named}, which is not a number`,
        `${where.zh}对非数值属性“${attribute.key}”使用了 ${operator}`,
      );
    }
  }
}
