import { findStep } from '../domain/chain-graph.js';
import { agendaEntryOf, joinProposal, MAX_PROPOSALS_A_DAY, proposalId } from '../domain/meeting-agenda.js';
import { proposalNews } from '../domain/meeting-notices.js';
import type { ProjectState } from '../domain/transition.js';
import { chinaDate } from '../domain/working-days.js';
import type { StoreOp } from '../store/store.port.js';
import type { AppContext } from './context.js';
import type { Concern } from './notify.js';

/** The first proposal of a day (by `proposalPrefix`) not known full in this process. */
const FIRST_OPEN = new Map<string, number>();

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
  /** the days whose proposals are known full (`proposalPrefix`): nothing is read for them; filled in when found */
  full?: Set<string>,
): Promise<{ ops: StoreOp[]; concerns: Concern[] }> {
  const found = findStep(state.chain, target.stepId);
  const entry = agendaEntryOf(state, target, reason);
  if (!found || !entry) return { ops: [], concerns: [] };
  const lead = found.stage.leadDepartmentId;
  const prefix = proposalPrefix(lead, now);
  if (full?.has(prefix)) return { ops: [], concerns: [] };
  // the proposals this process found full are not read again (only with `full`: the sweep's items in one lane)
  const first = full ? (FIRST_OPEN.get(prefix) ?? 1) : 1;
  for (let n = first; n <= MAX_PROPOSALS_A_DAY; n += 1) {
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
    if (joined === 'full') {
      if (full) FIRST_OPEN.set(prefix, n + 1);
      continue;
    }
    return {
      ops: [{ op: 'put_meeting', meeting: joined, expectedVersion: existing ? existing.version : null }],
      concerns: [proposalNews(joined, state.project, entry, lead, reason)],
    };
  }
  full?.add(prefix);
  return { ops: [], concerns: [] };
}

/** The ids of a lead department's meeting proposals of a day, less their number: `proposal-<lead>-<yyyymmdd>`. */
export const proposalPrefix = (lead: string, now: Date): string =>
  `proposal-${lead}-${chinaDate(now).replaceAll('-', '')}`;
