import type { Stage } from './chain.js';
import type { ProblemSink, StepNamer } from './chain-problem.js';

/** Stop listing cycles of one stage after this many (the rest are summarised). */
const MAX_CYCLES_LISTED = 20;
const CYCLE_SEARCH_BUDGET = 50_000;

/**
 * Prerequisite cycles (互为前置) inside one stage, each named once. Arrows follow the flow: `a → b` means b
 * needs a. A cycle starts at its step that comes first in the stage.
 */
export function cycleProblems(stage: Stage, add: ProblemSink, zhStep: StepNamer): void {
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

  for (const component of stronglyConnectedComponents(next)) {
    if (component.length < 2) continue;
    const members = new Set(component);
    const { cycles, complete } = elementaryCycles(next, members);
    for (const cycle of cycles) {
      const steps = cycle.map((i) => ids[i] ?? '?');
      add(`互为前置: ${formatCycle(steps)}`, zhCycle(steps, zhStep));
    }
    if (!complete) {
      const sorted = [...members].sort((a, b) => a - b).map((i) => ids[i] ?? '?');
      add(
        `互为前置 among ${sorted.map((id) => `step ${id}`).join(', ')} (further cycles not listed)`,
        `${sorted.map(zhStep).join('、')}之间互为前置（更多循环未列出）`,
      );
    }
  }
}

function formatCycle(steps: string[]): string {
  if (steps.length === 2) return `step ${steps[0]} ↔ step ${steps[1]}`;
  return [...steps, steps[0]].map((s) => `step ${s}`).join(' → ');
}

function zhCycle(steps: string[], zhStep: StepNamer): string {
  const [first = '?', second = '?'] = steps;
  if (steps.length === 2) return `${zhStep(first)}与${zhStep(second)}互为前置`;
  return `互为前置（循环）：${[...steps, first].map(zhStep).join(' → ')}`;
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
