import { assertAllowed } from '../domain/access-policy.js';
import {
  alreadyCorrected,
  assertCalendarChange,
  type CalendarChange,
  calendarAfter,
  correctionDocument,
  correctionNotice,
  countChanges,
  firstDayChanged,
  nothingRecomputed,
  type Recomputed,
  touched,
} from '../domain/calendar-change.js';
import {
  type CalendarOverrides,
  CalendarOverridesSchema,
  NO_OVERRIDES,
} from '../domain/calendar-overrides.js';
import { recountComplaint } from '../domain/complaint-sla.js';
import { ConflictError } from '../domain/errors.js';
import { noticeCorrection } from '../domain/notice-correction.js';
import type { Principal } from '../domain/principal.js';
import { SYSTEM_ACTOR } from '../domain/principal.js';
import { itemKey } from '../domain/project.js';
import { recomputeDue } from '../domain/steps/due-dates.js';
import type { Page, PageRequest } from '../store/store.port.js';
import { WORK_SHARDS } from '../store/table.js';
import { applyTransition } from './apply-transition.js';
import { retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { lifecycleInput } from './context.js';
import { CALENDAR_SETTING } from './live-settings.js';
import { loadState } from './load.js';
import { notificationEffects } from './notify.js';

/** The calendar as it stands: the years with an official schedule, and what the admin added. */
export async function calendarView(ctx: AppContext) {
  await ctx.settings.refresh(ctx.store, { force: true });
  return { knownYears: ctx.calendar.knownYears, overrides: ctx.settings.overrides };
}

/**
 * An admin gives a year's schedule (or corrects one) or a local closure (or lifts one): stored in the table, applied
 * at once in every process, and every date derived from the calendar on or after the first day the change touches
 * is computed again (DOMAIN.md "Never act on a guess").
 */
export async function changeCalendar(
  ctx: AppContext,
  principal: Principal,
  change: CalendarChange,
): Promise<Recomputed> {
  assertAllowed(principal, 'admin.operate');
  assertCalendarChange(change);
  for (let attempt = 0; ; attempt += 1) {
    const current = await ctx.store.getSetting(CALENDAR_SETTING);
    const overrides: CalendarOverrides = current
      ? CalendarOverridesSchema.parse(current.value)
      : NO_OVERRIDES;
    const next = calendarAfter(overrides, change);
    const written = await ctx.store.putSetting(CALENDAR_SETTING, next, {
      expectedRevision: current?.revision ?? null,
    });
    if (written) break;
    if (attempt >= 3)
      throw new ConflictError(
        'CALENDAR.BUSY',
        'the calendar was being changed at the same moment; try again',
      );
  }
  await ctx.settings.refresh(ctx.store, { force: true });
  return recomputeCalendar(ctx, firstDayChanged(change));
}

/** Every page of a paged listing. */
async function everyPage<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit: 100, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return all;
}

/**
 * Computes again every date derived from the calendar that a change from `from` on can move: the steps and parts
 * in review (found in their departments' queues, which every open item with a department sits in), the items the
 * SLA sweep watches (the Work index: approvals on commitment still to verify), those with a guessed date (the
 * FLAGGED index), and the open complaints; then looks up the 超时默认通知单 issued since `from` and gives each one the
 * change proves wrong a correcting record. Its cost grows with what is open, not with what exists.
 */
export async function recomputeCalendar(ctx: AppContext, from: string): Promise<Recomputed> {
  const answer = nothingRecomputed();
  const wanted = new Map<string, { projectId: string; itemKey: string }>();
  const want = (projectId: string, stepId: string, partId?: string) => {
    const itemKey = partId ? `${stepId}#${partId}` : stepId;
    wanted.set(`${projectId}\n${itemKey}`, { projectId, itemKey });
  };
  for (const f of await everyPage((page) => ctx.store.listFlaggedItems(page))) {
    want(f.projectId, f.stepId, f.partId);
  }
  for (const department of await ctx.store.listDepartments()) {
    const rows = await everyPage((page) =>
      ctx.store.listOpenItemsOfDepartment(department.id, { status: 'in_review' }, page),
    );
    for (const row of rows) want(row.projectId, row.stepId, row.partId);
  }
  const complaints = new Set<string>();
  for (let shard = 0; shard < WORK_SHARDS; shard += 1) {
    for (const work of await everyPage((page) => ctx.store.listWatchedWork(shard, page))) {
      if (work.kind === 'sla') wanted.set(`${work.projectId}\n${work.itemKey}`, work);
      if (work.kind === 'complaint') complaints.add(work.complaintId);
    }
  }
  const keys = [...wanted.values()];
  for (let i = 0; i < keys.length; i += 100) {
    const items = (await ctx.store.getItems(keys.slice(i, i + 100))).filter((item) => touched(item, from));
    for (const found of items) {
      const target = { stepId: found.stepId, ...(found.partId ? { partId: found.partId } : {}) };
      const after = await retryOnConflict(async () => {
        const state = await loadState(ctx, found.projectId);
        const transition = recomputeDue(lifecycleInput(ctx, state, ctx.clock.now()), target);
        const before = state.items.get(itemKey(target));
        const changed = transition.changes[0]?.after;
        if (!changed || !before) return before;
        await applyTransition(ctx, state, transition, { actor: SYSTEM_ACTOR });
        countChanges(answer, before, changed);
        return changed;
      });
      if (after && touched(after, '9999-12-31')) answer.stillFlagged += 1;
    }
  }
  for (const complaintId of complaints) {
    const recounted = await retryOnConflict(async () => {
      const complaint = await ctx.store.getComplaint(complaintId);
      if (!complaint || complaint.dueDate < from) return false;
      const next = recountComplaint(ctx.calendar, complaint, ctx.settings.sla, ctx.clock.now());
      if (!next) return false;
      await ctx.store.commit([{ op: 'put_complaint', complaint: next }]);
      return true;
    });
    if (recounted) answer.complaintDueDates += 1;
  }
  answer.corrections = await correctNotices(ctx, from);
  return answer;
}

/**
 * The 超时默认通知单 issued on or after `from` that the calendar as it now is proves wrong (issued before the step's
 * due date, as now computed, had passed): each stays as issued and gets one correcting record on its project (an
 * event on the timeline, and word to the department, the agent and the leaders). A notice already corrected to the
 * same due date is not corrected again.
 */
async function correctNotices(ctx: AppContext, from: string): Promise<number> {
  let corrections = 0;
  for (const deemed of await everyPage((page) => ctx.store.listDeemedSince(from, page))) {
    const target = { stepId: deemed.stepId, ...(deemed.partId ? { partId: deemed.partId } : {}) };
    const corrected = await retryOnConflict(async () => {
      const state = await loadState(ctx, deemed.projectId);
      const item = state.items.get(itemKey(target));
      const record = item ? noticeCorrection(ctx.calendar, item) : undefined;
      if (!item || !record) return false;
      const events = await everyPage((page) => ctx.store.listEvents(deemed.projectId, page));
      if (alreadyCorrected(events, record)) return false;
      const now = ctx.clock.now();
      const notice = { ...correctionNotice(state.project, item, record), project: state.project };
      const effects = await notificationEffects(ctx, [notice], now);
      const correction = correctionDocument(state, item, record, ctx.newId(), now);
      await applyTransition(
        ctx,
        state,
        { changes: [], events: [record], owed: [], relies: [] },
        {
          actor: SYSTEM_ACTOR,
          ops: [...effects.ops, { op: 'put_document', document: correction }],
          sends: effects.sends,
        },
      );
      return true;
    });
    if (corrected) corrections += 1;
  }
  return corrections;
}
