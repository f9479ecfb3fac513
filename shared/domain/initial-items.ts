import { appliesTo } from './applicability.js';
import { type Chain, holderOf } from './chain.js';
import { itemKey, type Project, type ProjectStep } from './project.js';

/**
 * A project's step and part items as registration leaves them: pending, or closed as not applicable (visibly, by
 * the system). A project's attributes and chain version never change, so neither do these.
 */
export function initialItems(
  chain: Chain,
  projectId: string,
  attributes: Project['attributes'],
  at: string,
): ProjectStep[] {
  const items: ProjectStep[] = [];
  chain.stages.forEach((stage, stageIndex) => {
    for (const definition of stage.steps) {
      const applies = appliesTo(definition.applicability, attributes);
      const base = {
        projectId,
        stageIndex,
        status: applies ? ('pending' as const) : ('not_applicable' as const),
        version: 1,
        round: 1,
        supplementRounds: 0,
        updatedAt: at,
        ...(applies
          ? {}
          : { decidedAt: at, decidedBy: 'system', outcome: 'not_applicable', reason: 'applicability rule' }),
      };
      items.push({
        ...base,
        stepId: definition.id,
        departmentId: holderOf(definition, (rule) => appliesTo(rule, attributes)),
        kind: definition.parts ? 'joint' : definition.kind,
      });
      for (const part of definition.parts ?? []) {
        // A part applies only where its step does, and its own rule (if any) holds (no civil-air-defence part
        // in the joint acceptance of a project without a shelter).
        const partApplies = applies && appliesTo(part.applicability, attributes);
        items.push({
          ...base,
          ...(partApplies
            ? { status: 'pending' as const }
            : {
                status: 'not_applicable' as const,
                decidedAt: at,
                decidedBy: 'system',
                outcome: 'not_applicable',
                reason: 'applicability rule',
              }),
          stepId: definition.id,
          partId: part.id,
          departmentId: part.departmentId,
          kind: 'approval',
        });
      }
    }
  });
  return items;
}

/**
 * The items registration writes: its first stage's. A later stage's are written when the project reaches that stage
 * (in the transaction that moves it there), or sooner if something changes one of them; until then each is exactly as
 * {@link initialItems} gives it, so it is derived from the chain instead of read. For the reference chain, a
 * registration's transaction writes 19 items instead of 50.
 */
export const writtenAtRegistration = (item: ProjectStep): boolean => item.stageIndex === 0;

/**
 * A project's items: those written, and the others derived from its chain as registration left them. `unwritten`
 * names the derived ones (their keys): a change to one creates it (on condition that nobody created it meanwhile),
 * and a check that one has not moved on checks that it is still not written.
 */
export function projectItems(
  chain: Chain,
  project: Pick<Project, 'projectId' | 'attributes' | 'createdAt'>,
  written: readonly ProjectStep[],
): { items: Map<string, ProjectStep>; unwritten: Set<string> } {
  const byKey = new Map(written.map((item) => [itemKey(item), item]));
  const unwritten = new Set<string>();
  for (const item of initialItems(chain, project.projectId, project.attributes, project.createdAt)) {
    const key = itemKey(item);
    if (byKey.has(key)) continue;
    byKey.set(key, item);
    unwritten.add(key);
  }
  // in the order of their keys, as a read of the table returns them
  const items = new Map([...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { items, unwritten };
}
