import { verificationCheckAt } from './commitment.js';
import { deferralCheckAt, earliest } from './deferred-materials.js';
import { climbed, type Escalation } from './escalation-ladder.js';
import type { Light } from './lights.js';
import { itemKey, type ProjectStep } from './project.js';
import type { EscalationRung, SlaPolicy } from './sla-policy.js';
import { DEFAULT_SLA_POLICY } from './sla-policy.js';
import { pendingCheckpoints, type SlaCheckpoint, slaTimeline } from './sla-timeline.js';
import { clockDue, openPause } from './step-clock.js';
import { decideStep } from './steps/decision.js';
import { deemedAllowedFor } from './steps/due-dates.js';
import type { LifecycleInput } from './steps/lifecycle.js';
import { applyChanges, changed, type EventDraft, squashChanges, type Transition } from './transition.js';
import { chinaDate, type WorkingDayCalendar } from './working-days.js';

/** What the SLA sweep did to an item, for notifications, notices and the counters of those concerned. */
export type SlaAction =
  | { kind: 'yellow' }
  | { kind: 'red'; dueDate: string }
  | (Escalation<EscalationRung> & {
      /** working days overdue when the rung was climbed (0 the day after the due date, a weekend day included) */
      overdueDays: number;
    })
  | { kind: 'deemed'; dueDate: string }
  /** 容缺: the applicant did not supply the deferred materials by their deadline (the applicant's breach) */
  | { kind: 'deferral_missed'; supplyBy: string; materials: string[] }
  /** 告知承诺制: the department has not recorded its verification by the day it was due */
  | { kind: 'verification_overdue'; verifyBy: string }
  /**
   * Never act on a guess (DOMAIN.md): a deadline came due on a date counted through a year without a published
   * schedule; nothing was deemed, marked or charged, and the admins must add the year (`years`)
   */
  | { kind: 'held'; deadline: 'due' | 'supply' | 'verify'; date: string; years: number[] };

/** The years from `from` to `to` (China dates) whose official schedule the calendar lacks. */
export function missingYears(calendar: WorkingDayCalendar, from: string, to: string): number[] {
  const known = new Set(calendar.knownYears);
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y += 1)
    if (!known.has(y)) years.push(y);
  return years.length > 0 ? years : [Number(to.slice(0, 4))];
}

/** A check that came due on a guessed date is not armed again: it waits for the year (the recompute re-arms it). */
const armed = (instant: string | undefined, guessed: boolean, at: string): string | undefined =>
  instant !== undefined && guessed && instant <= at ? undefined : instant;

/**
 * The deadlines of an item that are not its department's clock: the applicant's supply deadline for materials
 * accepted as missing (容缺), and the verification of an approval given on commitment (告知承诺制). Each is acted on
 * once, the day after it passed.
 */
