import { z } from 'zod';
import { assertAllowed } from '../domain/access-policy.js';
import {
  type Batch,
  type BatchItem,
  cancelledBatch,
  carriedUp,
  collected,
  isOpenBatch,
  MAX_BATCH_ITEMS,
  momentOf,
  withoutItems,
} from '../domain/batch.js';
import { findStep } from '../domain/chain-graph.js';
import type { StatAddition } from '../domain/counted-against.js';
import { DecisionRequestSchema } from '../domain/decision.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { submitStep } from '../domain/steps/submission.js';
import { InstantInputSchema } from '../domain/time.js';
import {
  applyChanges,
  combineTransitions,
  type ProjectState,
  type Transition,
} from '../domain/transition.js';
import type { OutboxEntry, Page, PageRequest, StoreOp } from '../store/store.port.js';
import { agentNotices, noticeNumbering, numberingOps } from './agent-notices.js';
import { retryOnConflict, transitionOps } from './commit.js';
import type { AppContext } from './context.js';
import { lifecycleInput } from './context.js';
import { loadState } from './load.js';
import { relay } from './relay.js';
import { statsOps } from './stats-effects.js';
import { decisionTransition } from './step-actions.js';

/**
 * Batches of originals carried up to a city or provincial department (上下协同). The agent assembles a batch of
 * steps that department holds, records the trip upstairs (each step is submitted: its clock starts on the day the
 * department accepted the originals) and the collection of the approvals (each step is decided through the same
 * decision path as a department's, with its approval document). Carrying and collecting each write every step of
 * the batch and the batch itself in one transaction: all of them, or none.
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

const where = (item: BatchItem) => `${item.projectCode} step ${item.stepId}`;

/** The agent assembles a batch: every step held by the same upper-level department, of their projects, ready. */
export async function assembleBatch(
  ctx: AppContext,
  principal: Principal,
  input: BatchInput,
): Promise<Batch> {
  assertAllowed(principal, 'batch.assemble');
  const department = await ctx.store.getDepartment(input.departmentId);
  if (!department) {
    throw new InvalidInputError(
      'BATCH.UNKNOWN_DEPARTMENT',
      `there is no department '${input.departmentId}'; see GET /departments`,
    );
  }
  if (department.level === 'district') {
    throw new InvalidInputError(
      'BATCH.DISTRICT_DEPARTMENT',
      `${department.name} (${department.id}) is a district department: its steps are submitted to it directly, not carried up in a batch`,
    );
  }
  const keys = input.items.map((i) => `${i.projectId}#${i.stepId}`);
  if (new Set(keys).size !== keys.length) {
    throw new InvalidInputError('BATCH.DUPLICATE_ITEM', 'the same step is in the batch twice');
  }
  const inOpenBatch = await openBatchSteps(ctx, principal.userId);
  const items: BatchItem[] = [];
  for (const entry of input.items) {
    const already = inOpenBatch.get(`${entry.projectId}#${entry.stepId}`);
    if (already) {
      throw new ConflictError(
        'BATCH.STEP_IN_OPEN_BATCH',
        `step ${entry.stepId} of project ${already.item.projectCode} is already in batch ${already.batchId} (${already.status}): take it out of that batch or cancel it first`,
        { batchId: already.batchId },
      );
    }
    const state = await loadState(ctx, entry.projectId);
    assertAllowed(principal, 'project.read', { project: state.project, chain: state.chain });
    assertAllowed(principal, 'step.submit', { project: state.project });
    const found = findStep(state.chain, entry.stepId);
    const item = state.items.get(entry.stepId);
    if (!found || !item) {
      throw new NotFoundError('STEP.NOT_FOUND', `project ${state.project.code} has no step ${entry.stepId}`);
    }
    const named = `step ${entry.stepId} of project ${state.project.code}`;
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
    items.push({
      itemId: String(items.length + 1),
      projectId: state.project.projectId,
      projectCode: state.project.code,
      projectName: state.project.name,
      enterpriseId: state.project.enterpriseId,
      stepId: entry.stepId,
      stepName: found.step.name,
    });
  }
  const at = ctx.clock.now().toISOString();
  const batch: Batch = {
    batchId: ctx.newId(),
    version: 1,
    status: 'assembling',
    departmentId: department.id,
    departmentName: department.name,
    level: department.level,
    agentId: principal.userId,
    items,
    ...(input.note ? { note: input.note } : {}),
    createdAt: at,
    updatedAt: at,
  };
  await ctx.store.commit([{ op: 'put_batch', batch, expectedVersion: null }]);
  return batch;
}

/**
 * The agent records that the batch was carried up and accepted: every step is submitted with all its listed
 * materials (the originals), its clock starting at `carriedAt`, and marked with the batch.
 */
