import { assertAllowed } from '../domain/access-policy.js';
import { type CaseKind, projectCaseKinds } from '../domain/case-kinds.js';
import { type ProjectRow, ProjectRowSchema } from '../domain/list-rows.js';
import type { Principal } from '../domain/principal.js';
import type { Project } from '../domain/project.js';
import { canSeeProject } from '../domain/project-visibility.js';
import type { ProjectStatus } from '../domain/step-status.js';
import type { Page, PageRequest } from '../store/store.port.js';
import type { AppContext } from './context.js';
import { assertDepartmentExists } from './department-views.js';
import { loadState } from './load.js';

/** The project as a list shows it. */
export function projectSummary(project: Project) {
  const { requestHash: _h, renewAt: _r, attributes: _a, ...rest } = project;
  return rest;
}

export type ProjectListFilter = {
  status?: ProjectStatus;
  agentId?: string;
  departmentId?: string;
  /** a project code (项目代码): the national one, or the provisional one it replaced */
  code?: string;
  /** only projects with at least one decided step of this kind of case (五件) */
  caseKind?: CaseKind;
};

/**
 * Projects the principal may see, newest first, a page at a time. An investor sees their enterprise's only; a
 * department filter is for that department's officers, leaders and admins; an agent filter for that agent,
 * leaders and admins. A kind of case reads each listed project's steps (its kinds follow from them, never stored),
 * so a page may hold fewer than `limit` projects: follow the cursor.
 */
export async function listProjects(
  ctx: AppContext,
  principal: Principal,
  filter: ProjectListFilter,
  page: PageRequest,
): Promise<Page<ProjectRow>> {
  if (filter.departmentId) {
    const ownOrOverseer = principal.role !== 'officer' || principal.departmentId === filter.departmentId;
    assertAllowed(principal, 'projects.filter_by_department', {
      departmentId: filter.departmentId,
      ...(ownOrOverseer ? {} : { chains: await ctx.store.listChains() }),
    });
    await assertDepartmentExists(ctx, filter.departmentId);
  }
  if (filter.agentId) assertAllowed(principal, 'projects.filter_by_agent', { agentId: filter.agentId });
  if (filter.code) return projectsByCode(ctx, principal, filter, filter.code);
  const storeFilter = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(principal.role === 'agent'
      ? { agentId: principal.userId }
      : filter.agentId
        ? { agentId: filter.agentId }
        : {}),
    ...(principal.role === 'investor' ? { enterpriseId: principal.enterpriseId ?? '-' } : {}),
  };
  const result = await ctx.store.listProjects(storeFilter, page);
  const chains = ctx.chains;
  const visible: ProjectRow[] = [];
  for (const project of result.items) {
    if (filter.departmentId && !project.departments.includes(filter.departmentId)) continue;
    const chain =
      principal.role === 'officer' ? await chains.get(project.chainId, project.chainVersion) : undefined;
    if (!canSeeProject(principal, project, chain)) continue;
    if (filter.caseKind && !(await hasCaseKind(ctx, project.projectId, filter.caseKind))) continue;
    visible.push(project);
  }
  return { items: visible, ...(result.cursor ? { cursor: result.cursor } : {}) };
}

/** The project holding a code, as a page of one (or none: no such code, or not a project the caller may see). */
async function projectsByCode(
  ctx: AppContext,
  principal: Principal,
  filter: ProjectListFilter,
  code: string,
): Promise<Page<ProjectRow>> {
  const projectId = await ctx.store.findProjectIdByCode(code.trim().toUpperCase());
  const project = projectId ? await ctx.store.getProject(projectId) : undefined;
  if (!project) return { items: [] };
  const chain = await ctx.chains.get(project.chainId, project.chainVersion);
  const matches =
    canSeeProject(principal, project, chain) &&
    (!filter.status || project.status === filter.status) &&
    (!filter.agentId || project.agentId === filter.agentId) &&
    (!filter.departmentId || project.departments.includes(filter.departmentId));
  return { items: matches ? [ProjectRowSchema.parse(project)] : [] };
}

async function hasCaseKind(ctx: AppContext, projectId: string, kind: CaseKind): Promise<boolean> {
  const state = await loadState(ctx, projectId);
  const kinds = projectCaseKinds(
    state.chain.stages.flatMap((s) => s.steps),
    state.items,
  );
  return [...kinds.values()].some((k) => k.includes(kind));
}
