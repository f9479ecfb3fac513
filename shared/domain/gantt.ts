import type { Light } from './lights.js';
import type { StepStatus } from './step-status.js';
import { chinaDate, type WorkingDayCalendar } from './working-days.js';

/**
 * A project's steps on a working-day axis (the Gantt picture of an investor's project): where each step was done,
 * is being done, or will be done if every department keeps its promised limit from today. Day 0 is the day the
 * project was registered; bars of closed steps run from submission to decision, a step in review runs to its due
 * date, and steps still ahead start when their prerequisites (and the stage before) should end.
 */
export type GanttStepInput = {
  stepId: string;
  status: StepStatus;
  promisedDays: number | null;
  prerequisites: string[];
  openedAt?: string | undefined;
  submittedAt?: string | undefined;
  decidedAt?: string | undefined;
  clock?: { acceptedOn: string; promisedDaysLeft: number; light: Light | null } | null;
  parts?: Array<{
    status: StepStatus;
    promisedDays: number;
    clock?: { acceptedOn: string; promisedDaysLeft: number; light: Light | null } | null;
  }>;
};

export type GanttBar = {
  stepId: string;
  stageIndex: number;
  /** working days after the registration day */
  start: number;
  end: number;
  /** done: closed; running: a department holds it now; planned: still ahead; none: not applicable */
  phase: 'done' | 'running' | 'planned' | 'none';
  light: Light | null;
  milestone: boolean;
};

export type GanttSchedule = {
  startDate: string;
  today: number;
  bars: GanttBar[];
  /** the last day of any bar: the projected completion on the axis */
  end: number;
};

const CLOSED: ReadonlySet<StepStatus> = new Set(['approved', 'deemed_approved', 'rejected', 'withdrawn']);

export function ganttSchedule(
  project: { createdAt: string },
  stages: Array<{ steps: GanttStepInput[] }>,
  calendar: WorkingDayCalendar,
  now: Date,
): GanttSchedule {
  const startDate = chinaDate(new Date(project.createdAt));
  const dayOf = (instant: string | undefined): number | undefined => {
    if (!instant) return undefined;
    const date = instant.length === 10 ? instant : chinaDate(new Date(instant));
    try {
      return Math.max(0, calendar.workingDaysBetween(startDate, date).days);
    } catch {
      return undefined;
    }
  };
  const today = dayOf(now.toISOString()) ?? 0;
  const ends = new Map<string, number>();
  const bars: GanttBar[] = [];
  let stageStart = 0;
  stages.forEach((stage, stageIndex) => {
    let stageEnd = stageStart;
    for (const step of stage.steps) {
      const after = Math.max(stageStart, ...step.prerequisites.map((p) => ends.get(p) ?? stageStart));
      const promised = step.parts
        ? Math.max(0, ...step.parts.map((p) => p.promisedDays))
        : (step.promisedDays ?? 0);
      const milestone = step.promisedDays === null && !step.parts;
      const clocks = step.parts
        ? step.parts.flatMap((p) => (p.clock ? [p.clock] : []))
        : step.clock
          ? [step.clock]
          : [];
      let bar: Omit<GanttBar, 'stepId' | 'stageIndex' | 'milestone'>;
      if (step.status === 'not_applicable') {
        bar = { start: after, end: after, phase: 'none', light: null };
      } else if (CLOSED.has(step.status)) {
        const end = dayOf(step.decidedAt) ?? after;
        const start = Math.min(end, dayOf(step.submittedAt) ?? dayOf(step.openedAt) ?? end);
        bar = { start, end, phase: 'done', light: null };
      } else if (step.status === 'in_review' || step.status === 'supplement_requested') {
        const accepted = Math.min(
          ...clocks.map((k) => dayOf(k.acceptedOn) ?? today),
          dayOf(step.submittedAt) ?? today,
        );
        const left = Math.max(0, ...clocks.map((k) => k.promisedDaysLeft));
        const lights = clocks.flatMap((k) => (k.light ? [k.light] : []));
        const light = lights.includes('red')
          ? 'red'
          : lights.includes('yellow')
            ? 'yellow'
            : lights.length
              ? 'green'
              : null;
        bar = { start: Math.min(accepted, today), end: today + left, phase: 'running', light };
      } else {
        const start = Math.max(today, after, dayOf(step.openedAt) ?? 0);
        bar = { start, end: start + promised, phase: 'planned', light: null };
      }
      ends.set(step.stepId, bar.end);
      stageEnd = Math.max(stageEnd, bar.end);
      bars.push({ stepId: step.stepId, stageIndex, milestone, ...bar });
    }
    stageStart = stageEnd;
  });
  return { startDate, today, bars, end: Math.max(today, stageStart, ...bars.map((b) => b.end)) };
}
