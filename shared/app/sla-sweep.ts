import { deemedNoticeSequence } from '../domain/deemed-notice.js';
import { groupAudiences } from '../domain/escalation-audiences.js';
import { SYSTEM_ACTOR } from '../domain/principal.js';
import { type SlaAction, slaStep } from '../domain/sla.js';
import { leadOf } from '../domain/sla-news.js';
import { heldYears, slaOutcome, sweepNews } from '../domain/sla-outcome.js';
import { isInFlight } from '../domain/step-status.js';
import type { ProjectState } from '../domain/transition.js';
import type { OutboxEntry } from '../store/store.port.js';
import { applyTransition, retryOnConflict, transitionOps } from './commit.js';
import type { AppContext } from './context.js';
import { lifecycleInput } from './context.js';
import { loadState } from './load.js';
import { proposalPrefix, proposeMeeting } from './meeting-proposals.js';
import { notificationEffects } from './notify.js';
import { referenceData } from './reference-cache.js';
import { relay } from './relay.js';
import type { SweepInbox } from './sweep-inbox.js';
import { inLane } from './sweep-lanes.js';
import type { SweepStats } from './sweep-stats.js';

export { overdueText } from '../domain/sla-news.js';

/** The days' meeting proposals of lead departments this process found full (a day's proposals only fill up). */
const FULL_PROPOSAL_DAYS = new Set<string>();

/** The key of the day's meeting proposals an overdue step goes on (its stage's lead department, the day). */
const proposalsOf = (state: ProjectState, stepId: string, now: Date): string =>
  proposalPrefix(leadOf(state, stepId) ?? '', now);

/**
 * The SLA sweep's work on one step or part that has come due in the Work index (DESIGN.md decision 4): read the
 * base item again (the index is eventually consistent), act on every checkpoint due (lights, the breach, the
 * escalation ladder, 超时默认 with its notice), tell the people concerned, count it against the department, and set
 * when to look again: one transaction. A second sweep at the same instant finds nothing due and writes nothing.
 *
 * Read once, write once: (1) the project's working set and the departments (one cached list) at once; the pure
 * `slaStep` decides; (2) what its actions need at once: the users told (the reference cache), the notice's serial
 * (one atomic counter draw, only for a deemed approval), the day's meeting proposal (only at the joint-meeting
 * rung); the pure `slaOutcome` builds the rest; then only the commit and the relay.
 */
