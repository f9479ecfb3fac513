import type { z } from 'zod';
import { assertAllowed } from '../domain/access-policy.js';
import { type Batch, type BatchItem, cancelledBatch, withoutItems } from '../domain/batch.js';
import {
  assertDistinctSteps,
  assertInNoOpenBatch,
  type BatchEditSchema,
  type BatchInput,
  batchDestination,
  batchItemOf,
  batchListFilter,
  newBatch,
  type OpenBatchSteps,
  openBatchSteps,
} from '../domain/batch-rules.js';
import type { Principal } from '../domain/principal.js';
import type { Page, PageRequest } from '../store/store.port.js';
import { batchFor } from './batch-moves.js';
import { retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { loadWhenOpened } from './opened-state.js';

/**
 * Batches of originals carried up to a city or provincial department (上下协同). The agent assembles a batch of
 * steps that department holds, records the trip upstairs (each step is submitted: its clock starts on the day the
 * department accepted the originals) and the collection of the approvals (each step is decided through the same
 * decision path as a department's, with its approval document): those two moves are in `batch-moves.ts`. The rules:
 * `shared/domain/batch.ts` (the batch's moves) and `batch-rules.ts` (what goes in a batch, what the moves do).
 */
export {
  BatchCancellationSchema,
  BatchEditSchema,
  type BatchInput,
  BatchInputSchema,
  CarriedInputSchema,
  type CollectionInput,
  CollectionInputSchema,
} from '../domain/batch-rules.js';
export { carryBatch, collectBatch } from './batch-moves.js';

/** The agent assembles a batch: every step held by the same upper-level department, of their projects, ready. */
export async function assembleBatch(
  ctx: AppContext,
  principal: Principal,
  input: BatchInput,
): Promise<Batch> {
  assertAllowed(principal, 'batch.assemble');
  const department = batchDestination(input.departmentId, await ctx.store.getDepartment(input.departmentId));
  assertDistinctSteps(input.items);
  const open = await agentsOpenBatchSteps(ctx, principal.userId);
  const items: BatchItem[] = [];
  for (const [index, entry] of input.items.entries()) {
    assertInNoOpenBatch(entry, open);
    items.push(
      // a step an earlier answer opened is waited for (即写即读), as a submission waits for it
      batchItemOf(
        principal,
        await loadWhenOpened(ctx, entry.projectId, entry.stepId),
        entry.stepId,
        department,
        index,
      ),
    );
  }
  const batch = newBatch({
    batchId: ctx.newId(),
    department,
    agentId: principal.userId,
    items,
    ...(input.note ? { note: input.note } : {}),
    now: ctx.clock.now(),
  });
  await ctx.store.commit([{ op: 'put_batch', batch, expectedVersion: null }]);
  return batch;
}

/** The steps in the agent's open batches (a step sits in one at a time), every page of them. */
async function agentsOpenBatchSteps(ctx: AppContext, agentId: string): Promise<OpenBatchSteps> {
  const batches: Batch[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.store.listBatches({ agentId }, { limit: 100, ...(cursor ? { cursor } : {}) });
    batches.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return openBatchSteps(batches);
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
  const filter = batchListFilter(principal);
  if (!filter) return { items: [] };
  return ctx.store.listBatches(filter, page);
}
