import type { ApplicabilityRule } from './applicability-rule.js';
import {
  type AttributeDefinition,
  type Chain,
  ChainSchema,
  type Stage,
  type StepDefinition,
} from './chain.js';
import { itemCountOf } from './chain-graph.js';
import type { Department } from './department.js';
import { InvalidInputError } from './errors.js';

/**
 * The local engine (aws-local-stepfunctions) runs at most 40 branches of a `Parallel` at once; a stage is one
 * flat `Parallel`, and a gated branch that never gets a slot would wait forever.
 */
export const MAX_STEPS_PER_STAGE = 40;

/**
 * A DynamoDB transaction holds at most 100 items. A project's registration writes its first stage's steps and
 * joint-review parts with the project, its code, the first event, the agent assignment and the outbox; the move to
 * each later stage writes that stage's (see initial-items.ts). The cap stays on the whole chain, not a stage: some
 * transactions change items of two stages at once (a re-application unblocks its own stage's steps and the current
 * stage's), and a cap on the chain keeps every transaction of a project inside the limit.
 */
export const MAX_ITEMS_PER_CHAIN = 90;

/** Part ids that would collide with generated state names. */
const RESERVED_PART_IDS: readonly string[] = ['gate', 'failed', 'check'];

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

/** Stop listing cycles of one stage after this many (the rest are summarised). */
const MAX_CYCLES_LISTED = 20;
const CYCLE_SEARCH_BUDGET = 50_000;

/**
 * Parses an approval chain and checks everything the schema cannot: ids, departments, limits, prerequisites
 * (unknown, later stage, cycles 互为前置), stage size and applicability rules. All problems are collected and
 * thrown as one `InvalidInputError('CHAIN.INVALID')` whose message lists the first of them (up to ten), and how many more
 * (`details.problems` holds the whole list).
 */
export function validateChain(input: unknown, departments: readonly Department[]): Chain {
  const parsed = ChainSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.map((p) => String(p)).join('.');
      return `${path === '' ? '(chain)' : path}: ${issue.message}`;
    });
    throw invalidChain(describeInput(input), problems);
  }
  const chain = parsed.data;
  const problems = chainProblems(chain, departments);
  if (problems.length > 0) throw invalidChain(`chain ${chain.id}@${chain.version}`, problems);
  return chain;
}

