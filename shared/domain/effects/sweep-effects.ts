import { findStep } from '../chain-graph.js';
import { deemedNoticeSequence } from '../deemed-notice.js';
import type { Department } from '../department.js';
import type { AgendaItem, Meeting } from '../meeting.js';
import { agendaEntryOf, joinProposal, MAX_PROPOSALS_A_DAY, proposalId } from '../meeting-agenda.js';
import { proposalNews } from '../meeting-notices.js';
import { SYSTEM_ACTOR } from '../principal.js';
import { type SlaAction, slaStep } from '../sla.js';
import type { News } from '../sla-news.js';
import { heldYears, slaOutcome, sweepNews } from '../sla-outcome.js';
import type { SlaPolicy } from '../sla-policy.js';
import { isInFlight } from '../step-status.js';
import type { ProjectState, Transition } from '../transition.js';
import type { WorkingDayCalendar } from '../working-days.js';
import { chinaDate } from '../working-days.js';
import type { EffectWrite } from './effect-writes.js';
import { groupKey, groupsToRead, type UserGroup } from './notifications-of.js';
import { type TransitionEffects, transitionEffects } from './transition-effects.js';

/**
 * The SLA sweep's step on one item that came due, in two pure halves around the reads its actions need: the plan
 * (which checkpoints are due, what they do, and what must be read for them: the users told, the deemed approval
 * notice's serial, the day's meeting proposal at the joint-meeting rung), then every effect of it.
 */

/** The ids of a lead department's meeting proposals of a day, less their number: `proposal-<lead>-<yyyymmdd>`. */
export const proposalPrefix = (lead: string, now: Date): string =>
  `proposal-${lead}-${chinaDate(now).replaceAll('-', '')}`;

/** The day's proposal an overdue step joins at the joint-meeting rung (联审会督办), and what it needs. */
export type ProposalPlan = {
  /** the day's proposals of the lead department (the lane of the items that add to them) */
  prefix: string;
  /** the day's proposals, in the order they are tried (the first not full is joined) */
  candidates: Array<{ n: number; meetingId: string }>;
  entry: Omit<AgendaItem, 'itemId'>;
  stageName: string;
  leadDepartmentId: string;
  reason: string;
};

export type SweepPlan = {
  state: ProjectState;
  target: { stepId: string; partId?: string };
  transition: Transition;
  actions: SlaAction[];
  news: News[];
  /** the handling department (its name is on a deemed approval's notice) */
  department: Department | undefined;
  /** the sequence to draw the notice's number from, when an action is a deemed approval */
  deemedSequence?: string;
  proposal?: ProposalPlan;
  /** the groups of users the news tells, to read before */
  groups: UserGroup[];
  /** the years without a published schedule the item's held deadlines wait on (the run tells the admins once) */
  heldYears: number[];
};

/** What the sweep does to one item at `now` (undefined: nothing is due, or the project is no longer watched). */
export function sweepPlan(input: {
  state: ProjectState;
  itemKey: string;
  now: Date;
  calendar: WorkingDayCalendar;
  sla: SlaPolicy | undefined;
  departments: readonly Department[];
}): SweepPlan | undefined {
  const { state, now, departments } = input;
  // (a completed project's approvals on commitment are still verified: their due date is watched)
  const verifying = state.items.get(input.itemKey)?.commitment?.verifyBy !== undefined;
  if (!isInFlight(state.project.status) && !(state.project.status === 'completed' && verifying))
    return undefined;
  const [stepId = '', partId] = input.itemKey.split('#');
  const target = { stepId, ...(partId ? { partId } : {}) };
  const item = state.items.get(input.itemKey);
  const department = item?.departmentId ? departments.find((d) => d.id === item.departmentId) : undefined;
  const level = department?.level;
  const { transition, actions } = slaStep(
    { state, now, calendar: input.calendar, ...(input.sla ? { sla: input.sla } : {}) },
    target,
    { heldUpstairs: level !== undefined && level !== 'district' },
  );
  if (transition.changes.length === 0) return undefined;
  const news = sweepNews(state, target, actions);
  const meetingNews = news.find((n) => n.rung === 'joint_meeting');
  const proposal = meetingNews ? proposalPlan(state, target, meetingNews.message, now) : undefined;
  const deemed = actions.some((a) => a.kind === 'deemed');
  return {
    state,
    target,
    transition,
    actions,
    news,
    department,
    ...(deemed ? { deemedSequence: deemedNoticeSequence(now) } : {}),
    ...(proposal ? { proposal } : {}),
    groups: groupsToRead([...news, ...(proposal ? [proposalConcern(state, proposal, undefined)] : [])]),
    heldYears: heldYears(actions),
  };
}

