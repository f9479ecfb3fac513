import { z } from 'zod';
import { assertAllowed } from './access-policy.js';
import { type Batch, type BatchItem, isOpenBatch, MAX_BATCH_ITEMS } from './batch.js';
import { findStep } from './chain-graph.js';
import { DecisionRequestSchema } from './decision.js';
import type { Department } from './department.js';
import { ConflictError, InvalidInputError, NotFoundError } from './errors.js';
import type { Principal } from './principal.js';
import type { LifecycleInput } from './steps/lifecycle.js';
import { submitStep } from './steps/submission.js';
import { InstantInputSchema } from './time.js';
import type { ProjectState, Transition } from './transition.js';

/**
 * What may go in a batch carried up to a city or provincial department (上下协同, DOMAIN.md "Levels"), and what
 * carrying it up and collecting its approvals do to its steps. A batch goes to one upper-level department; it
 * holds single approval steps of the agent's own projects that this department holds, each ready for its
 * materials, each in one open batch at a time. Carried up: each step is submitted with all its listed materials (the
 * originals), marked with the batch. Collected: each step still in review is decided; one its department decided
 * directly meanwhile drops out, recorded.
 */

export const BatchInputSchema = z.strictObject({
  /** the city or provincial department the batch goes to */
  departmentId: z.string().regex(/^[A-Z][A-Z0-9_]{1,15}$/, 'a department id, e.g. ENV_CITY'),
  items: z
    .array(
      z.strictObject({
        projectId: z.string().min(1).max(64),
        stepId: z.string().min(1).max(40),
      }),
    )
    .min(1, 'put at least one step in the batch')
    .max(MAX_BATCH_ITEMS, `at most ${MAX_BATCH_ITEMS} steps in one batch`),
  note: z.string().trim().min(1).max(1000).optional(),
});
export type BatchInput = z.infer<typeof BatchInputSchema>;

export const CarriedInputSchema = z.strictObject({
  /** when the department accepted the originals (default: now); the steps' clocks start then */
  carriedAt: InstantInputSchema.optional(),
});

export const BatchEditSchema = z.strictObject({
  /** the items to take out (their itemIds) */
  remove: z.array(z.string().min(1).max(8)).min(1).max(MAX_BATCH_ITEMS),
  reason: z.string().trim().min(1, 'say why the items are taken out (reason)').max(500),
});

export const BatchCancellationSchema = z.strictObject({
  reason: z.string().trim().min(1, 'say why the batch is cancelled (reason)').max(500),
});

export const CollectionInputSchema = z.strictObject({
  /** when the approvals were collected (default: now): the steps are decided then */
  collectedAt: InstantInputSchema.optional(),
  decisions: z
    .array(z.object({ itemId: z.string().min(1).max(8) }).and(DecisionRequestSchema))
    .min(1)
    .max(MAX_BATCH_ITEMS),
});
export type CollectionInput = z.infer<typeof CollectionInputSchema>;
export type CollectedDecision = CollectionInput['decisions'][number];

/** Where a step already sits in one of the agent's open batches, by `projectId#stepId`. */
export type OpenBatchSteps = ReadonlyMap<string, { batchId: string; status: string; item: BatchItem }>;

/** The steps of these batches still open (assembling or carried), by `projectId#stepId`. */
export function openBatchSteps(batches: Iterable<Batch>): OpenBatchSteps {
  const open = new Map<string, { batchId: string; status: string; item: BatchItem }>();
  for (const batch of batches) {
    if (!isOpenBatch(batch)) continue;
    for (const item of batch.items) {
      open.set(`${item.projectId}#${item.stepId}`, { batchId: batch.batchId, status: batch.status, item });
    }
  }
  return open;
}

