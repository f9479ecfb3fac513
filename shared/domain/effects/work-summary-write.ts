import { itemKey, type ProjectStep } from '../project.js';
import { type ProjectState, stateAfter, type Transition } from '../transition.js';
import { workSummaryOf } from '../work-summary.js';
import type { EffectWrite } from './effect-writes.js';

/** Any write of a transaction: the domain's own, or one of the caller's kinds (read here by its `op` only). */
export type AnyWrite = { op: string };

type ProjectUpdate = Extract<EffectWrite, { op: 'update_project' }>;

/** Where the transaction's update of the project is among its writes (-1: none). */
export const projectUpdateAt = (writes: readonly AnyWrite[], projectId: string): number =>
  writes.findIndex((op) => op.op === 'update_project' && (op as ProjectUpdate).projectId === projectId);

const itemOf = (op: AnyWrite): ProjectStep | undefined =>
  op.op === 'put_item'
    ? (op as unknown as { item: ProjectStep }).item
    : op.op === 'update_item'
      ? (op as unknown as { after: ProjectStep }).after
      : undefined;

/**
 * The agent's workbench summary of the project as the transaction leaves it (work-summary.ts), on the project's
 * update (one is added, leaving `updatedAt` alone, when the change has none): its items after the change and after
 * the items the same transaction puts (a stage reached), the ones still derived from the chain left out.
 */
export function withWorkSummary<W extends AnyWrite>(
  state: ProjectState,
  transition: Transition,
  writes: Array<EffectWrite | W>,
  at: string,
): void {
  const { projectId } = state.project;
  const ofProject = (op: AnyWrite) => {
    const item = itemOf(op);
    return item && item.projectId === projectId ? item : undefined;
  };
  // nothing of the project changes: its summary stays as it is
  if (!transition.project && !writes.some(ofProject)) return;
  const after = stateAfter(state, transition);
  const items = new Map(after.items);
  const written = new Set<string>(transition.changes.map((c) => itemKey(c.after)));
  for (const op of writes) {
    const item = ofProject(op);
    if (!item) continue;
    items.set(itemKey(item), item);
    written.add(itemKey(item));
  }
  for (const key of state.unwritten ?? []) if (!written.has(key)) items.delete(key);
  const work = workSummaryOf(
    items.values(),
    after.project.currentStageIndex,
    (state.project.workSeq ?? 0) + 1,
  );
  const index = projectUpdateAt(writes, projectId);
  const found = writes[index] as ProjectUpdate | undefined;
  if (found) writes[index] = { ...found, work };
  else writes.push({ op: 'update_project', projectId, at, change: {}, work, touch: false });
}
