import type { StatAddition } from '../domain/counted-against.js';
import type { ProjectDocument } from '../domain/documents.js';
import { counterWrites } from '../domain/effects/counter-writes.js';
import { bindingsOf, type Meeting, minuted } from '../domain/meeting.js';
import type { MinutesInput } from '../domain/meeting-agenda.js';
import { minutesDocument, minutesNumber, minutesTransitions } from '../domain/meeting-minutes.js';
import { minutesNews } from '../domain/meeting-notices.js';
import type { Principal } from '../domain/principal.js';
import type { ProjectState } from '../domain/transition.js';
import { chinaDate } from '../domain/working-days.js';
import type { OutboxEntry, StoreOp } from '../store/store.port.js';
import { agentNotices, noticeNumbering, numberingOps } from './agent-notices.js';
import { transitionOps } from './apply-transition.js';
import { retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { lifecycleInput } from './context.js';
import { loadState } from './load.js';
import { meetingFor } from './meeting-records.js';
import { notificationEffects } from './notify.js';
import { relay } from './relay.js';

/**
 * The convener minutes a decision for every agenda item. The decisions bind their steps through the same decision
 * path as a department's (one transaction for the whole meeting: every step conditional on its version, so a
 * department deciding the same step at the same moment makes exactly one of the two win); a department absent
 * without leave is recorded as consenting (缺席默认); an item of a department on leave is deferred, not decided.
 * The minutes (会议纪要) are stored on the meeting and on every project concerned.
 */
export async function minuteMeeting(
  ctx: AppContext,
  principal: Principal,
  meetingId: string,
  input: MinutesInput,
): Promise<{ meeting: Meeting; documents: ProjectDocument[] }> {
  return retryOnConflict(async () => {
    const meeting = await meetingFor(ctx, principal, meetingId, 'meeting.run');
    const decisions = input.decisions.map(({ itemId, ...decision }) => ({ itemId, decision }));
    const bound = bindingsOf(meeting, decisions);
    const now = ctx.clock.now();
    const at = now.toISOString();
    const year = chinaDate(now).slice(0, 4);
    const sequence = `meeting-minutes#${year}`;
    const previous = await ctx.store.readSerial(sequence);
    const number = minutesNumber(year, (previous ?? 0) + 1);
    const written = minuted(meeting, bound, number, principal.userId, at);

    // Load: every project on the agenda, once. Rule: the minutes' decisions, per project, as one transition.
    const states = new Map<string, ProjectState>();
    for (const { item } of bound) {
      if (!states.has(item.projectId)) states.set(item.projectId, await loadState(ctx, item.projectId));
    }
    const { perProject, counted } = minutesTransitions({
      bound,
      states,
      inputOf: (state) => lifecycleInput(ctx, state, now),
      meetingId,
      number,
      by: principal.userId,
    });

    // Write: the serial, the meeting, each project's transition with its copy of the minutes, in one transaction.
    const names = new Map((await ctx.store.listDepartments()).map((d) => [d.id, d.name]));
    const documents = [...perProject.values()].map(({ read }) =>
      minutesDocument(written, read.project.projectId, at, (id) => names.get(id) ?? id),
    );
    const ops: StoreOp[] = [
      { op: 'take_serial', sequence, expected: previous, next: (previous ?? 0) + 1 },
      {
        op: 'put_meeting',
        meeting: { ...written, version: meeting.version + 1 },
        expectedVersion: meeting.version,
      },
    ];
    const entries: OutboxEntry[] = [];
    const stats: StatAddition[] = [];
    const numbering = await noticeNumbering(ctx, now);
    for (const [index, { read, transition }] of [...perProject.values()].entries()) {
      const document = documents[index] as ProjectDocument;
      const decided = transition ?? { changes: [], events: [], owed: [], relies: [] };
      const notices = await agentNotices(ctx, read, decided, now, numbering);
      const built = transitionOps(
        ctx,
        read,
        decided,
        {
          actor: principal,
          ops: [{ op: 'put_document', document }, ...notices.ops],
          sends: notices.sends,
        },
        now,
      );
      ops.push(...built.ops);
      stats.push(...built.stats);
      if (built.entry) entries.push(built.entry);
    }
    const effects = await notificationEffects(ctx, minutesNews(written), now);
    await ctx.store.commit([
      ...ops,
      ...numberingOps(numbering),
      ...counterWrites(stats, now),
      ...effects.ops,
    ]);
    if (counted > 0) ctx.metrics?.add('Decisions', counted);
    for (const entry of entries) await relay(ctx, entry);
    return { meeting: { ...written, version: meeting.version + 1 }, documents };
  });
}
