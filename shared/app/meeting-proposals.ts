import { findPart, findStep } from '../domain/chain-graph.js';
import { type AgendaItem, MAX_AGENDA_ITEMS, type Meeting } from '../domain/meeting.js';
import { SYSTEM_ACTOR } from '../domain/principal.js';
import type { ProjectState } from '../domain/transition.js';
import { chinaDate } from '../domain/working-days.js';
import type { StoreOp } from '../store/store.port.js';
import type { AppContext } from './context.js';
import type { Concern } from './notify.js';

/** The first proposal of a day (by `proposalPrefix`) not known full in this process. */
const FIRST_OPEN = new Map<string, number>();

/** At most this many proposals of one lead department on one day (each holds MAX_AGENDA_ITEMS steps). */
const MAX_PROPOSALS_A_DAY = 20;

/**
 * The escalation rung "joint meeting" (联审会督办): the overdue step goes on the agenda of a proposed meeting of its
 * stage's lead department for the day, one proposal gathering that day's overdue steps (a new one when it is full).
 * A leader then schedules it (or declines it) like a requested meeting; the invited departments, the agent and the
 * leaders are told. The proposal's write joins the sweep's own transaction: a concurrent sweep adding to the same
 * proposal collides on its version and tries again.
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
  const item = state.items.get(target.partId ? `${target.stepId}#${target.partId}` : target.stepId);
  if (!found || !item) return { ops: [], concerns: [] };
  const part = target.partId ? findPart(found.step, target.partId) : undefined;
  const lead = found.stage.leadDepartmentId;
  const { project } = state;
  const entry: Omit<AgendaItem, 'itemId'> = {
    projectId: project.projectId,
    projectCode: project.code,
    projectName: project.name,
    agentId: project.agentId,
    enterpriseId: project.enterpriseId,
    stepId: target.stepId,
    ...(target.partId ? { partId: target.partId } : {}),
    stepName: `${found.step.name}${part ? `（${part.name}）` : ''}`,
    departmentId: item.departmentId ?? lead,
    note: reason,
  };
  const prefix = proposalPrefix(lead, now);
  if (full?.has(prefix)) return { ops: [], concerns: [] };
  const at = now.toISOString();
  // the proposals this process found full are not read again (only with `full`: the sweep's items in one lane)
  const first = full ? (FIRST_OPEN.get(prefix) ?? 1) : 1;
  for (let n = first; n <= MAX_PROPOSALS_A_DAY; n += 1) {
    const meetingId = `${prefix}-${n}`;
    const existing = await ctx.store.getMeeting(meetingId);
    if (
      existing?.agenda.some(
        (i) => i.projectId === entry.projectId && i.stepId === entry.stepId && i.partId === entry.partId,
      )
    ) {
      return { ops: [], concerns: [] };
    }
    if (existing && (existing.status !== 'proposed' || existing.agenda.length >= MAX_AGENDA_ITEMS)) {
      if (full) FIRST_OPEN.set(prefix, n + 1);
      continue;
    }
    const agenda = [
      ...(existing?.agenda ?? []),
      { itemId: `${(existing?.agenda.length ?? 0) + 1}`, ...entry },
    ];
    const meeting: Meeting = {
      ...(existing ?? {
        meetingId,
        status: 'proposed',
        title: `督办联审会（${found.stage.name}，${chinaDate(now)}）`,
        reason: '超期事项按督办规则提请召开政务服务中心联审会',
        requestedBy: { userId: SYSTEM_ACTOR.userId, name: 'SLA 督办', role: SYSTEM_ACTOR.role },
        responses: {},
        createdAt: at,
      }),
      version: (existing?.version ?? 0) + 1,
      agenda,
      invited: [...new Set([...(existing?.invited ?? [lead]), entry.departmentId])].sort(),
      updatedAt: at,
    };
    return {
      ops: [{ op: 'put_meeting', meeting, expectedVersion: existing ? existing.version : null }],
      concerns: [
        {
          kind: 'meeting',
          title: `提请联审会：${project.code} ${entry.stepName}`,
          message: `${reason} 已列入${meeting.title}议程，待领导确定时间地点。`,
          project,
          stepId: target.stepId,
          ...(target.partId ? { partId: target.partId } : {}),
          audiences: [
            { role: 'leader' },
            { departmentId: lead },
            { departmentId: entry.departmentId },
            { userId: project.agentId },
          ],
        },
      ],
    };
  }
  full?.add(prefix);
  return { ops: [], concerns: [] };
}

/** The ids of a lead department's meeting proposals of a day, less their number: `proposal-<lead>-<yyyymmdd>`. */
export const proposalPrefix = (lead: string, now: Date): string =>
  `proposal-${lead}-${chinaDate(now).replaceAll('-', '')}`;