function otherDeadlines(
  item: ProjectStep,
  at: string,
  calendar: WorkingDayCalendar,
): { item: ProjectStep; events: EventDraft[]; actions: SlaAction[] } {
  let marked = item;
  const events: EventDraft[] = [];
  const actions: SlaAction[] = [];
  const where = { stepId: item.stepId, ...(item.partId ? { partId: item.partId } : {}) };
  const deferralAt = deferralCheckAt(item);
  if (marked.deferred?.supplyByFlagged && deferralAt && deferralAt <= at) {
    const { supplyBy } = marked.deferred;
    const from = marked.deferred.from ?? marked.clock?.acceptedOn ?? supplyBy;
    actions.push({
      kind: 'held',
      deadline: 'supply',
      date: supplyBy,
      years: missingYears(calendar, from, supplyBy),
    });
  } else if (marked.deferred && deferralAt && deferralAt <= at) {
    const materials = marked.deferred.materials.map((m) => m.materialId);
    marked = { ...marked, deferred: { ...marked.deferred, missed: true }, updatedAt: at };
    events.push({
      type: 'deferred_materials_overdue',
      ...where,
      after: { missed: true },
      data: { supplyBy: item.deferred?.supplyBy, materials },
    });
    actions.push({ kind: 'deferral_missed', supplyBy: marked.deferred?.supplyBy ?? '', materials });
  }
  const verifyAt = verificationCheckAt(item);
  if (marked.commitment?.verifyBy && marked.commitment.verifyByFlagged && verifyAt && verifyAt <= at) {
    const { verifyBy } = marked.commitment;
    const from = (marked.commitment.approvedAt ?? at).slice(0, 10);
    actions.push({
      kind: 'held',
      deadline: 'verify',
      date: verifyBy,
      years: missingYears(calendar, from, verifyBy),
    });
  } else if (marked.commitment?.verifyBy && verifyAt && verifyAt <= at) {
    marked = { ...marked, commitment: { ...marked.commitment, overdue: true }, updatedAt: at };
    events.push({
      type: 'commitment_verification_overdue',
      ...where,
      after: { overdue: true },
      data: { verifyBy: marked.commitment?.verifyBy },
    });
    actions.push({ kind: 'verification_overdue', verifyBy: marked.commitment?.verifyBy ?? '' });
  }
  return { item: marked, events, actions };
}

/**
 * The SLA sweep's step on one item at `now`: every checkpoint due and not yet acted on is acted on, in order (a
 * light, the breach, the rungs of the escalation ladder, 超时默认 through the same decision path as an officer's;
 * a 容缺 supply deadline missed; a commitment's verification overdue), and the item learns when to be looked at
 * next. Nothing due: nothing changes (a second sweep at the same instant is a no-op). A step held by a city or
 * provincial department (`heldUpstairs`) is never deemed approved: a district cannot approve on a higher level's
 * behalf; it goes on climbing the ladder instead.
 */