export function carryBatch(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  input: z.infer<typeof CarriedInputSchema>,
): Promise<Batch> {
  return retryOnConflict(async () => {
    const batch = await batchFor(ctx, principal, batchId, 'batch.carry');
    const now = ctx.clock.now();
    const perProject = await statesOf(ctx, batch);
    const opened = batch.items
      .map((i) => perProject.get(i.projectId)?.state.items.get(i.stepId)?.openedAt ?? batch.createdAt)
      .sort()
      .at(-1);
    const at = momentOf(
      input.carriedAt,
      now,
      { at: opened ?? batch.createdAt, what: 'the last of its steps opened' },
      'carriedAt',
    );
    const next = carriedUp(batch, at, principal.userId, now);
    for (const item of batch.items) {
      const entry = perProject.get(item.projectId) as ProjectEntry;
      assertAllowed(principal, 'step.submit', { project: entry.state.project });
      const definition = findStep(entry.state.chain, item.stepId)?.step;
      let submitted: Transition;
      try {
        submitted = submitStep(lifecycleInput(ctx, entry.state, at), item.stepId, {
          materials: definition?.materials.map((m) => m.id) ?? [],
          note: `随批次 ${batch.batchId} 报送原件`,
        });
      } catch (error) {
        throw inBatch(error, item, 'carried');
      }
      const tagged: Transition = {
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
      add(entry, tagged);
    }
    await commitBatch(ctx, principal, batch, next, perProject, now);
    return { ...next, version: batch.version + 1 };
  });
}

/**
 * The agent records the approvals collected: every item of the batch decided at `collectedAt` through the decision
 * path (an approval with its document's number and date; a rejection with its legal basis; a supplement request
 * listing everything at once).
 */
export function collectBatch(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  input: CollectionInput,
): Promise<Batch> {
  return retryOnConflict(async () => {
    const batch = await batchFor(ctx, principal, batchId, 'batch.collect');
    const now = ctx.clock.now();
    const at = momentOf(
      input.collectedAt,
      now,
      { at: batch.carriedAt ?? batch.createdAt, what: 'the batch was carried up' },
      'collectedAt',
    );
    const decisions = new Map<string, (typeof input.decisions)[number]>();
    for (const d of input.decisions) {
      if (decisions.has(d.itemId)) {
        throw new InvalidInputError('BATCH.DUPLICATE_DECISION', `item ${d.itemId} is decided twice`);
      }
      decisions.set(d.itemId, d);
    }
    const perProject = await statesOf(ctx, batch);
    // an item its department acted on directly meanwhile (decided, or sent back for a supplement) is no longer
    // the batch's to collect: it drops out of the collection, recorded on the batch
    const dropped = new Map<string, string>();
    for (const item of batch.items) {
      const status = perProject.get(item.projectId)?.state.items.get(item.stepId)?.status;
      if (status && status !== 'in_review') dropped.set(item.itemId, status);
    }
    for (const id of dropped.keys()) decisions.delete(id);
    const next = collected(
      batch,
      at,
      principal.userId,
      now,
      new Map(
        [...decisions].map(([id, d]) => [
          id,
          {
            outcome: d.outcome,
            ...('document' in d && d.document ? { documentNumber: d.document.number } : {}),
          },
        ]),
      ),
      dropped,
    );
    for (const item of batch.items) {
      if (dropped.has(item.itemId)) continue;
      const entry = perProject.get(item.projectId) as ProjectEntry;
      const { itemId: _i, ...decision } = decisions.get(item.itemId) as (typeof input.decisions)[number];
      let decided: Transition;
      try {
        decided = decisionTransition(
          ctx,
          principal,
          entry.state,
          { stepId: item.stepId },
          decision,
          at,
          batch.level,
        );
      } catch (error) {
        throw inBatch(error, item, 'collected');
      }
      add(entry, {
        ...decided,
        events: decided.events.map((e) => ({ ...e, data: { ...e.data, batchId: batch.batchId } })),
      });
    }
    await commitBatch(ctx, principal, batch, next, perProject, now);
    // every item is one upper-level department's decision, counted as an officer's is (once, once committed)
    ctx.metrics?.add('Decisions', batch.items.length - dropped.size);
    return { ...next, version: batch.version + 1 };
  });
}

/** The steps in the agent's open batches (a step sits in one at a time), by `projectId#stepId`. */
async function openBatchSteps(
  ctx: AppContext,
  agentId: string,
): Promise<Map<string, { batchId: string; status: string; item: BatchItem }>> {
  const open = new Map<string, { batchId: string; status: string; item: BatchItem }>();
  let cursor: string | undefined;
  do {
    const page = await ctx.store.listBatches({ agentId }, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const batch of page.items.filter(isOpenBatch)) {
      for (const item of batch.items) {
        open.set(`${item.projectId}#${item.stepId}`, { batchId: batch.batchId, status: batch.status, item });
      }
    }
    cursor = page.cursor;
  } while (cursor);
  return open;
}

/** The agent takes items out of a batch not yet carried up, with a reason (what was in it stays on record). */
export function editBatch(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  input: z.infer<typeof BatchEditSchema>,
): Promise<Batch> {
  return retryOnConflict(async () => {
    const batch = await batchFor(ctx, principal, batchId, 'batch.carry');
    const next = withoutItems(batch, input.remove, input.reason, principal.userId, ctx.clock.now());
    const stored = { ...next, version: batch.version + 1 };
    await ctx.store.commit([{ op: 'put_batch', batch: stored, expectedVersion: batch.version }]);
    return stored;
  });
}

/** The agent cancels a batch not yet carried up, with a reason: its steps may go in another batch. */
export function cancelBatch(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  reason: string,
): Promise<Batch> {
  return retryOnConflict(async () => {
    const batch = await batchFor(ctx, principal, batchId, 'batch.carry');
    const next = cancelledBatch(batch, reason, principal.userId, ctx.clock.now());
    const stored = { ...next, version: batch.version + 1 };
    await ctx.store.commit([{ op: 'put_batch', batch: stored, expectedVersion: batch.version }]);
    return stored;
  });
}

/** A batch the caller may see. */
export async function getBatch(ctx: AppContext, principal: Principal, batchId: string): Promise<Batch> {
  return batchFor(ctx, principal, batchId, 'batch.read');
}

/** The batches the caller may see, newest first: an agent's own, a department's incoming, all for leaders. */
export async function listBatches(
  ctx: AppContext,
  principal: Principal,
  page: PageRequest,
): Promise<Page<Batch>> {
  const filter =
    principal.role === 'agent'
      ? { agentId: principal.userId }
      : principal.role === 'officer'
        ? { departmentId: principal.departmentId ?? '-' }
        : principal.role === 'investor' || principal.role === 'efficiency'
          ? undefined // the efficiency office sees no batch (the security model), nor does an investor list them
          : {};
  if (!filter) return { items: [] };
  return ctx.store.listBatches(filter, page);
}

type ProjectEntry = { read: ProjectState; state: ProjectState; transition?: Transition };

async function statesOf(ctx: AppContext, batch: Batch): Promise<Map<string, ProjectEntry>> {
  const perProject = new Map<string, ProjectEntry>();
  for (const item of batch.items) {
    if (perProject.has(item.projectId)) continue;
    const read = await loadState(ctx, item.projectId);
    perProject.set(item.projectId, { read, state: read });
  }
  return perProject;
}

/** A project's changes one after the other on its state, as one transition. */
function add(entry: ProjectEntry, transition: Transition): void {
  entry.state = applyChanges(entry.state, transition.changes);
  entry.transition = entry.transition ? combineTransitions(entry.transition, transition) : transition;
}

/** A step of the batch that cannot move: named, so the agent knows which one held the whole batch back. */
function inBatch(error: unknown, item: BatchItem, move: 'carried' | 'collected'): unknown {
  if (error instanceof ConflictError && error.code.startsWith('STEP.')) {
    return new ConflictError(
      move === 'carried' ? 'BATCH.STEP_NOT_READY' : 'BATCH.STEP_NOT_IN_REVIEW',
      `item ${item.itemId} (${where(item)}): ${error.message}. Nothing in the batch was recorded as ${move}`,
      { itemId: item.itemId },
    );
  }
  return error;
}

/** Every project's transition and the batch itself in one transaction; then the relay. */
async function commitBatch(
  ctx: AppContext,
  principal: Principal,
  batch: Batch,
  next: Batch,
  perProject: Map<string, ProjectEntry>,
  now: Date,
): Promise<void> {
  const ops: StoreOp[] = [
    { op: 'put_batch', batch: { ...next, version: batch.version + 1 }, expectedVersion: batch.version },
  ];
  const entries: OutboxEntry[] = [];
  const stats: StatAddition[] = [];
  const numbering = await noticeNumbering(ctx, now);
  for (const { read, transition } of perProject.values()) {
    if (!transition) continue;
    const notices = await agentNotices(ctx, read, transition, now, numbering);
    const built = transitionOps(
      ctx,
      read,
      transition,
      { actor: principal, ops: notices.ops, sends: notices.sends },
      now,
    );
    ops.push(...built.ops);
    stats.push(...built.stats);
    if (built.entry) entries.push(built.entry);
  }
  await ctx.store.commit([...ops, ...numberingOps(numbering), ...statsOps(stats, now)]);
  for (const entry of entries) await relay(ctx, entry);
}

async function batchFor(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  action: 'batch.read' | 'batch.carry' | 'batch.collect',
): Promise<Batch> {
  const batch = await ctx.store.getBatch(batchId);
  if (!batch) throw new NotFoundError('BATCH.NOT_FOUND', 'no such batch (or it is not one you may see)');
  assertAllowed(principal, action, { batch });
  return batch;
}
