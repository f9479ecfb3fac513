import type { OwedSend } from '../../domain/effects/effect-writes.js';
import type { Page, PageRequest } from '../page.js';

/**
 * What the engine is sent once a change is committed (see `shared/app/relay.ts`): what the domain states a change
 * owes (`OwedSend`), and the executions the use cases start and stop.
 */
export type OutboxSend =
  | OwedSend
  | { type: 'start_execution'; projectId: string; name: string; chainKey: string; stageIndex: number }
  | { type: 'stop_execution'; name: string; chainKey: string };

/**
 * Signals a committed change owes (DESIGN.md decision 7): written in the change's own transaction, sent by the
 * relay right after it and deleted; anything left is found by the scheduled job once `retryAt` has passed.
 */
export type OutboxEntry = {
  projectId: string;
  outboxId: string;
  createdAt: string;
  retryAt: string;
  attempts: number;
  sends: OutboxSend[];
};

/** Work the scheduled job finds in the sparse, write-sharded work index once its instant has come. */
export type WorkItem =
  | { kind: 'outbox'; at: string; projectId: string; outboxId: string }
  | { kind: 'renew'; at: string; projectId: string }
  | { kind: 'sla'; at: string; projectId: string; itemKey: string }
  /** an efficiency complaint whose time limit moves on (a light, the breach, an escalation) */
  | { kind: 'complaint'; at: string; complaintId: string };

/** Writes of the outbox in a transaction. */
export type OutboxOp =
  | { op: 'put_outbox'; entry: OutboxEntry }
  /** an outbox entry no longer owed (deleted whether or not it is still there) */
  | { op: 'delete_outbox'; projectId: string; outboxId: string };

/** The outbox and the work index the scheduled job reads. Adapter: `OutboxDynamo`. */
export interface OutboxStore {
  getOutbox(projectId: string, outboxId: string): Promise<OutboxEntry | undefined>;
  /** Deletes a sent outbox entry (no error when it is gone already). */
  deleteOutbox(projectId: string, outboxId: string): Promise<void>;
  /** Deletes sent outbox entries together (a batch write; no error for those gone already). */
  deleteOutboxes(entries: readonly { projectId: string; outboxId: string }[]): Promise<void>;
  /** What is left of an entry after a failed send: the sends still owed, and when to try again. */
  rescheduleOutbox(entry: OutboxEntry): Promise<void>;
  /** Work due at or before `until` on one shard of the work index, oldest first. */
  listDueWork(shard: number, until: string, limit: number): Promise<WorkItem[]>;
  /** Everything the scheduled job watches on one shard of the work index, due or not, a page at a time. */
  listWatchedWork(shard: number, page: PageRequest): Promise<Page<WorkItem>>;
}
