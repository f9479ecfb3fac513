import { monotonicFactory } from 'ulid';
import type { LifecycleInput } from '../domain/steps/lifecycle.js';
import type { ProjectState } from '../domain/transition.js';
import type { WorkingDayCalendar } from '../domain/working-days.js';
import type { WorkflowEngine } from '../engine/workflow-engine.port.js';
import type { NotificationChannels } from '../notify/channels.port.js';
import type { DaibanStore } from '../store/store.port.js';
import type { ChainCatalog } from './chain-catalog.js';
import type { Clock } from './clock.js';
import type { LiveSettings } from './live-settings.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { SerialBlocks } from './serial-blocks.js';

/** Operator settings that are data, not code. */
export type DaibanConfig = {
  /** 6-digit administrative region code used in project codes (e.g. 320115 江宁区) */
  regionCode: string;
  /** 2-digit industry/department segment of the project code */
  industryCode: string;
  /** 2-digit type segment: 01 备案 (filing), 02 核准, 03 审批 */
  typeCode: string;
};

/** How the spine keeps itself moving; the same numbers on both runtimes unless a test says otherwise. */
export type SpineSettings = {
  /** an outbox entry the relay has not cleared is re-sent by the scheduled job after this long */
  outboxGraceSeconds: number;
  /**
   * An execution is renewed (a new generation) after this many days: well inside Step Functions' one-year limit,
   * so a project that spends years under construction never has an execution that could expire.
   */
  executionMaxAgeDays: number;
  /** how long a fresh execution may take to reach its open steps before the audit calls it stuck */
  stuckAfterSeconds: number;
  /** how many in-flight projects each scheduled run audits (a cursor walks them all, run after run) */
  auditBatch: number;
};

export const DEFAULT_SPINE: SpineSettings = {
  outboxGraceSeconds: 30,
  executionMaxAgeDays: 300,
  stuckAfterSeconds: 300,
  auditBatch: 100,
};

/** Everything a use case needs, handed in by the entry point (Lambda handler or local runtime). */
export type AppContext = {
  store: DaibanStore;
  engine: WorkflowEngine;
  chains: ChainCatalog;
  /** numbers of unique sequences (project codes' serials), a block at a time per process */
  serials: SerialBlocks;
  clock: Clock;
  calendar: WorkingDayCalendar;
  newId: () => string;
  config: DaibanConfig;
  spine: SpineSettings;
  /** the calendar's overrides and the SLA policy, refreshed from the table (`settings.calendar` is `calendar`) */
  settings: LiveSettings;
  /** notification channels besides the in-app inbox (absent: in-app only) */
  channels?: NotificationChannels;
  log: Logger;
  /** counts for dashboards and alarms (absent: none published) */
  metrics?: Metrics;
};

/** ULIDs sort by creation time, which keeps events in order within a project. */
export const ulidFactory = (): (() => string) => {
  const next = monotonicFactory();
  return () => next();
};

/** What a step's lifecycle rules read at `now`: the project's state, the working-day calendar and the SLA policy in force. */
export function lifecycleInput(ctx: AppContext, state: ProjectState, now: Date): LifecycleInput {
  return { state, now, calendar: ctx.calendar, sla: ctx.settings.sla };
}
