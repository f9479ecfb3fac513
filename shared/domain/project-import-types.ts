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

export type ImportedStepStatus = 'pending' | 'in_review' | 'approved' | 'not_applicable';

export type ImportedStep = {
  stepId: string;
  stageIndex: number;
  status: ImportedStepStatus;
  submitted?: string;
  accepted?: string;
  decided?: string;
  document?: { number: string; date: string };
};

/** One project of the file as it will be registered, mid-way along its chain. */
export type ImportedProject = {
  row: number;
  projectCode: string;
  name: string;
  enterpriseName: string;
  creditCode: string;
  investmentCny: number;
  agentId: string;
  steps: ImportedStep[];
  /** the first stage with a step not passed; the number of stages when every step passed (completed) */
  currentStageIndex: number;
  completed: boolean;
};

export type ImportPlan = {
  /** rows with data (the header and blank rows not counted) */
  rows: number;
  projects: ImportedProject[];
  problems: ImportProblem[];
  /** the column of each key the header names (to name a cell the use case finds a problem in) */
  columns: Record<string, number>;
};
