import { z } from 'zod';
import { assertAllowed } from '../domain/access-policy.js';
import { ConflictError, InvalidInputError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Project } from '../domain/project.js';
import { codeYearProblem, nationalCodeProblem } from '../domain/project-code.js';
import type { Transition } from '../domain/transition.js';
import { chinaDate } from '../domain/working-days.js';
import { CommitConflictError } from '../store/store.port.js';
import { applyTransition, retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';

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
 * Refuses a national code whose year is later than this year in China (the service's clock): a code bears the
 * year it was issued. `field` names where the request gave it (`code`, `projectCode`).
 */
export function assertCodeYearPassed(ctx: AppContext, code: string, field: string): void {
  const problem = codeYearProblem(code, Number(chinaDate(ctx.clock.now()).slice(0, 4)));
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

export const codeTaken = (code: string): ConflictError =>
  new ConflictError(
    'PROJECT.CODE_TAKEN',
    `project code ${code} is already used by another project: a code belongs to one project for its whole life; check the code the platform issued`,
  );

/** Whether a failed commit failed because the code was claimed meanwhile. */
export const claimFailed = (error: unknown): boolean =>
  error instanceof CommitConflictError && error.failed.some((op) => op.op === 'claim_code');

/**
 * The national project code issued at filing (step 1, 备案赋码) replaces the provisional one Daiban gave at
 * registration: shown everywhere from now on, while the provisional one still finds the project. Once per project;
 * a code another project holds is refused.
 */
export function assignNationalCode(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  code: string,
): Promise<Project> {
  return retryOnConflict(async () => {
    const state = await loadState(ctx, projectId);
    const { project, chain } = state;
    assertAllowed(principal, 'project.read', { project, chain });
    const filing = chain.stages[0]?.steps[0]?.id;
    const item = filing ? state.items.get(filing) : undefined;
    assertAllowed(principal, 'project.set_code', { project, chain, ...(item ? { item } : {}) });
    if (project.code === code) return project;
    assertCodeYearPassed(ctx, code, 'code');
    if (project.codeKind === 'national') {
      throw new ConflictError(
        'PROJECT.CODE_ALREADY_NATIONAL',
        `this project already has its national code ${project.code}; a project keeps one code for its whole life`,
      );
    }
    if (await ctx.store.findProjectIdByCode(code)) throw codeTaken(code);
    const transition: Transition = {
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
    try {
      await applyTransition(ctx, state, transition, {
        actor: principal,
        ops: [{ op: 'claim_code', code, projectId }],
      });
    } catch (error) {
      if (claimFailed(error)) throw codeTaken(code);
      throw error;
    }
    return { ...project, code, codeKind: 'national', provisionalCode: project.code };
  });
}
