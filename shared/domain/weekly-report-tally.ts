import { type CaseKind, caseFactsOf, caseKindsOf } from './case-kinds.js';
import type { Chain } from './chain.js';
import type { Department } from './department.js';
import type { Project, ProjectStep } from './project.js';
import { readClock } from './step-clock.js';
import { chinaDate, type WorkingDayCalendar } from './working-days.js';

/** An ISO week (Monday to Sunday, China dates): `2026-W47`. */
export type IsoWeek = { id: string; from: string; to: string };

export type ReportProject = { project: Project; chain: Chain; items: ProjectStep[] };

/** Sums that averages and shares are made of. */
type Sums = {
  decided: number;
  onTime: number;
  deemed: number;
  working: number;
  promised: number;
  legal: number;
};

/** One of the slowest decisions, as the report shows it, with what it is ranked by. */
export type SlowDecision = {
  projectCode: string;
  projectName: string;
  stepId: string;
  partId?: string;
  stepName: string;
  departmentId: string;
  departmentName: string;
  workingDays: number;
  promisedDays: number;
  legalDays: number;
  outcome: ProjectStep['status'];
};

/**
 * What the weekly report is made of, summed project by project: small whatever the number of projects (a count per
 * department and stage, the five slowest), and plain data, so a report too long to make in one go (a district with
 * 10,000 projects in flight, a Lambda run limited to a minute) is kept between runs and taken up where it stopped.
 */
export type WeekTally = {
  projects: { started: number; advanced: number; completed: number };
  caseKinds: Record<CaseKind, number>;
  departments: Record<string, Sums>;
  /** by stage index: its name (of the first decision seen) and sums */
  stages: Record<string, Sums & { name: string }>;
  slowest: SlowDecision[];
};

/** How many of the slowest decisions the report names. */
const SLOWEST = 5;

const noSums = (): Sums => ({ decided: 0, onTime: 0, deemed: 0, working: 0, promised: 0, legal: 0 });

export function emptyTally(): WeekTally {
  return {
    projects: { started: 0, advanced: 0, completed: 0 },
    caseKinds: { instant: 0, promised: 0, joint: 0, returned: 0, supplement: 0 },
    departments: {},
    stages: {},
    slowest: [],
  };
}

/** The slowest first: most over the promised limit, then most working days; earlier seen first among equals. */
const slowerFirst = (a: SlowDecision, b: SlowDecision) =>
  b.workingDays - b.promisedDays - (a.workingDays - a.promisedDays) || b.workingDays - a.workingDays;

function add(
  sums: Sums,
  row: { workingDays: number; promisedDays: number; legalDays: number; late: boolean; deemed: boolean },
) {
  sums.decided += 1;
  if (!row.late) sums.onTime += 1;
  if (row.deemed) sums.deemed += 1;
  sums.working += row.workingDays;
  sums.promised += row.promisedDays;
  sums.legal += row.legalDays;
}

/**
 * Adds these projects (as they stand) to the week's tally: projects started, advanced and completed in the week;
 * each step decided in it counted for its department and stage, on time or late, deemed or not; the five kinds of
 * case; the slowest decisions. Pure; returns a new tally.
 */
export function tallyProjects(
  before: WeekTally,
  input: {
    week: IsoWeek;
    projects: ReportProject[];
    departments: Department[];
    calendar: WorkingDayCalendar;
  },
): WeekTally {
  const { week, calendar } = input;
  const tally: WeekTally = structuredClone(before);
  const inWeek = (instant: string | undefined) => {
    if (!instant) return false;
    const date = chinaDate(new Date(instant));
    return date >= week.from && date <= week.to;
  };
  const names = new Map(input.departments.map((d) => [d.id, d]));
  const slow: SlowDecision[] = [];
  for (const { project, chain, items } of input.projects) {
    if (inWeek(project.createdAt)) tally.projects.started += 1;
    if (inWeek(project.completedAt)) tally.projects.completed += 1;
    let moved = false;
    for (const item of items) {
      if (!inWeek(item.decidedAt)) continue;
      moved = true;
      const stage = chain.stages[item.stageIndex];
      const step = stage?.steps.find((s) => s.id === item.stepId);
      if (!step) continue;
      if (!item.partId) for (const kind of caseKindsOf(caseFactsOf(step, item))) tally.caseKinds[kind] += 1;
      // a joint review's decisions are its parts'; the step itself only concludes them
      if (step.parts && !item.partId) continue;
      if (!item.clock || !item.departmentId) continue;
      if (item.status !== 'approved' && item.status !== 'deemed_approved' && item.status !== 'rejected')
        continue;
      const part = item.partId ? step.parts?.find((p) => p.id === item.partId) : undefined;
      const reading = readClock(calendar, item.clock, new Date(item.decidedAt as string));
      const deemed = item.status === 'deemed_approved';
      const row = {
        workingDays: reading.elapsed,
        promisedDays: item.clock.promisedDays,
        legalDays: item.clock.legalDays,
        late: deemed || (item.lateByDays ?? 0) > 0 || reading.promisedLeft < 0,
        deemed,
      };
      const departmentId = item.departmentId;
      const department = tally.departments[departmentId] ?? noSums();
      const stageKey = String(item.stageIndex);
      const stageSums = tally.stages[stageKey] ?? { ...noSums(), name: stage?.name ?? '' };
      add(department, row);
      add(stageSums, row);
      tally.departments[departmentId] = department;
      tally.stages[stageKey] = stageSums;
      slow.push({
        projectCode: project.code,
        projectName: project.name,
        stepId: item.stepId,
        ...(item.partId ? { partId: item.partId } : {}),
        stepName: part ? `${step.name}（${part.name}）` : step.name,
        departmentId,
        departmentName: names.get(departmentId)?.name ?? departmentId,
        workingDays: row.workingDays,
        promisedDays: row.promisedDays,
        legalDays: row.legalDays,
        outcome: item.status,
      });
    }
    if (moved || items.some((i) => inWeek(i.submittedAt))) tally.projects.advanced += 1;
  }
  // a stable sort of those kept before and these after them: the same five as sorting every decision at once
  tally.slowest = [...tally.slowest, ...slow].sort(slowerFirst).slice(0, SLOWEST);
  return tally;
}