export async function sweepItem(
  ctx: AppContext,
  work: { projectId: string; itemKey: string },
  now: Date,
  options: { stats?: SweepStats; inbox?: SweepInbox } = {},
): Promise<SlaAction[]> {
  const reference = referenceData(ctx.store);
  // a serial drawn is kept across retries: a conflict does not leave a gap in the notices' numbers
  let serial: Promise<number> | undefined;
  return retryOnConflict(async () => {
    const [state, departments] = await Promise.all([loadState(ctx, work.projectId), reference.departments()]);
    // (a completed project's approvals on commitment are still verified: their due date is watched)
    const verifying = state.items.get(work.itemKey)?.commitment?.verifyBy !== undefined;
    if (!isInFlight(state.project.status) && !(state.project.status === 'completed' && verifying)) return [];
    const [stepId = '', partId] = work.itemKey.split('#');
    const target = { stepId, ...(partId ? { partId } : {}) };
    const item = state.items.get(work.itemKey);
    const department = item?.departmentId ? departments.find((d) => d.id === item.departmentId) : undefined;
    const level = department?.level;
    const { transition, actions } = slaStep(lifecycleInput(ctx, state, now), target, {
      heldUpstairs: level !== undefined && level !== 'district',
    });
    if (transition.changes.length === 0) return [];
    const news = sweepNews(state, target, actions);
    const meetingNews = news.find((n) => n.rung === 'joint_meeting');
    const deemed = actions.some((a) => a.kind === 'deemed');
    if (deemed) serial ??= ctx.store.drawSerial(deemedNoticeSequence(now), 1);
    // the items that add to the same day's meeting proposal of a lead department commit one at a time (its version
    // is the condition of each write); once that day's proposals are full, none is read or written again
    const proposals = meetingNews ? proposalsOf(state, target.stepId, now) : undefined;
    const [drawn] = await Promise.all([
      deemed ? serial : undefined,
      // the users told, read before the rule's effects are assembled (the notifier then finds them cached)
      ...groupAudiences(news.flatMap((n) => n.audiences)).map((a) => reference.usersOf(a)),
    ]);
    const finish = async (): Promise<OutboxEntry | undefined> => {
      const proposal = meetingNews
        ? await proposeMeeting(ctx, state, target, meetingNews.message, now, FULL_PROPOSAL_DAYS)
        : { ops: [], concerns: [] };
      const outcome = slaOutcome({
        state,
        target,
        transition,
        actions,
        departmentName: department?.name,
        ...(drawn !== undefined ? { notice: { serial: drawn, docId: ctx.newId() } } : {}),
        now,
      });
      const effects = await notificationEffects(ctx, [...outcome.news, ...proposal.concerns], now);
      const ops = [
        ...effects.ops,
        ...proposal.ops,
        ...(outcome.document ? [{ op: 'put_document', document: outcome.document } as const] : []),
      ];
      const apply = { actor: SYSTEM_ACTOR, ops, sends: effects.sends, stats: outcome.charges };
      if (options.stats) {
        // the item's own transaction without the counters, which the run writes together (see SweepStats); no
        // agent notices to add (the sweep's transitions never ask for materials)
        const written = transitionOps(ctx, state, outcome.transition, apply, ctx.clock.now());
        const { inbox } = options;
        // and without the inbox lines, which the run writes together and digests (see SweepInbox)
        const notifications = inbox
          ? written.ops.flatMap((op) => (op.op === 'put_notification' ? [op.notification] : []))
          : [];
        await ctx.store.commit(
          inbox ? written.ops.filter((op) => op.op !== 'put_notification') : written.ops,
        );
        await Promise.all([options.stats.add(written.stats), inbox?.add(notifications)]);
        return written.entry;
      }
      await applyTransition(ctx, state, outcome.transition, apply);
      return undefined;
    };
    const entry =
      proposals && !FULL_PROPOSAL_DAYS.has(proposals) ? await inLane(proposals, finish) : await finish();
    // the signals owed, sent once the lane is free for the next item
    if (entry) await relay(ctx, entry);
    await alertMissingYears(ctx, heldYears(actions), now);
    const breaches = actions.filter((a) => a.kind === 'red').length;
    const deemedCount = actions.filter((a) => a.kind === 'deemed').length;
    if (breaches > 0) ctx.metrics?.add('Breaches', breaches);
    if (deemedCount > 0) ctx.metrics?.add('DeemedApprovals', deemedCount);
    return actions;
  });
}

/**
 * Never act on a guess (DOMAIN.md): a deadline that came due on a date counted through a year without a published
 * schedule was held; the admins are told to add that year, once per missing year however many items wait on it (a
 * setting claimed once marks a year as told; the recompute after the admin adds the year re-arms every item).
 */
export async function alertMissingYears(ctx: AppContext, years: readonly number[], now: Date): Promise<void> {
  for (const year of [...new Set(years)].sort()) {
    if (ctx.calendar.knownYears.includes(year)) continue;
    const claimed = await ctx.store.putSetting(
      `calendar-missing-alert#${year}`,
      { year, at: now.toISOString() },
      { expectedRevision: null },
    );
    if (!claimed) continue;
    const effects = await notificationEffects(
      ctx,
      [
        {
          kind: 'calendar',
          title: `请添加 ${year} 年工作日安排（add the ${year} schedule）`,
          message:
            `有期限落在 ${year} 年，而日历尚无国务院公布的 ${year} 年节假日安排：这些日期只是推算（仅按周末计），` +
            `系统不据此视为同意、标记逾期或计入信用记录，相关事项暂缓处理。请在日历中添加 ${year} 年安排（PUT /calendar/years/${year}），` +
            '添加后所有日期自动重算并恢复监控。',
          audiences: [{ role: 'admin' }],
          alert: true,
        },
      ],
      now,
    );
    const notes = effects.ops.filter((op) => op.op === 'put_notification');
    if (notes.length > 0) await ctx.store.commit(notes);
  }
}
