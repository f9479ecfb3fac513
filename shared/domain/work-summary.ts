import { z } from 'zod';
import { itemKey, type ProjectStep, ProjectStepSchema } from './project.js';

/**
 * What the agent's workbench (GET /me/work) shows of a project, kept on the project itself and copied by the
 * agent's index (GSI2): the current stage's steps and parts that are due from the agent (ready, supplement
 * requested, rejected) or held by a department on a clock (in review), each with just the fields the workbench
 * reads. A page of the workbench is then one Query. It is rewritten in the transaction of every change to the
 * project (shared/app/commit.ts), and holds at most {@link WORK_SUMMARY_MAX} entries: beyond that only the count is
 * kept and the reader reads those items (as it does for a project written before the summary existed).
 *
 * `seq` is what makes a stale summary visible: each write sets it to the project's `workSeq` as read plus one, and
 * adds one to `workSeq` (an ADD, so two transactions on different steps of one project both count). The summary is
 * current only while `seq` equals the project's `workSeq` and `stage` its current stage.
 */

export const WORK_SUMMARY_MAX = 10;

export const WorkEntrySchema = ProjectStepSchema.pick({
  stepId: true,
  partId: true,
  status: true,
  blocked: true,
  departmentId: true,
  openedAt: true,
  decidedAt: true,
  updatedAt: true,
  missingMaterials: true,
  reason: true,
  legalBasis: true,
  clock: true,
  dueDate: true,
});
export type WorkEntry = z.infer<typeof WorkEntrySchema>;

export const WorkSummarySchema = z.object({
  seq: z.number().int(),
  stage: z.number().int(),
  /** how many entries the stage has (more than the maximum: `entries` left out) */
  count: z.number().int(),
  entries: z.array(WorkEntrySchema).optional(),
});
export type WorkSummary = z.infer<typeof WorkSummarySchema>;

const DUE_FROM_AGENT = new Set(['ready', 'supplement_requested', 'rejected']);
const heldOnClock = (item: ProjectStep) => item.status === 'in_review' && item.clock !== undefined;

/** The summary of a stage's items (`items`: the project's written items, as they are after the change). */
export function workSummaryOf(items: Iterable<ProjectStep>, stage: number, seq: number): WorkSummary {
  const ofStage = [...items].filter((item) => item.stageIndex === stage);
  const wanted = new Map<string, ProjectStep>();
  for (const item of ofStage) {
    if (item.blocked) continue;
    if (item.partId === undefined) {
      if (DUE_FROM_AGENT.has(item.status) || heldOnClock(item)) wanted.set(itemKey(item), item);
    } else if (heldOnClock(item)) {
      wanted.set(itemKey(item), item);
      // a part is shown under its step: the step comes with it
      const step = ofStage.find((s) => s.stepId === item.stepId && s.partId === undefined);
      if (step && !step.blocked) wanted.set(itemKey(step), step);
    }
  }
  const entries = [...wanted.values()].map((item) => WorkEntrySchema.parse(item));
  return {
    seq,
    stage,
    count: entries.length,
    ...(entries.length <= WORK_SUMMARY_MAX ? { entries } : {}),
  };
}

/** The entries of a project's summary, if it is current and complete; otherwise undefined (read the items). */
export function currentEntries(row: {
  currentStageIndex: number;
  workSeq?: number | undefined;
  work?: WorkSummary | undefined;
}): WorkEntry[] | undefined {
  const { work } = row;
  if (!work || work.seq !== row.workSeq || work.stage !== row.currentStageIndex) return undefined;
  return work.entries;
}
