import type { ProjectDocument } from '../documents.js';
import type { Meeting } from '../meeting.js';
import type { Notification } from '../notifications.js';
import type { ProjectEvent, ProjectStep, TokenRef } from '../project.js';
import type { StatCounters, StatDimension } from '../stats.js';
import type { ProjectChange } from '../transition.js';
import type { WorkSummary } from '../work-summary.js';

/**
 * What a change writes and owes, as the domain states it: the same shapes the store's transaction writes
 * (`StoreOp`) and the relay sends (`OutboxSend`), so the application only hands them on. Each write names the
 * condition it is written under.
 */

/** What a channel hears of a piece of news (the event bus, SNS). */
export type ChannelNote = {
  kind: string;
  title: string;
  message: string;
  at: string;
  projectId?: string;
  projectCode?: string;
  stepId?: string;
  partId?: string;
  departmentId?: string;
  /** the escalation rung, for escalations */
  rung?: string;
};

/** A signal a committed change owes, sent by the relay after the commit. */
export type OwedSend =
  | { type: 'task_success'; token: string; output: Record<string, unknown>; what: string }
  | { type: 'publish_event'; event: ChannelNote }
  | { type: 'post_webhook'; url: string; text: string; what: string }
  | { type: 'alert'; event: ChannelNote };

/** The outbox entry of what a change owes (`S`: the caller's own kinds of sends besides the domain's). */
export type OutboxDraft<S = never> = {
  projectId: string;
  outboxId: string;
  createdAt: string;
  retryAt: string;
  attempts: 0;
  sends: Array<OwedSend | S>;
};

/** One write of a change's transaction. */
export type EffectWrite =
  | { op: 'put_item'; item: ProjectStep }
  | { op: 'update_item'; before: ProjectStep; after: ProjectStep }
  | { op: 'check_item'; item: ProjectStep; unwritten?: true }
  | { op: 'put_token'; projectId: string; itemKey: string; kind: 'task' | 'gate'; ref: TokenRef }
  | {
      op: 'check_token';
      projectId: string;
      itemKey: string;
      kind: 'task' | 'gate';
      token: string | undefined;
    }
  | { op: 'put_event'; event: ProjectEvent }
  | {
      op: 'update_project';
      projectId: string;
      at: string;
      change: ProjectChange;
      work?: WorkSummary;
      touch?: false;
      /** only while the project's `workSeq` is still this: no item of the project written since it was read */
      expectWorkSeq?: number;
      /** a callback token of the project stored in the same transaction: `tokenSeq` one up */
      addTokenSeq?: true;
      /** only while the project's `tokenSeq` is still this: no token of the project stored since it was read */
      expectTokenSeq?: number;
    }
  | { op: 'put_document'; document: ProjectDocument }
  | { op: 'put_notification'; notification: Notification }
  | { op: 'put_meeting'; meeting: Meeting; expectedVersion: number | null }
  | { op: 'take_serial'; sequence: string; expected: number | undefined; next: number };

/** A counter write: a month's counters of a department, an agent or an enterprise. */
export type CounterWrite = {
  op: 'update_stats';
  dimension: StatDimension;
  id: string;
  month: string;
  add: Partial<StatCounters>;
};

/** The outbox entry's write. */
export type OutboxWrite<S = never> = { op: 'put_outbox'; entry: OutboxDraft<S> };
