import type { ProjectAttributes } from './applicability.js';
import type { ClockPauseKind } from './step-clock.js';

/** The shapes of an import of projects in flight (在办项目导入): its plan, its projects and steps, its problems. */

export type ImportProblem = {
  /** the row as a spreadsheet numbers it (the header is row 1) */
  row: number;
  /** the column's machine key (`step.16.decided`), absent for a problem of the whole row or file */
  column?: string;
  /** the cell as a spreadsheet names it (`H5`) */
  cell?: string;
  code: string;
  message: string;
  messageEn: string;
};

/**
 * Where a step of the file stands, as the live system would have it: not started, in review (its clock running),
 * in review with its clock paused for a period the law excludes (听证, 专家评审, 检验检测, 现场勘查), waiting for the
 * enterprise's supplement (补正, its clock paused from the request), approved, rejected (不予许可), or not applicable.
 */
export type ImportedStepStatus =
  | 'pending'
  | 'in_review'
  | 'paused'
  | 'supplement_requested'
  | 'approved'
  | 'rejected'
  | 'not_applicable';

export type ImportedStep = {
  stepId: string;
  stageIndex: number;
  status: ImportedStepStatus;
  submitted?: string;
  accepted?: string;
  decided?: string;
  /** the approval (批文/证照), or the rejection's decision (不予许可决定书) */
  document?: { number: string; date: string };
  /** a paused or supplement-requested step: since when its clock stands still, why, and what it waits for */
  pause?: { kind: ClockPauseKind; from: string; reason?: string };
  /** a supplement-requested step: the materials the notice asked for (补正材料) */
  missing?: string[];
  /** not applicable by the chain's applicability rule on the project's attributes (as at registration) */
  byRule?: true;
};

/** One project of the file as it will be registered, mid-way along its chain. */
export type ImportedProject = {
  row: number;
  /** the national project code the file gives; absent: one is generated at import, as at registration */
  projectCode?: string;
  /**
   * what finds the project again on a re-import: its national code, or else a hash of the row's content
   * (credit code, name and every cell as read), so the same row imported twice is the same project
   */
  identity: string;
  name: string;
  enterpriseName: string;
  creditCode: string;
  investmentCny: number;
  /** the chain's attributes, the file's values over the defaults (applicability follows them) */
  attributes: ProjectAttributes;
  agentId: string;
  /** when the project was registered (the file's date, else the earliest date of the row): its Gantt starts there */
  registeredOn: string;
  steps: ImportedStep[];
  /** the first stage with a step not passed; the number of stages when every step passed (completed) */
  currentStageIndex: number;
  completed: boolean;
  /** returned (退办) while one of its steps stands rejected; else active, or completed */
  status: 'active' | 'returned' | 'completed';
};

export type ImportPlan = {
  /** rows with data (the header and blank rows not counted) */
  rows: number;
  projects: ImportedProject[];
  problems: ImportProblem[];
  /** the column of each key the header names (to name a cell the use case finds a problem in) */
  columns: Record<string, number>;
};
