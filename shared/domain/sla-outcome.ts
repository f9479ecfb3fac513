import { deemedNotice } from './deemed-notice.js';
import type { ProjectDocument } from './documents.js';
import type { TellingAction } from './escalation-audiences.js';
import type { SlaAction } from './sla.js';
import { type News, slaNews } from './sla-news.js';
import type { StatCounters, StatDimension } from './stats.js';
import { withApprovalRecord } from './steps/decision.js';
import type { ProjectState, Transition } from './transition.js';
import { chinaDate } from './working-days.js';

/** A counter the sweep adds to (a department's breaches, an applicant's missed deadlines), as the stats write it. */
export type SlaCharge = { dimension: StatDimension; id: string; add: Partial<StatCounters> };

/** The actions that tell someone (a held deadline tells the admins, once per missing year, not the item's people). */
export const tellingActions = (actions: readonly SlaAction[]): TellingAction[] =>
  actions.filter((a): a is TellingAction => a.kind !== 'held');

/** The years without a schedule the held deadlines were counted through. */
export const heldYears = (actions: readonly SlaAction[]): number[] =>
  actions.flatMap((a) => (a.kind === 'held' ? a.years : []));

/**
 * What counts against whom (DOMAIN.md 效能考核): a breach, a rung climbed and a verification overdue against the
 * handling department; a 容缺 deadline missed against the applicant (the agent and the enterprise), never the
 * department.
 */
export function slaCharges(
  actions: readonly SlaAction[],
  who: { departmentId: string | undefined; agentId: string; enterpriseId: string },
): SlaCharge[] {
  const { departmentId } = who;
  return actions.flatMap((a): SlaCharge[] => {
    switch (a.kind) {
      case 'red':
        return departmentId ? [{ dimension: 'department', id: departmentId, add: { breaches: 1 } }] : [];
      case 'escalate':
        return departmentId ? [{ dimension: 'department', id: departmentId, add: { escalations: 1 } }] : [];
      case 'verification_overdue':
        return departmentId
          ? [{ dimension: 'department', id: departmentId, add: { verificationsOverdue: 1 } }]
          : [];
      case 'deferral_missed':
        return [
          { dimension: 'agent', id: who.agentId, add: { deferralsMissed: 1 } },
          { dimension: 'enterprise', id: who.enterpriseId, add: { deferralsMissed: 1 } },
        ];
      default:
        return [];
    }
  });
}

/** The news of what the sweep did to an item, one piece per action that tells someone. */
export const sweepNews = (
  state: ProjectState,
  target: { stepId: string; partId?: string },
  actions: readonly SlaAction[],
): News[] => tellingActions(actions).map((action) => slaNews(state, target, action));

/**
 * Everything the sweep's step on one item writes besides the item changes `slaStep` decided: the news, the
 * 超时默认通知单 of a deemed approval (its number recorded on the step as its approval), and the counters. Pure:
 * the caller has read the project, the department's name and drawn the notice's serial before.
 */
export function slaOutcome(input: {
  state: ProjectState;
  target: { stepId: string; partId?: string };
  transition: Transition;
  actions: readonly SlaAction[];
  /** the handling department's name, for the notice */
  departmentName: string | undefined;
  /** the notice's serial and document id, when an action is a deemed approval */
  notice?: { serial: number; docId: string };
  now: Date;
}): { transition: Transition; news: News[]; document?: ProjectDocument; charges: SlaCharge[] } {
  const { state, target, actions, now } = input;
  const item = state.items.get(target.partId ? `${target.stepId}#${target.partId}` : target.stepId);
  const deemed = actions.some((a) => a.kind === 'deemed');
  if (deemed && !input.notice) throw new Error('a deemed approval needs its notice serial, drawn before');
  const document =
    deemed && input.notice
      ? deemedNotice({
          state,
          target,
          departmentName: input.departmentName,
          serial: input.notice.serial,
          docId: input.notice.docId,
          now,
        })
      : undefined;
  const transition = document
    ? withApprovalRecord(input.transition, target, {
        number: document.number,
        date: chinaDate(now),
        source: 'deemed_notice',
      })
    : input.transition;
  return {
    transition,
    news: sweepNews(state, target, actions),
    ...(document ? { document } : {}),
    charges: slaCharges(actions, {
      departmentId: item?.departmentId ?? undefined,
      agentId: state.project.agentId,
      enterpriseId: state.project.enterpriseId,
    }),
  };
}
