import type { z } from 'zod';
import { allowedOn, assertAllowed } from '../domain/access-policy.js';
import { type Batch, carriedUp, collected, momentOf } from '../domain/batch.js';
import {
  type CarriedInputSchema,
  type CollectedDecision,
  type CollectionInput,
  carriedStep,
  collectedOutcomes,
  collectionPlan,
  inBatch,
  lastOpenedOf,
} from '../domain/batch-rules.js';
import type { StatAddition } from '../domain/counted-against.js';
import { counterWrites } from '../domain/effects/counter-writes.js';
import type { Principal } from '../domain/principal.js';
import {
  applyChanges,
  combineTransitions,
  type ProjectState,
  type Transition,
} from '../domain/transition.js';
import type { OutboxEntry, StoreOp } from '../store/store.port.js';
import { agentNotices, noticeNumbering, numberingOps } from './agent-notices.js';
import { transitionOps } from './apply-transition.js';
import { retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { lifecycleInput } from './context.js';
import { loadState } from './load.js';
import { relay } from './relay.js';
import { decisionTransition } from './step-actions.js';

/**
 * The two moves of a batch that write its steps (上下协同): carried up (every step submitted) and collected (every
 * step decided through the decision path). Each writes every step of the batch and the batch itself in one
 * transaction: all of them, or none. The rules: `shared/domain/batch.ts` and `batch-rules.ts`.
 */

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
    const at = momentOf(
      input.carriedAt,
      now,
      { at: lastOpenedOf(batch, readStates(perProject)), what: 'the last of its steps opened' },
      'carriedAt',
    );
    const next = carriedUp(batch, at, principal.userId, now);
    for (const item of batch.items) {
      const entry = perProject.get(item.projectId) as ProjectEntry;
      assertAllowed(principal, 'step.submit', { project: entry.state.project });
      add(entry, carriedStep(lifecycleInput(ctx, entry.state, at), batch, item));
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
    const perProject = await statesOf(ctx, batch);
    // an item its department acted on directly meanwhile (decided, or sent back for a supplement) is no longer
    // the batch's to collect: it drops out of the collection, recorded on the batch
    const { decisions, dropped } = collectionPlan(
      batch,
      input.decisions,
      (item) => perProject.get(item.projectId)?.state.items.get(item.stepId)?.status,
    );
    const next = collected(batch, at, principal.userId, now, collectedOutcomes(decisions), dropped);
    for (const item of batch.items) {
      if (dropped.has(item.itemId)) continue;
      const entry = perProject.get(item.projectId) as ProjectEntry;
      const { itemId: _i, ...decision } = decisions.get(item.itemId) as CollectedDecision;
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

/** A batch the caller may see and act on so. */
export async function batchFor(
  ctx: AppContext,
  principal: Principal,
  batchId: string,
  action: 'batch.read' | 'batch.carry' | 'batch.collect',
): Promise<Batch> {
  return allowedOn(principal, action, 'batch', await ctx.store.getBatch(batchId));
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

const readStates = (perProject: Map<string, ProjectEntry>): Map<string, ProjectState> =>
  new Map([...perProject].map(([id, entry]) => [id, entry.state]));

/** A project's changes one after the other on its state, as one transition. */
function add(entry: ProjectEntry, transition: Transition): void {
  entry.state = applyChanges(entry.state, transition.changes);
  entry.transition = entry.transition ? combineTransitions(entry.transition, transition) : transition;
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
  await ctx.store.commit([...ops, ...numberingOps(numbering), ...counterWrites(stats, now)]);
  for (const entry of entries) await relay(ctx, entry);
}
