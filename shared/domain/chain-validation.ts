import type { AttributeDefinition, Chain } from './chain.js';
import { ChainSchema } from './chain.js';
import { cycleProblems } from './chain-cycles.js';
import { itemCountOf } from './chain-graph.js';
import { type ChainProblem, type ProblemSink, stepNamer, zhPath } from './chain-problem.js';
import {
  partProblems,
  RESERVED_SUFFIXES,
  ruleProblems,
  stepIdProblems,
  stepKindProblems,
} from './chain-step-problems.js';
import type { Department } from './department.js';
import { InvalidInputError } from './errors.js';

export type { ChainProblem } from './chain-problem.js';
export { RESERVED_STATE_NAMES, RESERVED_SUFFIXES } from './chain-step-problems.js';

/**
 * The local engine (aws-local-stepfunctions) runs at most 40 branches of a `Parallel` at once; a stage is one
 * flat `Parallel`, and a gated branch that never gets a slot would wait forever.
 */
export const MAX_STEPS_PER_STAGE = 40;

/**
 * A DynamoDB transaction holds at most 100 items. A project's registration writes none of its steps and parts (each
 * is derived from the chain until first changed); the first stage's task handlers create those they open, and the
 * move to each later stage writes that stage's (see initial-items.ts). The cap stays on the whole chain, not a
 * stage: some transactions change items of two stages at once (a re-application unblocks its own stage's steps and
 * the current stage's), and a cap on the chain keeps every transaction of a project inside the limit.
 */
export const MAX_ITEMS_PER_CHAIN = 90;

/** A chain read from an author's input: the chain when the schema holds, and every problem (English and Chinese). */
export type ChainCheck = { chain?: Chain; problems: ChainProblem[] };

/**
 * Parses an approval chain and lists every problem without throwing (the preview's use): the schema's first, and
 * when the schema holds, everything it cannot check.
 */
export function checkChain(input: unknown, departments: readonly Department[]): ChainCheck {
  const parsed = ChainSchema.safeParse(input);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => {
        const path = issue.path.map((p) => String(p)).join('.');
        return {
          en: `${path === '' ? '(chain)' : path}: ${issue.message}`,
          zh: `${zhPath(issue.path)}：${issue.message}`,
        };
      }),
    };
  }
  return { chain: parsed.data, problems: chainProblemList(parsed.data, departments) };
}

/**
 * Parses an approval chain and checks everything the schema cannot: ids, departments, limits, prerequisites
 * (unknown, later stage, cycles 互为前置), stage size and applicability rules. All problems are collected and
 * thrown as one `InvalidInputError('CHAIN.INVALID')` whose message lists the first of them (up to ten), and how many more
 * (`details.problems` holds the whole list in English, `details.problemsZh` in Chinese naming the steps).
 */
export function validateChain(input: unknown, departments: readonly Department[]): Chain {
  const { chain, problems } = checkChain(input, departments);
  if (chain === undefined) throw invalidChain(describeInput(input), problems);
  if (problems.length > 0) throw invalidChain(`chain ${chain.id}@${chain.version}`, problems);
  return chain;
}

/** Every problem of a parsed chain in English, in a stable order; empty when the chain is sound. */
export function chainProblems(chain: Chain, departments: readonly Department[]): string[] {
  return chainProblemList(chain, departments).map((p) => p.en);
}

