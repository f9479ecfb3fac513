import { DOCUMENT_TITLES, type ProjectDocument } from './documents.js';
import { ConflictError, InvalidInputError } from './errors.js';
import type { Binding, bindingsOf, Meeting } from './meeting.js';
import { itemKey } from './project.js';
import { decideStep } from './steps/decision.js';
import type { LifecycleInput } from './steps/lifecycle.js';
import { applyChanges, combineTransitions, type ProjectState, type Transition } from './transition.js';

/**
 * What a joint review meeting's minutes (会议纪要) do (DOMAIN.md "Joint review meeting", 缺席默认): every agenda item
 * bound by the minutes is decided through the same decision path as its department's, tagged with the meeting and
 * how it bound (present, or absent without leave: deemed to consent); an item of a department on leave is deferred;
 * an item "noted" decides nothing (its department decided before the meeting could). The minutes are a numbered
 * document on every project concerned, each copy with that project's matters only.
 */

/** The number of the `serial`-th minutes of a year: 联审纪要〔2026〕第0001号. */
export const minutesNumber = (year: string, serial: number): string =>
  `联审纪要〔${year}〕第${String(serial).padStart(4, '0')}号`;

/** A project the minutes touch: as read, and as it stands after the decisions on it so far, as one transition. */
export type MinutedProject = { read: ProjectState; state: ProjectState; transition?: Transition };

/**
 * The minutes' decisions, project by project (each project's decisions one after the other on its state, as one
 * transition), and how many decisions they bind (an item deferred for leave or noted counts none). `states` holds
 * every project on the agenda as read; `inputOf` gives the lifecycle's input for a state (calendar, SLA, now).
 */
export function minutesTransitions(args: {
  bound: ReturnType<typeof bindingsOf>;
  states: ReadonlyMap<string, ProjectState>;
  inputOf: (state: ProjectState) => LifecycleInput;
  meetingId: string;
  number: string;
  by: string;
}): { perProject: Map<string, MinutedProject>; counted: number } {
  const perProject = new Map<string, MinutedProject>();
  let counted = 0;
  for (const { item, decision, binding } of args.bound) {
    let entry = perProject.get(item.projectId);
    if (!entry) {
      const read = args.states.get(item.projectId);
      if (!read) throw new Error(`project ${item.projectId} of the agenda was not read`);
      entry = { read, state: read };
      perProject.set(item.projectId, entry);
    }
    if (binding === 'on_leave_deferred') continue;
    const target = { stepId: item.stepId, ...(item.partId ? { partId: item.partId } : {}) };
    const where = `agenda item ${item.itemId} (${item.projectCode} ${item.stepName})`;
    if (decision.outcome === 'noted') {
      if (entry.state.items.get(itemKey(target))?.status === 'in_review') {
        throw new InvalidInputError(
          'MEETING.STILL_IN_REVIEW',
          `${where} is still under review: the meeting decides it (noted is for a step its department already decided)`,
        );
      }
      continue;
    }
    let decided: Transition;
    try {
      decided = decideStep(args.inputOf(entry.state), target, decision, {
        userId: args.by,
        via: 'meeting',
        minutes: args.number,
      });
    } catch (error) {
      if (error instanceof ConflictError && error.code === 'STEP.NOT_IN_REVIEW') {
        throw new ConflictError(
          'MEETING.ITEM_DECIDED_MEANWHILE',
          `${where}: ${error.message}. Nothing was minuted; minute the meeting again with this item as "noted"`,
          { itemId: item.itemId },
        );
      }
      throw error;
    }
    const tagged: Transition = {
      ...decided,
      events: decided.events.map((e) => ({
        ...e,
        data: {
          ...e.data,
          meetingId: args.meetingId,
          minutes: args.number,
          binding: bindingLabel(binding),
        },
      })),
    };
    entry.state = applyChanges(entry.state, tagged.changes);
    entry.transition = entry.transition ? combineTransitions(entry.transition, tagged) : tagged;
    counted += 1;
  }
  return { perProject, counted };
}

const bindingLabel = (binding: Binding) => (binding === 'absent_consent' ? '缺席默认' : 'present');

const DECISION_TEXT: Record<string, string> = {
  approved: '同意',
  approved_with_conditions: '有条件同意',
  supplement: '一次性告知补正',
  rejected: '不予许可',
  noted: '部门已办结，会议知悉',
};

/** The minutes as a document of one project concerned (the same number on every copy). */
export function minutesDocument(
  meeting: Meeting,
  projectId: string,
  at: string,
  nameOf: (departmentId: string) => string,
): ProjectDocument {
  const attendance = meeting.attendance;
  // each project's copy carries its own matters: another enterprise's project is not its business
  const own = new Set(meeting.agenda.filter((i) => i.projectId === projectId).map((i) => i.itemId));
  const items = (meeting.minutes?.items ?? [])
    .filter((m) => own.has(m.itemId))
    .map((minute) => {
      const item = meeting.agenda.find((i) => i.itemId === minute.itemId);
      const decision = minute.decision;
      return {
        project: `${item?.projectCode ?? ''} ${item?.projectName ?? ''}`,
        step: item?.stepName ?? '',
        department: item ? nameOf(item.departmentId) : '',
        decision: DECISION_TEXT[decision.outcome] ?? decision.outcome,
        details:
          decision.outcome === 'approved_with_conditions'
            ? decision.conditions.join('；')
            : decision.outcome === 'supplement'
              ? decision.missingMaterials.map((m) => `${m.name}（${m.reason}）`).join('；')
              : decision.outcome === 'rejected'
                ? `${decision.reason}（依据：${decision.legalBasis}）`
                : '',
        // the meeting's remark on the matter (会议意见); an investor's copy leaves it out
        comment: 'comment' in decision && decision.comment ? decision.comment : '',
        rule:
          decision.outcome === 'noted'
            ? '部门已在会前作出决定，会议不再议定'
            : minute.binding === 'absent_consent'
              ? '缺席默认：该部门受邀未请假缺席，视为同意会议议定事项'
              : minute.binding === 'on_leave_deferred'
                ? '该部门请假，本事项不作约束，仍由该部门办理'
                : '该部门参会，会议议定即为部门决定',
      };
    });
  return {
    projectId,
    docId: `${meeting.meetingId}-${projectId}`.slice(0, 64),
    kind: 'meeting_minutes',
    number: meeting.minutes?.number ?? '',
    title: DOCUMENT_TITLES.meeting_minutes,
    issuedAt: at,
    fields: {
      meetingTitle: meeting.title,
      scheduledAt: meeting.scheduledAt ?? null,
      place: meeting.place ?? null,
      convenedBy: meeting.convenedBy?.name ?? null,
      attendees: (attendance?.present ?? []).map(nameOf),
      onLeave: (attendance?.onLeave ?? []).map(nameOf),
      // why each sent leave: the service's working, left out of an investor's copy
      onLeaveReasons: (attendance?.onLeave ?? []).map(
        (d) => `${nameOf(d)}：${meeting.responses[d]?.reason ?? ''}`,
      ),
      absentWithoutLeave: (attendance?.absent ?? []).map(nameOf),
      decisions: items,
    },
  };
}
