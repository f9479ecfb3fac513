import { chainKey } from '../domain/chain.js';
import { findStep } from '../domain/chain-validation.js';
import type { Principal } from '../domain/principal.js';
import type { AgentAssignment, Project, ProjectEvent, ProjectStep } from '../domain/project.js';
import { isPassed, type ProjectStatus } from '../domain/step-status.js';
import { chinaDate } from '../domain/working-days.js';
import { assertCanSeeInbox, assertCanSeeProject, canSeeProject } from './access.js';
import type { AppContext } from './context.js';
import { loadProject } from './load.js';

/** A project as the people involved see it: every stage and step with status, department, dates, limits. */
export async function getProjectView(ctx: AppContext, principal: Principal, projectId: string) {
  const { project, chain } = await loadProject(ctx, projectId);
  assertCanSeeProject(principal, project);
  const [steps, assignments, departments, agent] = await Promise.all([
    ctx.store.listSteps(projectId),
    ctx.store.listAssignments(projectId),
    ctx.store.listDepartments(),
    ctx.store.getUser(project.agentId),
  ]);
  const stepsById = new Map(steps.map((s) => [s.stepId, s]));
  const departmentName = new Map(departments.map((d) => [d.id, d.name]));
  const stages = chain.stages.map((stage, stageIndex) => {
    const stageSteps = stage.steps.map((definition) => {
      const step = stepsById.get(definition.id);
      return {
        stepId: definition.id,
        name: definition.name,
        nameEn: definition.nameEn,
        kind: definition.kind,
        departmentId: definition.departmentId,
        departmentName: definition.departmentId
          ? (departmentName.get(definition.departmentId) ?? null)
          : null,
        promisedDays: definition.promisedDays,
        legalDays: definition.legalDays,
        prerequisites: definition.prerequisites,
        ...(step ? stepState(step) : { status: 'pending' as const }),
      };
    });
    const closed = stageSteps.every((s) => isPassed(s.status));
    return {
      stageId: stage.id,
      index: stageIndex,
      name: stage.name,
      nameEn: stage.nameEn,
      leadDepartmentId: stage.leadDepartmentId,
      status: closed
        ? 'done'
        : stageIndex === project.currentStageIndex
          ? 'current'
          : stageIndex < project.currentStageIndex
            ? 'done'
            : 'waiting',
      steps: stageSteps,
    };
  });
  return {
    project: {
      ...project,
      chain: { id: chain.id, version: chain.version, key: chainKey(chain), name: chain.name },
      agent: agent
        ? { agentId: agent.userId, name: agent.name, phone: agent.phone ?? null }
        : { agentId: project.agentId },
    },
    stages,
    assignments: assignments.map(assignmentView),
  };
}

function stepState(step: ProjectStep) {
  const { projectId: _p, version: _v, stepId: _s, kind: _k, departmentId: _d, ...state } = step;
  return state;
}

function assignmentView(a: AgentAssignment) {
  const { projectId: _p, ...rest } = a;
  return rest;
}

/** Projects the principal may see, filtered by status, agent or a department holding an open step. */
export async function listProjects(
  ctx: AppContext,
  principal: Principal,
  filter: { status?: ProjectStatus; agentId?: string; departmentId?: string },
): Promise<Project[]> {
  let projects: Project[];
  if (filter.departmentId) {
    const open = await ctx.store.listOpenStepsOfDepartment(filter.departmentId);
    const ids = [...new Set(open.map((s) => s.projectId))];
    const found = await Promise.all(ids.map((id) => ctx.store.getProject(id)));
    projects = found
      .filter((p): p is Project => p !== undefined)
      .filter((p) => !filter.status || p.status === filter.status)
      .filter((p) => !filter.agentId || p.agentId === filter.agentId);
  } else if (principal.role === 'investor') {
    projects = await ctx.store.listProjects({ ...filter, enterpriseId: principal.enterpriseId ?? '-' });
  } else {
    projects = await ctx.store.listProjects(filter);
  }
  return projects.filter((p) => canSeeProject(principal, p));
}

export async function listProjectEvents(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
): Promise<ProjectEvent[]> {
  const { project } = await loadProject(ctx, projectId);
  assertCanSeeProject(principal, project);
  return ctx.store.listEvents(projectId);
}

/** Steps waiting on a department's decision, oldest submission first, with the working days left. */
export async function departmentInbox(ctx: AppContext, principal: Principal, departmentId: string) {
  assertCanSeeInbox(principal, departmentId);
  const steps = await ctx.store.listOpenStepsOfDepartment(departmentId, 'in_review');
  const today = chinaDate(ctx.clock.now());
  return Promise.all(
    steps.map(async (step) => {
      const { project, chain } = await loadProject(ctx, step.projectId);
      const definition = findStep(chain, step.stepId)?.step;
      const left = step.dueDate ? ctx.calendar.workingDaysBetween(today, step.dueDate) : undefined;
      return {
        projectId: project.projectId,
        projectCode: project.code,
        projectName: project.name,
        enterpriseName: project.enterpriseName,
        stepId: step.stepId,
        stepName: definition?.name ?? step.stepId,
        status: step.status,
        submittedAt: step.submittedAt,
        dueDate: step.dueDate,
        legalDueDate: step.legalDueDate,
        workingDaysLeft: left?.days ?? null,
        supplementRounds: step.supplementRounds,
      };
    }),
  );
}