/** A batch goes to a department that exists and sits above the district. */
export function batchDestination(departmentId: string, department: Department | undefined): Department {
  if (!department) {
    throw new InvalidInputError(
      'BATCH.UNKNOWN_DEPARTMENT',
      `there is no department '${departmentId}'; see GET /departments`,
    );
  }
  if (department.level === 'district') {
    throw new InvalidInputError(
      'BATCH.DISTRICT_DEPARTMENT',
      `${department.name} (${department.id}) is a district department: its steps are submitted to it directly, not carried up in a batch`,
    );
  }
  return department;
}

/** A step goes in a batch once. */
export function assertDistinctSteps(items: BatchInput['items']): void {
  const keys = items.map((i) => `${i.projectId}#${i.stepId}`);
  if (new Set(keys).size !== keys.length) {
    throw new InvalidInputError('BATCH.DUPLICATE_ITEM', 'the same step is in the batch twice');
  }
}

/** A step in another open batch may not go in this one: the agent takes it out of that one first. */
export function assertInNoOpenBatch(entry: BatchInput['items'][number], open: OpenBatchSteps): void {
  const already = open.get(`${entry.projectId}#${entry.stepId}`);
  if (already) {
    throw new ConflictError(
      'BATCH.STEP_IN_OPEN_BATCH',
      `step ${entry.stepId} of project ${already.item.projectCode} is already in batch ${already.batchId} (${already.status}): take it out of that batch or cancel it first`,
      { batchId: already.batchId },
    );
  }
}

/**
 * The `index`-th item of a batch to `department`, checked: a step of one of the agent's own projects (which they
 * may submit), a single approval (not a joint review, not a milestone), held by this department, ready.
 */
export function batchItemOf(
  principal: Principal,
  state: ProjectState,
  stepId: string,
  department: Department,
  index: number,
): BatchItem {
  assertAllowed(principal, 'project.read', { project: state.project, chain: state.chain });
  assertAllowed(principal, 'step.submit', { project: state.project });
  const found = findStep(state.chain, stepId);
  const item = state.items.get(stepId);
  if (!found || !item) {
    throw new NotFoundError('STEP.NOT_FOUND', `project ${state.project.code} has no step ${stepId}`);
  }
  const named = `step ${stepId} of project ${state.project.code}`;
  if (item.kind !== 'approval') {
    throw new ConflictError(
      'BATCH.NOT_AN_APPROVAL',
      `${named} is ${item.kind === 'joint' ? 'a joint review, submitted to the district' : 'a milestone'}: only a single upper-level approval goes in a batch`,
    );
  }
  if (item.departmentId !== department.id) {
    throw new ConflictError(
      'BATCH.OTHER_DEPARTMENT',
      `${named} is held by ${item.departmentId ?? 'no department'}, not ${department.name} (${department.id}): a batch goes to one department`,
    );
  }
  if (item.status !== 'ready') {
    throw new ConflictError(
      'BATCH.STEP_NOT_READY',
      `${named} is ${item.blocked ? 'blocked' : item.status}: a batch carries steps that are ready for their materials`,
      { status: item.status },
    );
  }
  return {
    itemId: String(index + 1),
    projectId: state.project.projectId,
    projectCode: state.project.code,
    projectName: state.project.name,
    enterpriseId: state.project.enterpriseId,
    stepId,
    stepName: found.step.name,
  };
}

/** A new batch, assembling: the agent's, to one upper-level department. */
export function newBatch(args: {
  batchId: string;
  department: Department;
  agentId: string;
  items: BatchItem[];
  note?: string;
  now: Date;
}): Batch {
  const at = args.now.toISOString();
  return {
    batchId: args.batchId,
    version: 1,
    status: 'assembling',
    departmentId: args.department.id,
    departmentName: args.department.name,
    level: args.department.level,
    agentId: args.agentId,
    items: args.items,
    ...(args.note ? { note: args.note } : {}),
    createdAt: at,
    updatedAt: at,
  };
}

/** The latest instant a step of the batch opened (a batch cannot be carried up before it): the batch's creation at least. */
export function lastOpenedOf(batch: Batch, states: ReadonlyMap<string, ProjectState>): string {
  return (
    batch.items
      .map((i) => states.get(i.projectId)?.items.get(i.stepId)?.openedAt ?? batch.createdAt)
      .sort()
      .at(-1) ?? batch.createdAt
  );
}

