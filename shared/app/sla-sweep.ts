import { type SweepPlan, sweepEffects, sweepPlan } from '../domain/effects/sweep-effects.js';
import type { Meeting } from '../domain/meeting.js';
import type { SlaAction } from '../domain/sla.js';
import type { OutboxEntry, StoreOp } from '../store/store.port.js';
import { retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';
import { referenceData } from './reference-cache.js';
import { relay } from './relay.js';
import type { SweepInbox } from './sweep-inbox.js';
import { inLane } from './sweep-lanes.js';
import type { SweepSent } from './sweep-sent.js';
import type { SweepStats } from './sweep-stats.js';

export { overdueText } from '../domain/sla-news.js';

/** The days' meeting proposals of lead departments this process found full (a day's proposals only fill up). */
const FULL_PROPOSAL_DAYS = new Set<string>();

/** The first proposal of a day (by its prefix) not known full in this process. */
const FIRST_OPEN = new Map<string, number>();

/**
 * The proposal this process last wrote in each lane, as written: the next item of the lane starts from it instead
 * of reading it again (its write is conditional on that version: a proposal changed meanwhile by anyone else makes
 * the commit fail, and the retry reads it afresh).
 */
const LAST_WRITTEN = new Map<string, Meeting>();

/** What the sweep did to one item, and the years without a schedule its held deadlines wait on. */
export type SweptItem = { actions: SlaAction[]; heldYears: number[] };

const NOTHING: SweptItem = { actions: [], heldYears: [] };

/**
 * The SLA sweep's work on one step or part that has come due in the Work index (DESIGN.md decision 4): read the
 * base item again (the index is eventually consistent), act on every checkpoint due (lights, the breach, the
 * escalation ladder, 超时默认 with its notice), tell the people concerned, count it against the department, and set
 * when to look again: one transaction. A second sweep at the same instant finds nothing due and writes nothing.
 *
 * Read once, write once: (1) the project's working set and the departments (one cached list) at once; the pure
 * `sweepPlan` decides; (2) what its actions need at once: the users told (the reference cache), the notice's serial
 * (one atomic counter draw, only for a deemed approval); at the joint-meeting rung the day's meeting proposal (in
 * the lane of that proposal); the pure `sweepEffects` states every effect; then only the commit and the relay. A
 * deadline held for a year without a schedule is told to the admins once, by the run (`heldYears`).
 */
export async function sweepItem(
  ctx: AppContext,
  work: { projectId: string; itemKey: string },
  now: Date,
  options: { stats?: SweepStats; inbox?: SweepInbox; sent?: SweepSent } = {},
): Promise<SweptItem> {
  const reference = referenceData(ctx.store);
  // a serial drawn is kept across retries: a conflict does not leave a gap in the notices' numbers
  let serial: Promise<number> | undefined;
  return retryOnConflict(async () => {
    const writtenAt = ctx.clock.now();
    const [state, departments] = await Promise.all([loadState(ctx, work.projectId), reference.departments()]);
    const plan = sweepPlan({
      state,
      itemKey: work.itemKey,
      now,
      calendar: ctx.calendar,
      sla: ctx.settings.sla,
      departments,
    });
    if (!plan) return NOTHING;
    // the items that add to the same day's meeting proposal of a lead department commit one at a time (its version
    // is the condition of each write); once that day's proposals are full, none is read or written again
    const lane =
      plan.proposal && !FULL_PROPOSAL_DAYS.has(plan.proposal.prefix) ? plan.proposal.prefix : undefined;
    const entry = await inLane(lane, {
      // what the actions need, read at once outside the lane (only the proposal's read and the commit wait in it):
      // the notice's serial, the users told (the reference cache)
      outside: () => {
        if (plan.deemedSequence) serial ??= reference.drawSerial(plan.deemedSequence);
        return Promise.all([
          plan.deemedSequence ? serial : undefined,
          ...plan.groups.map((group) => reference.usersOf(group)),
        ]);
      },
      inside: async ([drawn, ...users]): Promise<OutboxEntry | undefined> => {
        for (const candidate of [...proposalsToTry(plan, lane), undefined]) {
          // the proposal as this process last wrote it in this lane, else as read
          const known = lane ? LAST_WRITTEN.get(lane) : undefined;
          const proposal = candidate && {
            meetingId: candidate.meetingId,
            existing:
              known?.meetingId === candidate.meetingId
                ? known
                : await ctx.store.getMeeting(candidate.meetingId),
          };
          const effects = sweepEffects({
            plan,
            now,
            writtenAt,
            calendar: ctx.calendar,
            newId: ctx.newId,
            outboxGraceSeconds: ctx.spine.outboxGraceSeconds,
            departments,
            users,
            ...(drawn !== undefined ? { serial: drawn } : {}),
            ...(proposal ? { proposal } : {}),
          });
          if (effects === 'full') {
            if (lane && candidate) FIRST_OPEN.set(lane, candidate.n + 1);
            continue;
          }
          if (lane && !candidate) {
            FULL_PROPOSAL_DAYS.add(lane);
            LAST_WRITTEN.delete(lane);
          }
          // the item's own transaction; the counters are written by the run, together (see SweepStats), and so are
          // the inbox lines, digested (see SweepInbox)
          const { inbox } = options;
          const writes = inbox ? effects.writes.filter((op) => op.op !== 'put_notification') : effects.writes;
          try {
            await ctx.store.commit(options.stats ? writes : [...writes, ...effects.counters]);
          } catch (error) {
            if (lane) LAST_WRITTEN.delete(lane);
            throw error;
          }
          if (lane) rememberProposal(lane, writes);
          await Promise.all([
            options.stats?.add(effects.stats),
            inbox?.add(
              effects.writes.flatMap((op) => (op.op === 'put_notification' ? [op.notification] : [])),
            ),
          ]);
          return effects.outbox;
        }
        return undefined;
      },
    });
    // the signals owed, sent once the lane is free for the next item
    const { sent } = options;
    if (entry) await relay(ctx, entry, sent ? { deleteWith: (e) => sent.add([e]) } : {});
    const breaches = plan.actions.filter((a) => a.kind === 'red').length;
    const deemedCount = plan.actions.filter((a) => a.kind === 'deemed').length;
    if (breaches > 0) ctx.metrics?.add('Breaches', breaches);
    if (deemedCount > 0) ctx.metrics?.add('DeemedApprovals', deemedCount);
    return { actions: plan.actions, heldYears: plan.heldYears };
  });
}

/** Keeps the proposal an item's commit wrote, for the next item of its lane. */
function rememberProposal(lane: string, writes: readonly StoreOp[]): void {
  for (const op of writes) if (op.op === 'put_meeting') LAST_WRITTEN.set(lane, op.meeting);
}

/** The day's proposals to try, from the first this process has not found full (none outside a proposal's lane). */
const proposalsToTry = (plan: SweepPlan, lane: string | undefined) =>
  lane ? (plan.proposal?.candidates ?? []).filter((c) => c.n >= (FIRST_OPEN.get(lane) ?? 1)) : [];
