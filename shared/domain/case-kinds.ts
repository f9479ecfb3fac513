import { z } from 'zod';
import type { StepDefinition } from './chain.js';
import type { ProjectStep } from './project.js';
import { chinaDate } from './working-days.js';

/**
 * The five kinds of case (五件, DOMAIN.md "Also in the practice"), derived from a decided step's data and outcome:
 * - instant 即办件: a promised limit of 0, decided on the day it was submitted (当场办结);
 * - promised 承诺件: every other decided approval (a promised limit of one day or more, or a 0-day step that was
 *   not decided on the spot);
 * - joint 联办件: several departments decided it together (a joint review's parts, or a joint review meeting);
 * - returned 退办件: rejected with reasons, or an approval revoked (撤销, 告知承诺核查不符), in its last round or an
 *   earlier one (a step re-applied and approved again stays one);
 * - supplement 补办件: the department asked for a supplement at least once.
 * A case is exactly one of instant and promised, and any of the other three besides.
 */
export const CASE_KINDS = ['instant', 'promised', 'joint', 'returned', 'supplement'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const CaseKindSchema = z.enum(CASE_KINDS);

export const CASE_KIND_NAMES: Record<CaseKind, string> = {
  instant: '即办件',
  promised: '承诺件',
  joint: '联办件',
  returned: '退办件',
  supplement: '补办件',
};

/** What a step's kinds follow from. */
export type CaseFacts = {
  /** the step's promised limit (承诺时限); null for a milestone the agent reports */
  promisedDays: number | null;
  status: string;
  submittedAt?: string | undefined;
  decidedAt?: string | undefined;
  /** a joint review (联合审查): the step has parts decided by several departments */
  joint: boolean;
  decidedVia?: ProjectStep['decidedVia'];
  supplementRounds: number;
  earlierRounds?: ReadonlyArray<{ outcome: string }> | undefined;
};

const DECIDED = new Set(['approved', 'deemed_approved', 'rejected']);

/**
 * The kinds of one step; none for a step no department has decided (open, not applicable, withdrawn, a milestone).
 *
 * @example caseKindsOf({ promisedDays: 0, status: 'approved', submittedAt: t, decidedAt: t, joint: false, supplementRounds: 0 })
 *   // ['instant']
 */
export function caseKindsOf(step: CaseFacts): CaseKind[] {
  if (step.promisedDays === null && !step.joint) return [];
  if (!DECIDED.has(step.status) || step.decidedAt === undefined) return [];
  const onTheSpot =
    step.promisedDays === 0 &&
    step.submittedAt !== undefined &&
    chinaDate(new Date(step.submittedAt)) === chinaDate(new Date(step.decidedAt));
  const kinds: CaseKind[] = [onTheSpot ? 'instant' : 'promised'];
  if (step.joint || step.decidedVia === 'meeting') kinds.push('joint');
  if (
    step.status === 'rejected' ||
    step.earlierRounds?.some((r) => r.outcome === 'rejected' || r.outcome === 'revoked')
  )
    kinds.push('returned');
  if (step.supplementRounds > 0) kinds.push('supplement');
  return kinds;
}

/** How many cases of each kind among these steps. */
export function countCaseKinds(steps: Iterable<CaseFacts>): Record<CaseKind, number> {
  const counts: Record<CaseKind, number> = { instant: 0, promised: 0, joint: 0, returned: 0, supplement: 0 };
  for (const step of steps) for (const kind of caseKindsOf(step)) counts[kind] += 1;
  return counts;
}

/** The facts of a step (its item, not a part's) under its chain definition. */
export function caseFactsOf(
  definition: Pick<StepDefinition, 'promisedDays' | 'parts'>,
  item: ProjectStep,
): CaseFacts {
  return {
    promisedDays: definition.promisedDays,
    status: item.status,
    submittedAt: item.submittedAt,
    decidedAt: item.decidedAt,
    joint: definition.parts !== undefined,
    decidedVia: item.decidedVia,
    supplementRounds: item.supplementRounds,
    earlierRounds: item.earlierRounds,
  };
}

/**
 * The kinds of the decided steps of a project, step by step (a joint review's parts count as their step's one case).
 *
 * @example projectCaseKinds(chain.stages.flatMap((s) => s.steps), items).get('7') // ['promised', 'supplement']
 */
export function projectCaseKinds(
  definitions: ReadonlyArray<Pick<StepDefinition, 'id' | 'promisedDays' | 'parts'>>,
  items: ReadonlyMap<string, ProjectStep>,
): Map<string, CaseKind[]> {
  const kinds = new Map<string, CaseKind[]>();
  for (const definition of definitions) {
    const item = items.get(definition.id);
    if (item) kinds.set(definition.id, caseKindsOf(caseFactsOf(definition, item)));
  }
  return kinds;
}