/**
 * One step carried up: submitted at the lifecycle's `now` with all its listed materials (the originals), marked with
 * the batch; its events say which batch and which level. A step that cannot be is named, so the agent knows which
 * one held the whole batch back.
 */
export function carriedStep(input: LifecycleInput, batch: Batch, item: BatchItem): Transition {
  const definition = findStep(input.state.chain, item.stepId)?.step;
  let submitted: Transition;
  try {
    submitted = submitStep(input, item.stepId, {
      materials: definition?.materials.map((m) => m.id) ?? [],
      note: `随批次 ${batch.batchId} 报送原件`,
    });
  } catch (error) {
    throw inBatch(error, item, 'carried');
  }
  return {
    ...submitted,
    changes: submitted.changes.map((c) =>
      c.after.stepId === item.stepId && !c.after.partId
        ? { ...c, after: { ...c.after, batchId: batch.batchId } }
        : c,
    ),
    events: submitted.events.map((e) => ({
      ...e,
      data: { ...e.data, batchId: batch.batchId, departmentLevel: batch.level },
    })),
  };
}

/**
 * What a collection decides: each item's decision (an item decided twice is refused), and the items dropped because
 * their department acted on them directly meanwhile (decided, or sent back for a supplement: item id → status).
 */
export function collectionPlan(
  batch: Batch,
  decisions: readonly CollectedDecision[],
  statusOf: (item: BatchItem) => string | undefined,
): { decisions: Map<string, CollectedDecision>; dropped: Map<string, string> } {
  const byItem = new Map<string, CollectedDecision>();
  for (const d of decisions) {
    if (byItem.has(d.itemId)) {
      throw new InvalidInputError('BATCH.DUPLICATE_DECISION', `item ${d.itemId} is decided twice`);
    }
    byItem.set(d.itemId, d);
  }
  const dropped = new Map<string, string>();
  for (const item of batch.items) {
    const status = statusOf(item);
    if (status && status !== 'in_review') dropped.set(item.itemId, status);
  }
  for (const id of dropped.keys()) byItem.delete(id);
  return { decisions: byItem, dropped };
}

/** What the batch records of each decision collected: the outcome, and the document's number of an approval. */
export const collectedOutcomes = (
  decisions: ReadonlyMap<string, CollectedDecision>,
): Map<string, { outcome: string; documentNumber?: string }> =>
  new Map(
    [...decisions].map(([id, d]) => [
      id,
      {
        outcome: d.outcome,
        ...('document' in d && d.document ? { documentNumber: d.document.number } : {}),
      },
    ]),
  );

/** A step of the batch that cannot move: named, so the agent knows which one held the whole batch back. */
export function inBatch(error: unknown, item: BatchItem, move: 'carried' | 'collected'): unknown {
  if (error instanceof ConflictError && error.code.startsWith('STEP.')) {
    return new ConflictError(
      move === 'carried' ? 'BATCH.STEP_NOT_READY' : 'BATCH.STEP_NOT_IN_REVIEW',
      `item ${item.itemId} (${item.projectCode} step ${item.stepId}): ${error.message}. Nothing in the batch was recorded as ${move}`,
      { itemId: item.itemId },
    );
  }
  return error;
}

/**
 * Which batches a person lists: an agent their own, an officer their department's incoming, leaders and admins
 * all; the efficiency office and investors none (the security model).
 */
export function batchListFilter(
  principal: Principal,
): { agentId: string } | { departmentId: string } | Record<string, never> | undefined {
  if (principal.role === 'agent') return { agentId: principal.userId };
  if (principal.role === 'officer') return { departmentId: principal.departmentId ?? '-' };
  if (principal.role === 'investor' || principal.role === 'efficiency') return undefined;
  return {};
}
