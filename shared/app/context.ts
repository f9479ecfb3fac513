import { monotonicFactory } from 'ulid';
import type { WorkingDayCalendar } from '../domain/working-days.js';
import type { WorkflowEngine } from '../engine/workflow-engine.port.js';
import type { DaibanStore } from '../store/store.port.js';
import type { ChainCatalog } from './chain-catalog.js';
import type { Clock } from './clock.js';

/** Operator settings that are data, not code. */
export type DaibanConfig = {
  /** 6-digit administrative region code used in project codes (e.g. 320115 江宁区) */
  regionCode: string;
  /** 2-digit industry/department segment of the project code */
  industryCode: string;
  /** 2-digit type segment: 01 备案 (filing), 02 核准, 03 审批 */
  typeCode: string;
};

/** Everything a use case needs, handed in by the entry point (Lambda handler or local runtime). */
export type AppContext = {
  store: DaibanStore;
  engine: WorkflowEngine;
  chains: ChainCatalog;
  clock: Clock;
  calendar: WorkingDayCalendar;
  newId: () => string;
  config: DaibanConfig;
};

/** ULIDs sort by creation time, which keeps events in order within a project. */
export const ulidFactory = (): (() => string) => {
  const next = monotonicFactory();
  return () => next();
};
