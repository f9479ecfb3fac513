import type { Chain } from './chain.js';
import { findStep } from './chain-graph.js';
import { initialItems } from './initial-items.js';
import { itemKey, type Project, type ProjectStep } from './project.js';
import type { ImportedProject, ImportedStep } from './project-import.js';
import type { SlaPolicy } from './sla-policy.js';
import { startClock } from './step-clock.js';
import { withDue } from './steps/due-dates.js';
import type { ProjectState } from './transition.js';
import { startOfChinaDay, type WorkingDayCalendar } from './working-days.js';

/**
 * The step and part items of an imported project, as the file says they stand: decided steps approved with their
 * documents, steps in review with their clocks running from their real acceptance dates (so the due dates, lights
 * and deemed approval are those the department has really had), the others as registration leaves them. The SLA
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
  calendar: WorkingDayCalendar;
  sla?: SlaPolicy;
  /** the first instant the SLA sweep may look at an open item */
  holdUntil: string;
};

/** Every item of the project (those of stages it has not reached as registration leaves them). */
export function importedItems(input: ImportedItemsInput): ProjectStep[] {
  const { chain, project, planned, importedBy, calendar } = input;
  const at = project.createdAt;
  const base = initialItems(chain, project.projectId, project.attributes, at);
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
    if (step?.status !== 'in_review' || !step.accepted || item.status !== 'in_review') continue;
    if (item.kind === 'joint' && item.partId === undefined) continue;
    const found = findStep(chain, item.stepId);
    const part = item.partId ? found?.step.parts?.find((p) => p.id === item.partId) : undefined;
    const limits = part ?? found?.step;
    const clock = startClock(calendar, new Date(importInstant(step.accepted)), {
      promisedDays: limits?.promisedDays ?? 0,
      legalDays: limits?.legalDays ?? 0,
    });
    const due = withDue(item, clock, { state, calendar, ...(input.sla ? { sla: input.sla } : {}) });
    items.set(key, hold(due, input.holdUntil));
  }
  return [...items.values()];
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
  if (step.status === 'in_review') return { ...opened, status: 'in_review' };
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
