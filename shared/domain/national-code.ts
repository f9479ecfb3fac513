import { z } from 'zod';
import { ConflictError, InvalidInputError } from './errors.js';
import type { Project } from './project.js';
import { codeYearProblem, nationalCodeProblem } from './project-code.js';
import type { Transition } from './transition.js';
import { chinaDate } from './working-days.js';

/**
 * The national project code (项目代码, GB/T 40058-2021) a project is given: at registration, or at filing (step 1,
 * 备案赋码) in place of the provisional one Daiban gave. One code per project for its whole life.
 */

/** A project code issued by the national investment project platform (项目代码), checked for its format. */
export const NationalCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .max(24, 'a project code has 24 characters')
  .superRefine((code, check) => {
    const problem = nationalCodeProblem(code);
    if (problem) check.addIssue({ code: 'custom', message: `invalid project code (项目代码): ${problem}` });
  });

export const NationalCodeInputSchema = z.strictObject({ code: NationalCodeSchema });

/**
 * Refuses a national code whose year is later than this year in China (`now`, the service's clock): a code bears
 * the year it was issued. `field` names where the request gave it (`code`, `projectCode`).
 */
export function assertCodeYearPassed(code: string, now: Date, field: string): void {
  const problem = codeYearProblem(code, Number(chinaDate(now).slice(0, 4)));
  if (problem) {
    throw new InvalidInputError(
      'PROJECT_CODE.INVALID',
      `${field}: invalid project code (项目代码): ${problem}`,
      {
        field,
      },
    );
  }
}

/** The refusal of a code another project holds. */
export const codeTaken = (code: string): ConflictError =>
  new ConflictError(
    'PROJECT.CODE_TAKEN',
    `project code ${code} is already used by another project: a code belongs to one project for its whole life; check the code the platform issued`,
  );

/**
 * The national code issued at filing replaces the provisional one: shown everywhere from now on, while the
 * provisional one still finds the project (kept as `provisionalCode`). Nothing to do if the project already has
 * this code; refused if it has another national one, or if the code's year has not come (`now`). Whether another
 * project holds the code is for the store to say (the commit claims it).
 */
export function nationalCodeAssignment(project: Project, code: string, now: Date): Transition | undefined {
  if (project.code === code) return undefined;
  assertCodeYearPassed(code, now, 'code');
  if (project.codeKind === 'national') {
    throw new ConflictError(
      'PROJECT.CODE_ALREADY_NATIONAL',
      `this project already has its national code ${project.code}; a project keeps one code for its whole life`,
    );
  }
  return {
    changes: [],
    events: [
      {
        type: 'project_code_assigned',
        before: { code: project.code, codeKind: 'provisional' },
        after: { code, codeKind: 'national' },
        data: { provisionalCode: project.code },
      },
    ],
    project: {
      set: { code, codeKind: 'national', provisionalCode: project.code },
      expect: { code: project.code },
    },
    owed: [],
    relies: [],
  };
}

/** The project as it reads once its national code is assigned. */
export const withNationalCode = (project: Project, code: string): Project => ({
  ...project,
  code,
  codeKind: 'national',
  provisionalCode: project.code,
});
