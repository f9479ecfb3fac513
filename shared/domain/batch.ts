import { z } from 'zod';
import { DepartmentLevelSchema } from './department.js';
import { ConflictError, InvalidInputError } from './errors.js';
import { localDateTime } from './local-time.js';
import { InstantSchema as Instant } from './time.js';

/**
 * A batch (批次) of originals the agent carries up to one city or provincial department (上下协同: 全程代办员负责成批次
 * 上报原件、领取批件): several steps held by that department, of one or several of the agent's projects. Assembled,
 * then carried up (the department accepts them: each step's clock starts), then collected (the approvals come back:
 * each step is decided). Each move is one transaction over every step of the batch, or nothing.
 *
 *   assembling ─(carried up)→ carried ─(approvals collected)→ collected
 *       └─(cancelled, with a reason)→ cancelled
 *
 * Before it is carried up, the agent may take items out of it or cancel it. A step sits in one open batch at a
 * time. An item its department decided directly meanwhile is dropped at the collection, and the drop recorded.
 */
export const BatchStatusSchema = z.enum(['assembling', 'carried', 'collected', 'cancelled']);
export type BatchStatus = z.infer<typeof BatchStatusSchema>;

export const MAX_BATCH_ITEMS = 20;

export const BatchItemSchema = z.object({
  /** 1, 2, … in the order assembled */
  itemId: z.string(),
  projectId: z.string(),
  projectCode: z.string(),
  projectName: z.string(),
  enterpriseId: z.string(),
  stepId: z.string(),
  stepName: z.string(),
  /** once collected: what the department decided, and the approval document's number when it approved */
  outcome: z.string().optional(),
  documentNumber: z.string().optional(),
  /** decided directly by its department before the collection: dropped from it, with what was decided */
  dropped: z.object({ status: z.string(), at: Instant }).optional(),
});
export type BatchItem = z.infer<typeof BatchItemSchema>;

export const BatchSchema = z.object({
  batchId: z.string(),
  version: z.number().int(),
  status: BatchStatusSchema,
  departmentId: z.string(),
  departmentName: z.string(),
  level: DepartmentLevelSchema,
  agentId: z.string(),
  items: z.array(BatchItemSchema),
  note: z.string().optional(),
  createdAt: Instant,
  /** when the originals were handed in upstairs (受理), and who recorded it */
  carriedAt: Instant.optional(),
  carriedBy: z.string().optional(),
  /** when the approvals were collected (领取批件), and who recorded them */
  collectedAt: Instant.optional(),
  collectedBy: z.string().optional(),
  cancelled: z.object({ reason: z.string(), by: z.string(), at: Instant }).optional(),
  /** items taken out before it was carried up (痕迹管理: the record of what was in it stays) */
  removed: z.array(BatchItemSchema.extend({ reason: z.string(), by: z.string(), at: Instant })).optional(),
  updatedAt: Instant,
});
export type Batch = z.infer<typeof BatchSchema>;

/**
 * The instant a move of the batch happened: the one recorded (the agent may record a trip of earlier that day or
 * week), or now. Never in the future, never before what it follows.
 */
export function momentOf(
  recorded: string | undefined,
  now: Date,
  notBefore: { at: string; what: string },
  what: string,
): Date {
  const at = recorded ? new Date(recorded) : now;
  if (at.getTime() > now.getTime()) {
    throw new InvalidInputError('BATCH.IN_THE_FUTURE', `${what} (${localDateTime(at)}) is in the future`);
  }
  if (at.getTime() < new Date(notBefore.at).getTime()) {
    throw new InvalidInputError(
      'BATCH.TOO_EARLY',
      `${what} (${localDateTime(at)}) is before ${notBefore.what} (${localDateTime(notBefore.at)})`,
    );
  }
  return at;
}

/** A batch still open: assembling, or carried up and not yet collected (a step sits in one at a time). */
export const isOpenBatch = (batch: Pick<Batch, 'status'>): boolean =>
  batch.status === 'assembling' || batch.status === 'carried';

const stillAssembling = (batch: Batch, what: string): void => {
  if (batch.status !== 'assembling') {
    throw new ConflictError(
      'BATCH.NOT_ASSEMBLING',
      `batch ${batch.batchId} is ${batch.status}: only a batch not yet carried up can ${what}`,
      { status: batch.status },
    );
  }
};

