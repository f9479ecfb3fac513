import type { Chain } from './chain.js';
import { findStep } from './chain-graph.js';
import { initialItems } from './initial-items.js';
import { itemKey, type Project, type ProjectStep } from './project.js';
import type { ImportedProject, ImportedStep } from './project-import.js';
import type { SlaPolicy } from './sla-policy.js';
import { pauseClock, startClock } from './step-clock.js';
import { withDue } from './steps/due-dates.js';
import type { ProjectState } from './transition.js';
import { startOfChinaDay, type WorkingDayCalendar } from './working-days.js';

/**
 * The step and part items of an imported project, as the file says they stand: decided steps approved with their
 * documents, steps rejected with their decisions (不予许可决定书), steps in review with their clocks running from their
 * real acceptance dates (so the due dates, lights and deemed approval are those the department has really had), or
 * standing still since the day they were paused (听证, 专家评审…) or a supplement was asked for (补正, the step
 * waiting for the enterprise), the others as registration leaves them (on the project's attributes). The SLA
 * sweep first looks at an open item no earlier than the end of the grace the admin gave (`holdUntil`): a project
 * brought in late is not deemed approved, nor its department warned, the moment it arrives.
 */

/** A date of the file as an instant: 09:00 local time that day (a working day's morning). */
export const importInstant = (date: string): string =>
  new Date(Date.parse(startOfChinaDay(date)) + 9 * 3_600_000).toISOString();

export type ImportedItemsInput = {
  chain: Chain;
  project: Project;
  planned: ImportedProject;
  /** who imported it (the decision's `decidedBy`) */
  importedBy: string;
  /** when it is imported (the items' `updatedAt`; the project's `createdAt` is when it was registered) */
  importedAt?: string;
  calendar: WorkingDayCalendar;
  sla?: SlaPolicy;
  /** the first instant the SLA sweep may look at an open item */
  holdUntil: string;
};

/** Every item of the project (those of stages it has not reached as registration leaves them). */
export function importedItems(input: ImportedItemsInput): ProjectStep[] {
  const { chain, project, planned, importedBy, calendar } = input;
  const at = input.importedAt ?? project.createdAt;
  const base = initialItems(chain, project.projectId, project.attributes, project.createdAt);
  const byStep = new Map(planned.steps.map((s) => [s.stepId, s]));
  const items = new Map(base.map((item) => [itemKey(item), item]));
  for (const item of base) {
    const step = byStep.get(item.stepId);
    if (!step || step.status === 'pending') continue;
    items.set(itemKey(item), imported(item, step, importedBy, at));
  }
  // clocks last: a part's deemed approval depends on its step's outstanding materials (none when imported)
  const state = { project, chain, items, tokens: new Map() } satisfies ProjectState;
  for (const [key, item] of items) {
    const step = byStep.get(item.stepId);
    if (!step?.accepted || (item.status !== 'in_review' && item.status !== 'supplement_requested')) continue;
    if (item.kind === 'joint' && item.partId === undefined) continue;
    const found = findStep(chain, item.stepId);
    const part = item.partId ? found?.step.parts?.find((p) => p.id === item.partId) : undefined;
    const limits = part ?? found?.step;
    const started = startClock(calendar, new Date(importInstant(step.accepted)), {
      promisedDays: limits?.promisedDays ?? 0,
      legalDays: limits?.legalDays ?? 0,
    });
    // a pause stands still from its day (a supplement's pause is named as the live system names it)
    const clock = step.pause
      ? pauseClock(started, new Date(importInstant(step.pause.from)), {
          pauseId: step.pause.kind === 'supplement' ? 'supplement-1' : 'imported-pause-1',
          kind: step.pause.kind,
          ...(step.pause.reason ? { reason: step.pause.reason } : {}),
        })
      : started;
    const due = withDue(item, clock, { state, calendar, ...(input.sla ? { sla: input.sla } : {}) });
    items.set(key, hold(due, input.holdUntil));
  }
  return [...items.values()];
}

/** What a supplement notice imported asked for: the file's list, or the notice itself when the file names none. */
function noticeOf(step: ImportedStep, item: ProjectStep) {
  const names = step.missing ?? ['补正通知所列材料（导入）'];
  return names.map((name) => ({
    name,
    reason: `导入：见 ${step.pause?.from ?? ''} 的补正通知 (imported: see the supplement notice)`,
    ...(item.partId ? { partId: item.partId } : {}),
    ...(item.partId && item.departmentId ? { departmentId: item.departmentId } : {}),
  }));
}

/** The item held until the grace ends: the sweep's next look at it is no earlier. */
function hold(item: ProjectStep, holdUntil: string): ProjectStep {
  if (!item.slaCheckAt || item.slaCheckAt >= holdUntil) return item;
  return { ...item, slaCheckAt: holdUntil };
}

function imported(item: ProjectStep, step: ImportedStep, importedBy: string, at: string): ProjectStep {
  if (item.status === 'not_applicable') return item;
  if (step.status === 'not_applicable') {
    return {
      ...item,
      status: 'not_applicable',
      decidedAt: at,
      decidedBy: importedBy,
      outcome: 'not_applicable',
      reason: 'imported: not applicable (导入：不适用)',
    };
  }
  const submittedAt = step.submitted ?? step.accepted;
  const opened = {
    ...item,
    ...(submittedAt ? { openedAt: importInstant(submittedAt), submittedAt: importInstant(submittedAt) } : {}),
    updatedAt: at,
  };
  if (step.status === 'in_review' || step.status === 'paused') return { ...opened, status: 'in_review' };
  if (step.status === 'supplement_requested') {
    return {
      ...opened,
      status: 'supplement_requested',
      supplementRounds: 1,
      missingMaterials: noticeOf(step, item),
    };
  }
  if (step.status === 'rejected') {
    const document = step.document ? `不予许可决定书 ${step.document.number}（${step.document.date}）` : '';
    return {
      ...opened,
      status: 'rejected',
      decidedAt: importInstant(step.decided ?? at.slice(0, 10)),
      decidedBy: importedBy,
      outcome: 'rejected',
      legalBasis: document || 'imported (导入)',
      reason: `imported (导入)${document ? `：见${document}` : ''}`,
    };
  }
  // approved
  const decidedAt = importInstant(step.decided ?? at.slice(0, 10));
  return {
    ...opened,
    status: 'approved',
    decidedAt,
    decidedBy: importedBy,
    outcome: item.kind === 'milestone' ? 'reported' : 'approved',
    ...(step.document && item.kind !== 'milestone'
      ? { approvalDocument: { ...step.document, source: 'department' as const } }
      : {}),
    reason: 'imported (导入)',
  };
}
