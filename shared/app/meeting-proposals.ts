import { findStep } from '../domain/chain-graph.js';
import { agendaEntryOf, joinProposal, MAX_PROPOSALS_A_DAY, proposalId } from '../domain/meeting-agenda.js';
import { proposalNews } from '../domain/meeting-notices.js';
import type { ProjectState } from '../domain/transition.js';
import type { StoreOp } from '../store/store.port.js';
import type { AppContext } from './context.js';
import type { Concern } from './notify.js';

/**
 * The escalation rung "joint meeting" (联审会督办): the overdue step goes on the agenda of a proposed meeting of its
 * stage's lead department for the day, one proposal gathering that day's overdue steps (a new one when it is full;
 * the rule: `joinProposal`). A leader then schedules it (or declines it) like a requested meeting; the invited
 * departments, the agent and the leaders are told. The proposal's write joins the sweep's own transaction: a
 * concurrent sweep adding to the same proposal collides on its version and tries again.
 */
export async function proposeMeeting(
  ctx: AppContext,
  state: ProjectState,
  target: { stepId: string; partId?: string },
  reason: string,
  now: Date,
): Promise<{ ops: StoreOp[]; concerns: Concern[] }> {
  const found = findStep(state.chain, target.stepId);
  const entry = agendaEntryOf(state, target, reason);
  if (!found || !entry) return { ops: [], concerns: [] };
  const lead = found.stage.leadDepartmentId;
  for (let n = 1; n <= MAX_PROPOSALS_A_DAY; n += 1) {
    const meetingId = proposalId(lead, now, n);
    const existing = await ctx.store.getMeeting(meetingId);
    const joined = joinProposal({
      existing,
      meetingId,
      entry,
      stageName: found.stage.name,
      leadDepartmentId: lead,
      now,
    });
    if (joined === 'already') return { ops: [], concerns: [] };
    if (joined === 'full') continue;
    return {
      ops: [{ op: 'put_meeting', meeting: joined, expectedVersion: existing ? existing.version : null }],
      concerns: [proposalNews(joined, state.project, entry, lead, reason)],
    };
  }
  return { ops: [], concerns: [] };
}