/** Every problem of a parsed chain, in English and in Chinese naming the steps, in a stable order. */
export function chainProblemList(chain: Chain, departments: readonly Department[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const add: ProblemSink = (en, zh) => problems.push({ en, zh });
  const zhStep = stepNamer(chain);
  const departmentIds = new Set(departments.map((d) => d.id));
  const attributes = attributeProblems(chain, add);

  const items = itemCountOf(chain);
  if (items > MAX_ITEMS_PER_CHAIN) {
    add(
      `the chain has ${items} steps and joint-review parts; at most ${MAX_ITEMS_PER_CHAIN} are allowed ` +
        "(so that every transaction of a project fits in DynamoDB's 100 items): split it into two chains",
      `流程共有 ${items} 个步骤和联合审查部分，最多允许 ${MAX_ITEMS_PER_CHAIN} 个（一个项目的每次事务须在 DynamoDB 的 100 项以内）：请拆成两个流程`,
    );
  }

  const stageIds = new Set<string>();
  for (const [stageIndex, stage] of chain.stages.entries()) {
    const zhStage = `第${stageIndex + 1}阶段（${stage.id}）`;
    if (stageIds.has(stage.id)) {
      add(`stage id '${stage.id}' is used by more than one stage`, `阶段编号“${stage.id}”被多个阶段使用`);
    }
    stageIds.add(stage.id);
    const suffix = RESERVED_SUFFIXES.find((s) => stage.id.endsWith(s));
    if (suffix !== undefined) {
      add(
        `stage id '${stage.id}' ends in '${suffix}', which is reserved for generated state names`,
        `阶段编号“${stage.id}”以“${suffix}”结尾，该后缀留给系统生成的状态名`,
      );
    }
    if (!departmentIds.has(stage.leadDepartmentId)) {
      add(
        `stage ${stage.id} has unknown lead department '${stage.leadDepartmentId}'`,
        `${zhStage}的牵头部门“${stage.leadDepartmentId}”不存在`,
      );
    }
    if (stage.steps.length > MAX_STEPS_PER_STAGE) {
      add(
        `stage ${stage.id} has ${stage.steps.length} steps; at most ${MAX_STEPS_PER_STAGE} are allowed per stage ` +
          `(the local engine runs at most ${MAX_STEPS_PER_STAGE} Parallel branches at once, so a gated step ` +
          'beyond that could wait forever): split the stage',
        `${zhStage}有 ${stage.steps.length} 个步骤，每个阶段最多 ${MAX_STEPS_PER_STAGE} 个：请拆分该阶段`,
      );
    }
  }

  // Where each step id sits (first occurrence wins for the prerequisite checks).
  const stageOfStep = new Map<string, number>();
  const stagesOfStep = new Map<string, string[]>();
  for (const [stageIndex, stage] of chain.stages.entries()) {
    for (const step of stage.steps) {
      if (!stageOfStep.has(step.id)) stageOfStep.set(step.id, stageIndex);
      stagesOfStep.set(step.id, [...(stagesOfStep.get(step.id) ?? []), stage.id]);
    }
  }
  for (const [stepId, stages] of stagesOfStep) {
    if (stages.length > 1) {
      add(
        `step id '${stepId}' is used ${stages.length} times (${stages.join(', ')})`,
        `步骤编号“${stepId}”被使用了 ${stages.length} 次（${stages.join('、')}）`,
      );
    }
  }

  for (const [stageIndex, stage] of chain.stages.entries()) {
    for (const step of stage.steps) {
      const who = zhStep(step.id);
      stepIdProblems(step, stageIds, add);
      stepKindProblems(step, departmentIds, add, zhStep);
      partProblems(step, departmentIds, add, zhStep);
      for (const part of step.parts ?? []) {
        if (part.applicability !== undefined) {
          const where = {
            en: `step ${step.id} part ${part.id} applicability`,
            zh: `${who}部分“${part.id}”的适用条件`,
          };
          ruleProblems(part.applicability, where, attributes, add);
        }
      }
      const seen = new Set<string>();
      for (const prerequisite of step.prerequisites) {
        if (seen.has(prerequisite)) {
          add(
            `step ${step.id} lists step ${prerequisite} as a prerequisite more than once`,
            `${who}重复列出前置步骤 ${prerequisite}`,
          );
          continue;
        }
        seen.add(prerequisite);
        if (prerequisite === step.id) {
          add(`step ${step.id} needs itself`, `${who}以自身为前置`);
          continue;
        }
        const prerequisiteStage = stageOfStep.get(prerequisite);
        if (prerequisiteStage === undefined) {
          add(
            `step ${step.id} needs unknown step ${prerequisite}`,
            `${who}的前置步骤 ${prerequisite} 不存在`,
          );
        } else if (prerequisiteStage > stageIndex) {
          const later = chain.stages[prerequisiteStage]?.id ?? String(prerequisiteStage);
          add(
            `step ${step.id} (${stage.id}) needs step ${prerequisite} from a later stage (${later}); ` +
              'stages run in order',
            `${who}（第${stageIndex + 1}阶段）以后面第${prerequisiteStage + 1}阶段的${zhStep(prerequisite)}为前置；阶段按顺序进行`,
          );
        }
      }
      if (step.applicability !== undefined) {
        const where = { en: `step ${step.id} applicability`, zh: `${who}的适用条件` };
        ruleProblems(step.applicability, where, attributes, add);
      }
    }
    cycleProblems(stage, add, zhStep);
  }
  return problems;
}

/**
 * What a message lists: problems in order, at most ten and about 1,500 characters of them (a chain of wrong kinds
 * can have thousands), then how many more.
 */
const MAX_PROBLEMS_LISTED = 10;
const MAX_LISTED_CHARS = 1500;

function invalidChain(label: string, problems: ChainProblem[]): InvalidInputError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const listed: string[] = [];
  let chars = 0;
  for (const problem of problems.slice(0, MAX_PROBLEMS_LISTED)) {
    const line = `- ${problem.en}`;
    if (listed.length > 0 && chars + line.length > MAX_LISTED_CHARS) break;
    listed.push(line.slice(0, MAX_LISTED_CHARS));
    chars += line.length;
  }
  const more = problems.length - listed.length;
  return new InvalidInputError(
    'CHAIN.INVALID',
    `${label} is invalid (${count}):\n${listed.join('\n')}${more > 0 ? `\n- and ${more} more` : ''}`,
    { problems: problems.map((p) => p.en), problemsZh: problems.map((p) => p.zh) },
  );
}

function describeInput(input: unknown): string {
  if (typeof input === 'object' && input !== null) {
    const { id, version } = input as { id?: unknown; version?: unknown };
    if (typeof id === 'string') return typeof version === 'number' ? `chain ${id}@${version}` : `chain ${id}`;
  }
  return 'chain';
}

function attributeProblems(chain: Chain, add: ProblemSink): Map<string, AttributeDefinition> {
  const attributes = new Map<string, AttributeDefinition>();
  for (const attribute of chain.attributes) {
    if (attributes.has(attribute.key)) {
      add(`attribute '${attribute.key}' is declared more than once`, `项目属性“${attribute.key}”重复声明`);
    } else attributes.set(attribute.key, attribute);
    if (typeof attribute.default !== attribute.type) {
      add(
        `attribute '${attribute.key}' is a ${attribute.type} but its default ${JSON.stringify(attribute.default)} ` +
          `is a ${typeof attribute.default}`,
        `项目属性“${attribute.key}”的类型是 ${attribute.type}，但默认值 ${JSON.stringify(attribute.default)} 是 ${typeof attribute.default}`,
      );
    }
  }
  return attributes;
}
