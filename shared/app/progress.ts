import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import { nationalCodeProblem } from '../domain/project-code.js';
import { isPassed } from '../domain/step-status.js';
import { partsOf } from '../domain/transition.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';

/**
 * The public progress of a project by its project code (项目代码), for anyone without signing in (DOMAIN.md "Who
 * sees what": public sees "a project's stage and step statuses by its project code"): the project's name, its
 * status, each stage and step with its status and the department holding it. No enterprise, agent, dates,
 * comments, conditions or materials: nothing internal.
 *
 * @example await publicProgress(ctx, '2026-320115-39-01-000011') // { code, name, status, stages: [...] }
 */
export async function publicProgress(ctx: AppContext, rawCode: string) {
  const code = rawCode.trim().toUpperCase();
  const problem = nationalCodeProblem(code);
  if (problem)
    throw new InvalidInputError('PROJECT_CODE.INVALID', `${problem}; check the code and try again`);
  const projectId = await ctx.store.findProjectIdByCode(code);
  if (!projectId) {
    throw new NotFoundError(
      'PROJECT_CODE.NOT_FOUND',
      `no project is registered under the code ${code}; check it against the filing notice (备案通知书)`,
    );
  }
  const state = await loadState(ctx, projectId);
  const { project, chain } = state;
  const departments = new Map((await ctx.store.listDepartments()).map((d) => [d.id, d]));
  const stages = chain.stages.map((stage, index) => {
    const steps = stage.steps.map((definition) => {
      const item = state.items.get(definition.id);
      const department = definition.departmentId ? departments.get(definition.departmentId) : undefined;
      return {
        stepId: definition.id,
        name: definition.name,
        nameEn: definition.nameEn,
        departmentName: department?.name ?? null,
        departmentNameEn: department?.nameEn ?? null,
        status: item?.status ?? ('pending' as const),
        ...(definition.parts
          ? {
              parts: definition.parts.map((part) => ({
                partId: part.id,
                name: part.name,
                nameEn: part.nameEn,
                departmentName: departments.get(part.departmentId)?.name ?? null,
                departmentNameEn: departments.get(part.departmentId)?.nameEn ?? null,
                status:
                  partsOf(state, definition.id).find((p) => p.partId === part.id)?.status ??
                  ('pending' as const),
              })),
            }
          : {}),
      };
    });
    return {
      stageId: stage.id,
      name: stage.name,
      nameEn: stage.nameEn,
      status: steps.every((s) => isPassed(s.status))
        ? ('done' as const)
        : index === project.currentStageIndex
          ? ('current' as const)
          : index < project.currentStageIndex
            ? ('done' as const)
            : ('waiting' as const),
      steps,
    };
  });
  return {
    code: project.code,
    name: project.name,
    status: project.status,
    stepsClosed: project.stepsClosed,
    stepsTotal: project.stepsTotal,
    chain: { id: chain.id, name: chain.name, nameEn: chain.nameEn },
    stages,
  };
}