export function slaStep(
  input: LifecycleInput,
  target: { stepId: string; partId?: string },
  options: { heldUpstairs?: boolean } = {},
): { transition: Transition; actions: SlaAction[] } {
  const { state, now, calendar } = input;
  const policy: SlaPolicy = input.sla ?? DEFAULT_SLA_POLICY;
  const nothing = { transition: { changes: [], events: [], owed: [], relies: [] }, actions: [] };
  const original = state.items.get(itemKey(target));
  if (!original) return nothing;
  const at = now.toISOString();
  const other = otherDeadlines(original, at, calendar);
  const item = other.item;
  // the 容缺 and verification checks still armed: those that came due on a guessed date wait for the year
  const otherCheckAt = (progress: ProjectStep) =>
    earliest(
      armed(deferralCheckAt(progress), progress.deferred?.supplyByFlagged === true, at),
      armed(verificationCheckAt(progress), progress.commitment?.verifyByFlagged === true, at),
    );
  const clockRuns = item.status === 'in_review' && item.clock && !openPause(item.clock) && item.dueDate;
  if (!clockRuns || !item.clock || !item.dueDate) {
    const next = otherCheckAt(item);
    if (other.actions.length === 0 && next === original.slaCheckAt) return nothing;
    const { slaCheckAt: _c, ...rest } = item;
    return {
      transition: {
        changes: [changed(original, { ...rest, ...(next ? { slaCheckAt: next } : {}) })],
        events: other.events,
        owed: [],
        relies: [],
      },
      actions: other.actions,
    };
  }
  const clock = item.clock;
  const deemedAllowed = !options.heldUpstairs && deemedAllowedFor(state, item);
  // Never act on a guess: a promised due date counted through a year without a schedule lights yellow (a warning)
  // but is never breached, escalated or deemed on; once such a checkpoint comes due the item is held, the admins
  // are told, and nothing more is armed on the guess until the year's schedule is added (the recompute re-arms it).
  const dueDays = clockDue(calendar, clock);
  const onGuess = (c: SlaCheckpoint) => dueDays?.dueFlagged === true && c.kind !== 'yellow';
  const timeline = slaTimeline(calendar, clock, policy, deemedAllowed);
  const pending = pendingCheckpoints(timeline, item).filter((c) => c.at <= at);
  const due = pending.filter((c) => !onGuess(c));
  const holding = pending.some(onGuess);
  // once held, nothing more on the guess is armed (a later rung would only be held again)
  const checkAt = (progress: ProjectStep) =>
    earliest(
      pendingCheckpoints(timeline, progress).find((c) => !(onGuess(c) && (holding || c.at <= at)))?.at,
      otherCheckAt(progress),
    );
  if (holding && dueDays) {
    other.actions.push({
      kind: 'held',
      deadline: 'due',
      date: dueDays.dueDate,
      years: missingYears(calendar, clock.acceptedOn, dueDays.dueDate),
    });
  }
  if (due.length === 0) {
    const next = checkAt(item);
    if (other.actions.length === 0 && next === original.slaCheckAt) return nothing;
    const { slaCheckAt: _c, ...rest } = item;
    return {
      transition: {
        ...nothing.transition,
        changes: [changed(original, { ...rest, ...(next ? { slaCheckAt: next } : {}) })],
        events: other.events,
      },
      actions: other.actions,
    };
  }
  let light: Light = item.light ?? 'green';
  let escalationLevel = item.escalationLevel ?? 0;
  const events: EventDraft[] = [...other.events];
  const actions: SlaAction[] = [...other.actions];
  const where = { stepId: item.stepId, ...(item.partId ? { partId: item.partId } : {}) };
  let deem = false;
  for (const checkpoint of due) {
    switch (checkpoint.kind) {
      case 'yellow':
        events.push({
          type: 'sla_light_changed',
          ...where,
          before: { light },
          after: { light: 'yellow' },
          data: { dueDate: item.dueDate },
        });
        light = 'yellow';
        actions.push({ kind: 'yellow' });
        break;
      case 'red':
        events.push({
          type: 'sla_breached',
          ...where,
          before: { light },
          after: { light: 'red' },
          data: { dueDate: item.dueDate },
        });
        light = 'red';
        actions.push({ kind: 'red', dueDate: item.dueDate });
        break;
      case 'escalate':
        events.push({
          type: 'sla_escalated',
          ...where,
          before: { escalationLevel },
          after: { escalationLevel: checkpoint.level },
          data: {
            rung: checkpoint.rung,
            afterOverdueDays: checkpoint.afterOverdueDays,
            dueDate: item.dueDate,
          },
        });
        escalationLevel = checkpoint.level;
        actions.push({
          ...climbed(checkpoint),
          overdueDays: Math.max(0, calendar.workingDaysBetween(item.dueDate, chinaDate(now)).days),
        });
        break;
      case 'deemed':
        deem = true;
        break;
    }
  }
  const marked: ProjectStep = { ...item, light, escalationLevel, updatedAt: at };
  const markedChange = changed(original, marked);
  if (!deem) {
    const next = checkAt(marked);
    const { slaCheckAt: _c, ...rest } = markedChange.after;
    return {
      transition: {
        changes: [{ before: original, after: next ? { ...rest, slaCheckAt: next } : rest }],
        events,
        owed: [],
        relies: [],
      },
      actions,
    };
  }
  // 超时默认: the same decision path as an officer's, on the item as marked.
  const decided = decideStep(
    { ...input, state: applyChanges(state, [markedChange]) },
    target,
    {
      outcome: 'deemed_approved',
      reason: `超时默认: the department did not decide within its promised limit (due ${item.dueDate})`,
    },
    { userId: 'system', via: 'sla' },
  );
  actions.push({ kind: 'deemed', dueDate: item.dueDate });
  return {
    transition: {
      ...decided,
      changes: squashChanges([markedChange, ...decided.changes]),
      events: [...events, ...decided.events],
    },
    actions,
  };
}
