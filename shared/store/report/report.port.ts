import type { Denial } from '../../domain/audit.js';
import type { CounterWrite } from '../../domain/effects/effect-writes.js';
import type { FlaggedItem } from '../../domain/list-rows.js';
import type { StatCounters, StatDimension } from '../../domain/stats.js';
import type { Page, PageRequest } from '../page.js';

/** adds to a month's counters of a department or agent (created on first use) */
export type ReportOp = CounterWrite;

/**
 * What reports read: monthly counters, flagged due dates and deemed approvals, the audit trail of refused attempts.
 * Adapter: `ReportDynamo`.
 */
export interface ReportStore {
  /** The counters of every department (or agent) in one month (`YYYY-MM`). */
  listStats(dimension: StatDimension, month: string): Promise<Array<{ id: string; counters: StatCounters }>>;

  /** The steps and parts whose due date is flagged (a year without a schedule), a page at a time. */
  listFlaggedItems(page: PageRequest): Promise<Page<FlaggedItem>>;
  /** The steps and parts deemed approved (超时默认) by a notice dated on or after `date`, a page at a time. */
  listDeemedSince(date: string, page: PageRequest): Promise<Page<FlaggedItem & { noticeDate: string }>>;

  /** Records a refused attempt in the audit trail (one write of its own, outside any transaction). */
  recordDenial(denial: Denial): Promise<void>;
  /** The refused attempts of one China date (`YYYY-MM-DD`), newest first. */
  listDenials(date: string, page: PageRequest): Promise<Page<Denial>>;
}