/** Every problem of a parsed chain, in a stable order; empty when the chain is sound. */
export function chainProblems(chain: Chain, departments: readonly Department[]): string[] {
  const problems: string[] = [];
  const departmentIds = new Set(departments.map((d) => d.id));
  const attributes = attributeProblems(chain, problems);

  const items = itemCountOf(chain);
  if (items > MAX_ITEMS_PER_CHAIN) {
    problems.push(
      `the chain has ${items} steps and joint-review parts; at most ${MAX_ITEMS_PER_CHAIN} are allowed ` +
        "(so that every transaction of a project fits in DynamoDB's 100 items): split it into two chains",
    );
  }

  const stageIds = new Set<string>();
  for (const stage of chain.stages) {
    if (stageIds.has(stage.id)) problems.push(`stage id '${stage.id}' is used by more than one stage`);
    stageIds.add(stage.id);
    const suffix = RESERVED_SUFFIXES.find((s) => stage.id.endsWith(s));
    if (suffix !== undefined) {
      problems.push(
        `stage id '${stage.id}' ends in '${suffix}', which is reserved for generated state names`,
      );
    }
    if (!departmentIds.has(stage.leadDepartmentId)) {
      problems.push(`stage ${stage.id} has unknown lead department '${stage.leadDepartmentId}'`);
    }
    if (stage.steps.length > MAX_STEPS_PER_STAGE) {
      problems.push(
        `stage ${stage.id} has ${stage.steps.length} steps; at most ${MAX_STEPS_PER_STAGE} are allowed per stage ` +
          `(the local engine runs at most ${MAX_STEPS_PER_STAGE} Parallel branches at once, so a gated step ` +
          'beyond that could wait forever): split the stage',
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
    if (stages.length > 1)
      problems.push(`step id '${stepId}' is used ${stages.length} times (${stages.join(', ')})`);
  }

  for (const [stageIndex, stage] of chain.stages.entries()) {
    for (const step of stage.steps) {
      stepIdProblems(step, stageIds, problems);
      stepKindProblems(step, departmentIds, problems);
      partProblems(step, departmentIds, problems);
      for (const part of step.parts ?? []) {
        if (part.applicability !== undefined) {
          ruleProblems(
            part.applicability,
            `step ${step.id} part ${part.id} applicability`,
            attributes,
            problems,
          );
        }
      }
      const seen = new Set<string>();
      for (const prerequisite of step.prerequisites) {
        if (seen.has(prerequisite)) {
          problems.push(`step ${step.id} lists step ${prerequisite} as a prerequisite more than once`);
          continue;
        }
        seen.add(prerequisite);
        if (prerequisite === step.id) {
          problems.push(`step ${step.id} needs itself`);
          continue;
        }
        const prerequisiteStage = stageOfStep.get(prerequisite);
        if (prerequisiteStage === undefined) {
          problems.push(`step ${step.id} needs unknown step ${prerequisite}`);
        } else if (prerequisiteStage > stageIndex) {
          const later = chain.stages[prerequisiteStage]?.id ?? String(prerequisiteStage);
          problems.push(
            `step ${step.id} (${stage.id}) needs step ${prerequisite} from a later stage (${later}); ` +
              'stages run in order',
          );
        }
      }
      if (step.applicability !== undefined) {
        ruleProblems(step.applicability, `step ${step.id} applicability`, attributes, problems);
      }
    }
    problems.push(...cycleProblems(stage));
  }
  return problems;
}

/**
 * What a message lists: problems in order, at most ten and about 1,500 characters of them (a chain of wrong kinds
 * can have thousands), then how many more.
 */
const MAX_PROBLEMS_LISTED = 10;
const MAX_LISTED_CHARS = 1500;

function invalidChain(label: string, problems: string[]): InvalidInputError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const listed: string[] = [];
  let chars = 0;
  for (const problem of problems.slice(0, MAX_PROBLEMS_LISTED)) {
    const line = `- ${problem}`;
    if (listed.length > 0 && chars + line.length > MAX_LISTED_CHARS) break;
    listed.push(line.slice(0, MAX_LISTED_CHARS));
    chars += line.length;
  }
  const more = problems.length - listed.length;
  return new InvalidInputError(
    'CHAIN.INVALID',
    `${label} is invalid (${count}):\n${listed.join('\n')}${more > 0 ? `\n- and ${more} more` : ''}`,
    { problems },
  );
}

function describeInput(input: unknown): string {
  if (typeof input === 'object' && input !== null) {
    const { id, version } = input as { id?: unknown; version?: unknown };
    if (typeof id === 'string') return typeof version === 'number' ? `chain ${id}@${version}` : `chain ${id}`;
  }
  return 'chain';
}

function attributeProblems(chain: Chain, problems: string[]): Map<string, AttributeDefinition> {
  const attributes = new Map<string, AttributeDefinition>();
  for (const attribute of chain.attributes) {
    if (attributes.has(attribute.key))
      problems.push(`attribute '${attribute.key}' is declared more than once`);
    else attributes.set(attribute.key, attribute);
    if (typeof attribute.default !== attribute.type) {
      problems.push(
        `attribute '${attribute.key}' is a ${attribute.type} but its default ${JSON.stringify(attribute.default)} ` +
          `is a ${typeof attribute.default}`,
      );
    }
  }
  return attributes;
}

function stepIdProblems(step: StepDefinition, stageIds: ReadonlySet<string>, problems: string[]): void {
  const suffix = RESERVED_SUFFIXES.find((s) => step.id.endsWith(s));
  if (suffix !== undefined) {
    problems.push(`step id '${step.id}' ends in '${suffix}', which is reserved for generated state names`);
  }
  if (RESERVED_STATE_NAMES.includes(step.id)) {
    problems.push(`step id '${step.id}' is reserved for a generated state name`);
  }
  if (stageIds.has(step.id)) {
    problems.push(`step id '${step.id}' is also a stage id; state names must be unique`);
  }
}

/** 容缺 and 告知承诺: a deferrable material needs a policy that accepts one missing; a commitment names the step's materials. */
function policyProblems(step: StepDefinition, problems: string[]): void {
  const deferrable = step.materials.filter((m) => m.deferrable).map((m) => m.id);
  if (deferrable.length > 0 && !step.policy.acceptWithMinorMissing) {
    problems.push(
      `step ${step.id} marks ${deferrable.join(', ')} deferrable, but its policy does not accept a submission with a minor material missing (acceptWithMinorMissing)`,
    );
  }
  const commitment = step.policy.commitment;
  if (!commitment) return;
  if (step.kind === 'milestone' || step.parts) {
    problems.push(
      `step ${step.id}: only a single department's approval step can be approved on a commitment`,
    );
  }
  const listed = new Set(step.materials.map((m) => m.id));
  const unknown = commitment.materials.filter((id) => !listed.has(id));
  if (unknown.length > 0) {
    problems.push(
      `step ${step.id}: its commitment stands for material(s) it does not list: ${unknown.join(', ')}`,
    );
  }
}

function stepKindProblems(
  step: StepDefinition,
  departmentIds: ReadonlySet<string>,
  problems: string[],
): void {
  policyProblems(step, problems);
  if (step.kind === 'milestone') {
    if (step.heldBy) problems.push(`step ${step.id} is a milestone and is held by no department (heldBy)`);
    if (step.departmentId !== null) {
      problems.push(`step ${step.id} is a milestone and must have no department (departmentId null)`);
    }
    if (step.promisedDays !== null || step.legalDays !== null) {
      problems.push(
        `step ${step.id} is a milestone and must have no limits (promisedDays and legalDays null)`,
      );
    }
    return;
  }
  if (step.departmentId === null) {
    problems.push(`step ${step.id} is an approval step and needs a department`);
  } else if (!departmentIds.has(step.departmentId)) {
    problems.push(`step ${step.id} names unknown department '${step.departmentId}'`);
  }
  for (const held of step.heldBy ?? []) {
    if (!departmentIds.has(held.departmentId)) {
      problems.push(`step ${step.id} is held by unknown department '${held.departmentId}' (heldBy)`);
    }
  }
  if (step.heldBy && step.parts) {
    problems.push(
      `step ${step.id} is a joint review: its parts name their departments, so it takes no heldBy`,
    );
  }
  if (step.promisedDays === null || step.legalDays === null) {
    problems.push(`step ${step.id} is an approval step and needs both promisedDays and legalDays`);
  } else if (step.legalDays < step.promisedDays) {
    problems.push(
      `step ${step.id}: the legal limit (${step.legalDays} working days) is shorter than the promised limit ` +
        `(${step.promisedDays})`,
    );
  }
}

/** A joint review needs at least two parts, each with a known department and sound limits within the step's. */
function partProblems(step: StepDefinition, departmentIds: ReadonlySet<string>, problems: string[]): void {
  if (step.parts === undefined) return;
  if (step.kind === 'milestone') {
    problems.push(`step ${step.id} is a milestone and cannot be a joint review`);
    return;
  }
  if (step.parts.length < 2) {
    problems.push(`step ${step.id} is a joint review with ${step.parts.length} part(s); it needs at least 2`);
  }
  const seen = new Set<string>();
  for (const part of step.parts) {
    const where = `step ${step.id} part ${part.id}`;
    if (seen.has(part.id)) problems.push(`${where} is listed more than once`);
    seen.add(part.id);
    if (RESERVED_PART_IDS.includes(part.id)) {
      problems.push(`${where}: '${part.id}' is reserved for generated state names`);
    }
    if (!departmentIds.has(part.departmentId)) {
      problems.push(`${where} names unknown department '${part.departmentId}'`);
    }
    if (part.legalDays < part.promisedDays) {
      problems.push(
        `${where}: the legal limit (${part.legalDays} working days) is shorter than the promised limit ` +
          `(${part.promisedDays})`,
      );
    }
    if (step.promisedDays !== null && part.promisedDays > step.promisedDays) {
      problems.push(
        `${where}: its promised limit (${part.promisedDays}) is longer than the joint review's (${step.promisedDays})`,
      );
    }
    if (step.legalDays !== null && part.legalDays > step.legalDays) {
      problems.push(
        `${where}: its legal limit (${part.legalDays}) is longer than the joint review's (${step.legalDays})`,
      );
    }
  }
}

function ruleProblems(
  rule: ApplicabilityRule,
  where: string,
  attributes: ReadonlyMap<string, AttributeDefinition>,
  problems: string[],
): void {
  if ('all' in rule) {
    for (const r of rule.all) ruleProblems(r, where, attributes, problems);
    return;
  }
  if ('any' in rule) {
    for (const r of rule.any) ruleProblems(r, where, attributes, problems);
    return;
  }
  if ('not' in rule) {
    ruleProblems(rule.not, where, attributes, problems);
    return;
  }
  const attribute = attributes.get(rule.attribute);
  if (attribute === undefined) {
    const declared = attributes.size > 0 ? [...attributes.keys()].join(', ') : 'none';
    problems.push(`${where} reads undeclared attribute '${rule.attribute}' (declared: ${declared})`);
    return;
  }
  const named = `${attribute.type} attribute '${attribute.key}'`;
  const compared = (value: unknown): void => {
    if (typeof value !== attribute.type) {
      problems.push(`${where} compares ${named} with a ${typeof value} (${JSON.stringify(value)})`);
    }
  };
  if ('equals' in rule) compared(rule.equals);
  else if ('in' in rule) {
    if (attribute.type === 'boolean') problems.push(`${where} uses 'in' on ${named}; use 'equals'`);
    else for (const value of rule.in) compared(value);
  } else {
    const operator = 'atLeast' in rule ? 'atLeast' : 'below';
    if (attribute.type !== 'number')
      problems.push(`${where} uses '${operator}' on ${named}, which is not a number`);
  }
}

/**
 * Prerequisite cycles (互为前置) inside one stage, each named once. Arrows follow the flow: `a → b` means b
 * needs a. A cycle starts at its step that comes first in the stage.
 */
function cycleProblems(stage: Stage): string[] {
  const ids = stage.steps.map((s) => s.id);
  const index = new Map<string, number>();
  for (const [i, id] of ids.entries()) if (!index.has(id)) index.set(id, i);
  // next[a] = the steps of this stage that need a (flow edges), in stage order, without self loops.
  const next: number[][] = ids.map(() => []);
  for (const [i, step] of stage.steps.entries()) {
    if (index.get(step.id) !== i) continue; // duplicate id, reported elsewhere
    for (const prerequisite of new Set(step.prerequisites)) {
      const from = index.get(prerequisite);
      if (from !== undefined && from !== i) next[from]?.push(i);
    }
  }
  for (const list of next) list.sort((a, b) => a - b);

  const problems: string[] = [];
  for (const component of stronglyConnectedComponents(next)) {
    if (component.length < 2) continue;
    const members = new Set(component);
    const { cycles, complete } = elementaryCycles(next, members);
    for (const cycle of cycles) problems.push(`互为前置: ${formatCycle(cycle.map((i) => ids[i] ?? '?'))}`);
    if (!complete) {
      const names = [...members]
        .sort((a, b) => a - b)
        .map((i) => `step ${ids[i]}`)
        .join(', ');
      problems.push(`互为前置 among ${names} (further cycles not listed)`);
    }
  }
  return problems;
}

function formatCycle(steps: string[]): string {
  if (steps.length === 2) return `step ${steps[0]} ↔ step ${steps[1]}`;
  return [...steps, steps[0]].map((s) => `step ${s}`).join(' → ');
}

/** Tarjan's algorithm; components in order of their smallest node. */
function stronglyConnectedComponents(next: readonly number[][]): number[][] {
  const order: number[] = new Array(next.length).fill(-1);
  const low: number[] = new Array(next.length).fill(0);
  const onStack: boolean[] = new Array(next.length).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;

  const visit = (v: number): void => {
    order[v] = counter;
    low[v] = counter;
    counter += 1;
    stack.push(v);
    onStack[v] = true;
    for (const w of next[v] ?? []) {
      if (order[w] === -1) {
        visit(w);
        low[v] = Math.min(low[v] ?? 0, low[w] ?? 0);
      } else if (onStack[w]) {
        low[v] = Math.min(low[v] ?? 0, order[w] ?? 0);
      }
    }
    if (low[v] === order[v]) {
      const component: number[] = [];
      let w: number | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack[w] = false;
        component.push(w);
      } while (w !== v);
      components.push(component);
    }
  };
  for (let v = 0; v < next.length; v += 1) if (order[v] === -1) visit(v);
  return components.sort((a, b) => Math.min(...a) - Math.min(...b));
}

/**
 * Every elementary cycle inside one strongly connected component, each found once: from its smallest node,
 * through larger nodes only. Bounded, because a dense component has exponentially many.
 */
function elementaryCycles(
  next: readonly number[][],
  members: ReadonlySet<number>,
): { cycles: number[][]; complete: boolean } {
  const cycles: number[][] = [];
  let budget = CYCLE_SEARCH_BUDGET;
  const starts = [...members].sort((a, b) => a - b);
  for (const start of starts) {
    const path = [start];
    const onPath = new Set([start]);
    const walk = (v: number): boolean => {
      for (const w of next[v] ?? []) {
        budget -= 1;
        if (budget < 0) return false;
        if (w === start) {
          if (cycles.length >= MAX_CYCLES_LISTED) return false;
          cycles.push([...path]);
        } else if (w > start && members.has(w) && !onPath.has(w)) {
          path.push(w);
          onPath.add(w);
          const ok = walk(w);
          path.pop();
          onPath.delete(w);
          if (!ok) return false;
        }
      }
      return true;
    };
    if (!walk(start)) return { cycles, complete: false };
  }
  return { cycles, complete: true };
}