/** The agent takes items out of a batch not yet carried up, with a reason; a batch keeps at least one item. */
export function withoutItems(
  batch: Batch,
  itemIds: readonly string[],
  reason: string,
  by: string,
  now: Date,
): Batch {
  stillAssembling(batch, 'be edited');
  const unknown = itemIds.filter((id) => !batch.items.some((i) => i.itemId === id));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      'BATCH.UNKNOWN_ITEM',
      `batch ${batch.batchId} has no item ${unknown.join(', ')}`,
    );
  }
  const kept = batch.items.filter((i) => !itemIds.includes(i.itemId));
  if (kept.length === 0) {
    throw new InvalidInputError(
      'BATCH.WOULD_BE_EMPTY',
      'a batch keeps at least one item: to drop them all, cancel the batch (POST /batches/{id}/cancellation)',
    );
  }
  const at = now.toISOString();
  return {
    ...batch,
    items: kept,
    removed: [
      ...(batch.removed ?? []),
      ...batch.items.filter((i) => itemIds.includes(i.itemId)).map((i) => ({ ...i, reason, by, at })),
    ],
    updatedAt: at,
  };
}

/** The agent cancels a batch not yet carried up, with a reason: its steps are free for another batch. */
export function cancelledBatch(batch: Batch, reason: string, by: string, now: Date): Batch {
  stillAssembling(batch, 'be cancelled');
  const at = now.toISOString();
  return { ...batch, status: 'cancelled', cancelled: { reason, by, at }, updatedAt: at };
}

/** The batch carried up: only an assembled batch can be. */
export function carriedUp(batch: Batch, at: Date, by: string, now: Date): Batch {
  if (batch.status !== 'assembling') {
    throw new ConflictError(
      'BATCH.ALREADY_CARRIED',
      `batch ${batch.batchId} was already carried up to ${batch.departmentName} on ${batch.carriedAt ? localDateTime(batch.carriedAt) : '?'}`,
      { status: batch.status },
    );
  }
  return {
    ...batch,
    status: 'carried',
    carriedAt: at.toISOString(),
    carriedBy: by,
    updatedAt: now.toISOString(),
  };
}

/**
 * The batch's approvals collected: only a batch carried up can be, and every item must be decided at once, but those
 * its department decided directly meanwhile (`dropped`: item id → the step's status), which drop out, recorded.
 */
export function collected(
  batch: Batch,
  at: Date,
  by: string,
  now: Date,
  outcomes: ReadonlyMap<string, { outcome: string; documentNumber?: string }>,
  dropped: ReadonlyMap<string, string> = new Map(),
): Batch {
  if (batch.status !== 'carried') {
    throw new ConflictError(
      batch.status === 'collected' ? 'BATCH.ALREADY_COLLECTED' : 'BATCH.NOT_CARRIED',
      batch.status === 'collected'
        ? `batch ${batch.batchId}'s approvals were already collected on ${batch.collectedAt ? localDateTime(batch.collectedAt) : '?'}`
        : `batch ${batch.batchId} has not been carried up yet: record that first (POST /batches/${batch.batchId}/carried)`,
      { status: batch.status },
    );
  }
  const unknown = [...outcomes.keys()].filter((id) => !batch.items.some((i) => i.itemId === id));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      'BATCH.UNKNOWN_ITEM',
      `batch ${batch.batchId} has no item ${unknown.join(', ')}`,
    );
  }
  const missing = batch.items.filter((i) => !outcomes.has(i.itemId) && !dropped.has(i.itemId));
  if (missing.length > 0) {
    throw new InvalidInputError(
      'BATCH.ITEMS_UNDECIDED',
      `a collection records what was decided on every item of the batch; missing: ${missing
        .map((i) => `item ${i.itemId} (${i.projectCode} step ${i.stepId})`)
        .join(', ')}`,
    );
  }
  return {
    ...batch,
    status: 'collected',
    collectedAt: at.toISOString(),
    collectedBy: by,
    items: batch.items.map((i) => {
      const status = dropped.get(i.itemId);
      return status
        ? { ...i, dropped: { status, at: now.toISOString() } }
        : { ...i, ...outcomes.get(i.itemId) };
    }),
    updatedAt: now.toISOString(),
  };
}
