import type { Chain } from './chain.js';

/**
 * One problem of a chain, said twice: in English (the API's message, as before) and in Chinese naming the step by
 * its number and name (步骤 16（建设工程规划许可证核发）), for the admin who writes the chain.
 */
export type ChainProblem = { en: string; zh: string };

/** Collects problems: `add(en, zh)`. */
export type ProblemSink = (en: string, zh: string) => void;

/** How a step is named in Chinese: 步骤 16（名称）, or 步骤 16 when it has no name (or no step has that id). */
export type StepNamer = (stepId: string) => string;

export function stepNamer(chain: Pick<Chain, 'stages'>): StepNamer {
  const names = new Map<string, string>();
  for (const stage of chain.stages) {
    for (const step of stage.steps) if (!names.has(step.id)) names.set(step.id, step.name);
  }
  return (stepId) => {
    const name = names.get(stepId);
    return name ? `步骤 ${stepId}（${name}）` : `步骤 ${stepId}`;
  };
}

/** A zod issue's path in Chinese: `stages.1.steps.3.promisedDays` → 第2阶段第4个步骤的 promisedDays. */
export function zhPath(path: ReadonlyArray<PropertyKey>): string {
  const out: string[] = [];
  for (let i = 0; i < path.length; i += 1) {
    const key = path[i];
    const next = path[i + 1];
    if (typeof next === 'number') {
      const n = next + 1;
      if (key === 'stages') out.push(`第${n}阶段`);
      else if (key === 'steps') out.push(`第${n}个步骤`);
      else if (key === 'parts') out.push(`第${n}个联合审查部分`);
      else if (key === 'materials') out.push(`第${n}项材料`);
      else if (key === 'attributes') out.push(`第${n}个项目属性`);
      else out.push(`${String(key)}[${n}]`);
      i += 1;
    } else {
      out.push(`${out.length > 0 ? '的 ' : ''}${String(key)}`);
    }
  }
  return out.length === 0 ? '（流程）' : out.join('');
}
