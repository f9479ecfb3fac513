import { appliesTo } from './applicability.js';
import { type Chain, holderOf } from './chain.js';
import { itemKey, type Project, type ProjectStep } from './project.js';

/** Where an item sits in a chain: its key, stage and kind, and the rules that decide whether it applies and who holds it. */
type Slot = {
  key: string;
  stageIndex: number;
  stepId: string;
  partId?: string;
  kind: ProjectStep['kind'];
  applies: (attributes: Project['attributes']) => boolean;
  holder: (attributes: Project['attributes']) => string | null;
};

/** A chain's slots in the chain's order, and in the order of their keys; worked out once per chain version. */
const slotsByChain = new WeakMap<Chain, { inChainOrder: Slot[]; byKey: Slot[] }>();

function slotsOf(chain: Chain): { inChainOrder: Slot[]; byKey: Slot[] } {
  const known = slotsByChain.get(chain);
  if (known) return known;
  const inChainOrder: Slot[] = [];
  chain.stages.forEach((stage, stageIndex) => {
    for (const definition of stage.steps) {
      const stepApplies = (attributes: Project['attributes']) =>
        appliesTo(definition.applicability, attributes);
      inChainOrder.push({
        key: definition.id,
        stageIndex,
        stepId: definition.id,
        kind: definition.parts ? 'joint' : definition.kind,
        applies: stepApplies,
        holder: (attributes) => holderOf(definition, (rule) => appliesTo(rule, attributes)),
      });
      for (const part of definition.parts ?? []) {
        inChainOrder.push({
          key: `${definition.id}#${part.id}`,
          stageIndex,
          stepId: definition.id,
          partId: part.id,
          kind: 'approval',
          // A part applies only where its step does, and its own rule (if any) holds (no civil-air-defence part
          // in the joint acceptance of a project without a shelter).
          applies: (attributes) => stepApplies(attributes) && appliesTo(part.applicability, attributes),
          holder: () => part.departmentId,
        });
      }
    }
  });
  const byKey = [...inChainOrder].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const slots = { inChainOrder, byKey };
  slotsByChain.set(chain, slots);
  return slots;
}

/** The item of one slot as registration leaves it: pending, or closed as not applicable (visibly, by the system). */
function initialItem(
  slot: Slot,
  projectId: string,
  attributes: Project['attributes'],
  at: string,
): ProjectStep {
  // plain literals, no spreads: a progress read derives some thirty of these
  const item: ProjectStep = {
    projectId,
    stageIndex: slot.stageIndex,
    status: 'pending',
    version: 1,
    round: 1,
    supplementRounds: 0,
    updatedAt: at,
    stepId: slot.stepId,
    departmentId: slot.holder(attributes),
    kind: slot.kind,
  };
  if (slot.partId !== undefined) item.partId = slot.partId;
  if (!slot.applies(attributes)) {
    item.status = 'not_applicable';
    item.decidedAt = at;
    item.decidedBy = 'system';
    item.outcome = 'not_applicable';
    item.reason = 'applicability rule';
  }
  return item;
}

/**
 * A project's step and part items as registration leaves them, in the chain's order: pending, or closed as not
 * applicable (visibly, by the system). A project's attributes and chain version never change, so neither do these.
 */
export function initialItems(
  chain: Chain,
  projectId: string,
  attributes: Project['attributes'],
  at: string,
): ProjectStep[] {
  return slotsOf(chain).inChainOrder.map((slot) => initialItem(slot, projectId, attributes, at));
}

/**
 * A project's items: those written, and the others derived from its chain as registration left them.
 *
 * Registration writes none of them: every item starts exactly as {@link initialItems} gives it (pending, or closed as
 * not applicable), so each is derived until something changes it, and that change creates it. A registration's
 * transaction is then the project and its bookkeeping (5 items, not 19 for the reference chain's first stage), and
 * the first stage's task handlers create the items they open. A stage reached later is written whole in the
 * transaction that moves the project there. Tables written before hold their first stage's items as registration
 * left them: read, they are the same items.
 *
 * `unwritten` names the derived ones (their keys): a change to one creates it (on condition that nobody created it
 * meanwhile), and a check that one has not moved on checks that it is still not written.
 */
export function projectItems(
  chain: Chain,
  project: Pick<Project, 'projectId' | 'attributes' | 'createdAt'>,
  written: readonly ProjectStep[],
): { items: Map<string, ProjectStep>; unwritten: Set<string> } {
  const writtenByKey = new Map(written.map((item) => [itemKey(item), item]));
  const items = new Map<string, ProjectStep>();
  const unwritten = new Set<string>();
  // in the order of their keys, as a read of the table returns them
  for (const slot of slotsOf(chain).byKey) {
    const stored = writtenByKey.get(slot.key);
    if (stored) {
      items.set(slot.key, stored);
      continue;
    }
    items.set(slot.key, initialItem(slot, project.projectId, project.attributes, project.createdAt));
    unwritten.add(slot.key);
  }
  // an item the chain does not name (none should be): kept, after the others
  for (const [key, item] of writtenByKey) if (!items.has(key)) items.set(key, item);
  return { items, unwritten };
}