function proposalPlan(
  state: ProjectState,
  target: { stepId: string; partId?: string },
  reason: string,
  now: Date,
): ProposalPlan | undefined {
  const found = findStep(state.chain, target.stepId);
  const entry = agendaEntryOf(state, target, reason);
  if (!found || !entry) return undefined;
  const lead = found.stage.leadDepartmentId;
  return {
    prefix: proposalPrefix(lead, now),
    candidates: Array.from({ length: MAX_PROPOSALS_A_DAY }, (_, i) => ({
      n: i + 1,
      meetingId: proposalId(lead, now, i + 1),
    })),
    entry,
    stageName: found.stage.name,
    leadDepartmentId: lead,
    reason,
  };
}

/** The news of a step put on a proposal (who is told does not depend on the proposal: read before it). */
const proposalConcern = (state: ProjectState, plan: ProposalPlan, meeting: Meeting | undefined) =>
  proposalNews(
    meeting ?? ({ title: '' } as Meeting),
    state.project,
    plan.entry,
    plan.leadDepartmentId,
    plan.reason,
  );

/**
 * Every effect of the sweep's step on one item, from what was read for it: the notice of a deemed approval
 * (超时默认通知单, its number recorded as the step's approval), the step joined to the day's proposal, the news
 * to the people concerned, the counters charged, and the item's writes (`transitionEffects`). `full`: the proposal
 * read cannot take the step; the next one is to be read.
 */
export function sweepEffects(input: {
  plan: SweepPlan;
  now: Date;
  /** when the change is written (its events, its outbox entry) */
  writtenAt: Date;
  calendar: WorkingDayCalendar;
  newId: () => string;
  outboxGraceSeconds: number;
  departments: readonly Department[];
  /** the users of `plan.groups`, in the same order */
  users: readonly (readonly { userId: string }[])[];
  /** the notice's serial drawn, when the plan has a deemed approval */
  serial?: number;
  /** the day's proposal read at the joint-meeting rung (absent: every one of the day is full) */
  proposal?: { meetingId: string; existing: Meeting | undefined };
}): TransitionEffects | 'full' {
  const { plan, now } = input;
  const { state, target } = plan;
  const joined = joinedProposal(plan, input.proposal, now);
  if (joined === 'full') return 'full';
  const outcome = slaOutcome({
    state,
    target,
    transition: plan.transition,
    actions: plan.actions,
    departmentName: plan.department?.name,
    ...(input.serial !== undefined ? { notice: { serial: input.serial, docId: input.newId() } } : {}),
    now,
  });
  const writes: EffectWrite[] = [
    ...joined.writes,
    ...(outcome.document ? [{ op: 'put_document', document: outcome.document } as const] : []),
  ];
  return transitionEffects<never>({
    state,
    transition: outcome.transition,
    actor: SYSTEM_ACTOR,
    now: input.writtenAt,
    calendar: input.calendar,
    newId: input.newId,
    outboxGraceSeconds: input.outboxGraceSeconds,
    reference: {
      departments: input.departments,
      users: new Map(plan.groups.map((g, i) => [groupKey(g), (input.users[i] ?? []).map((u) => u.userId)])),
    },
    concerns: { news: [...outcome.news, ...joined.news], at: now },
    writes,
    stats: outcome.charges,
    // a deemed approval relies on its stage's items (its gates): one condition on the project instead of a check
    // each, the storm's transactions shorter (one due item a project: rarely anything else writes it meanwhile)
    reliesThroughProject: true,
  });
}

function joinedProposal(
  plan: SweepPlan,
  read: { meetingId: string; existing: Meeting | undefined } | undefined,
  now: Date,
): 'full' | { writes: EffectWrite[]; news: News[] } {
  const { proposal } = plan;
  if (!proposal || !read) return { writes: [], news: [] };
  const joined = joinProposal({
    existing: read.existing,
    meetingId: read.meetingId,
    entry: proposal.entry,
    stageName: proposal.stageName,
    leadDepartmentId: proposal.leadDepartmentId,
    now,
  });
  if (joined === 'full') return 'full';
  if (joined === 'already') return { writes: [], news: [] };
  return {
    writes: [
      { op: 'put_meeting', meeting: joined, expectedVersion: read.existing ? read.existing.version : null },
    ],
    news: [proposalConcern(plan.state, proposal, joined)],
  };
}
