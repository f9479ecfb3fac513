import { assertAllowed, canSeeProject } from '../domain/access-policy.js';
import { approvalsOf } from '../domain/approvals.js';
import { type CaseKind, caseFactsOf, caseKindsOf, projectCaseKinds } from '../domain/case-kinds.js';
import { chainKey } from '../domain/chain.js';
import { findStep } from '../domain/chain-graph.js';
import { chainCriticalPath, projectProjection } from '../domain/critical-path.js';
import { NotFoundError } from '../domain/errors.js';
import { countLights, type Light, lightOf, worstLight } from '../domain/lights.js';
import { type ProjectRow, ProjectRowSchema } from '../domain/list-rows.js';
import type { Principal } from '../domain/principal.js';
import {
  type AgentAssignment,
  itemKey,
  type Project,
  type ProjectEvent,
  type ProjectStep,
} from '../domain/project.js';
import { documentAsSeenBy, eventAsSeenBy } from '../domain/redaction.js';
import { clockDue, readClock } from '../domain/step-clock.js';
import { isPassed, type ProjectStatus } from '../domain/step-status.js';
import { partsOf } from '../domain/transition.js';
import type { Page, PageRequest } from '../store/store.port.js';
import type { AppContext } from './context.js';
import { loadState, loadStateAndHandovers } from './load.js';
import { referenceData } from './reference-cache.js';

/**
 * What a step's clock reads now: working days elapsed and left on both limits (DOMAIN.md 承诺时限/法定时限), and its
 * light (红黄灯) while the department holds it.
 */
function clockView(ctx: AppContext, item: Pick<ProjectStep, 'clock' | 'decidedAt'>, now: Date) {
  if (!item.clock) return null;
  // a decided step's clock stopped at its decision: it reads as it did then
  const reading = readClock(ctx.calendar, item.clock, now, item.decidedAt);
  const closed = item.decidedAt !== undefined;
  return {
    light: closed ? null : lightOf(reading, item.clock.promisedDays, ctx.settings.sla),
    acceptedOn: item.clock.acceptedOn,
    promisedDays: item.clock.promisedDays,
    legalDays: item.clock.legalDays,
    running: !closed && !reading.paused,
    paused: !closed && reading.paused,
    elapsedWorkingDays: reading.elapsed,
    promisedDaysLeft: reading.promisedLeft,
    legalDaysLeft: reading.legalLeft,
    pausedWorkingDays: reading.pausedDays,
    pauses: item.clock.pauses,
  };
}

/** A step or part as an action's answer shows it: its ids, its state and what its clock reads now. */
export function itemView(ctx: AppContext, item: ProjectStep) {
  return {
    stepId: item.stepId,
    ...(item.partId ? { partId: item.partId } : {}),
    departmentId: item.departmentId,
    kind: item.kind,
    ...itemState(ctx, item, ctx.clock.now()),
  };
}

/** The state of a step or part as shown: everything but keys, versions and the clock's raw record. */
function itemState(ctx: AppContext, item: ProjectStep, now: Date) {
  const {
    projectId: _p,
    version: _v,
    stepId: _s,
    partId: _pt,
    kind: _k,
    departmentId: _d,
    stageIndex: _i,
    clock: _c,
    slaCheckAt: _a,
    ...state
  } = item;
  return { ...state, clock: clockView(ctx, item, now) };
}

/** A project as the people involved see it: every stage and step with status, department, dates, limits, clock. */
export async function getProjectView(ctx: AppContext, principal: Principal, projectId: string) {
  // One Query: the project's working set holds its handovers (read even when the caller turns out not to see the
  // project; they are not shown then); the reference data comes from the cache, read meanwhile.
  const reference = referenceData(ctx.store);
  const [{ state, assignments }, departments] = await Promise.all([
    loadStateAndHandovers(ctx, projectId),
    reference.departments(),
  ]);
  const { project, chain } = state;
  assertAllowed(principal, 'project.read', { project, chain });
  const agent = await reference.user(project.agentId);
  const now = ctx.clock.now();
  const departmentName = new Map(departments.map((d) => [d.id, d.name]));
  const departmentLevel = new Map(departments.map((d) => [d.id, d.level]));
  const stages = chain.stages.map((stage, stageIndex) => {
    const steps = stage.steps.map((definition) => {
      const item = state.items.get(definition.id);
      const holder = item?.departmentId ?? definition.departmentId;
      const parts = definition.parts?.map((part) => {
        const partItem = partsOf(state, definition.id).find((p) => p.partId === part.id);
        return {
          partId: part.id,
          name: part.name,
          nameEn: part.nameEn,
          departmentId: part.departmentId,
          departmentName: departmentName.get(part.departmentId) ?? null,
          promisedDays: part.promisedDays,
          legalDays: part.legalDays,
          ...(partItem ? itemState(ctx, partItem, now) : { status: 'pending' as const, clock: null }),
        };
      });
      return {
        stepId: definition.id,
        name: definition.name,
        nameEn: definition.nameEn,
        kind: definition.parts ? ('joint' as const) : definition.kind,
        // the department that holds it for this project (a large project's EIA sits with the city: 上下协同)
        departmentId: holder,
        departmentName: holder ? (departmentName.get(holder) ?? null) : null,
        departmentLevel: holder ? (departmentLevel.get(holder) ?? null) : null,
        promisedDays: definition.promisedDays,
        legalDays: definition.legalDays,
        prerequisites: definition.prerequisites,
        materials: definition.materials.map((m) => m.id),
        ...(item ? itemState(ctx, item, now) : { status: 'pending' as const, clock: null }),
        caseKinds: item ? caseKindsOf(caseFactsOf(definition, item)) : [],
        ...(parts ? { parts } : {}),
      };
    });
    const done = steps.every((s) => isPassed(s.status));
    const lights = lightsOf(steps);
    return {
      stageId: stage.id,
      index: stageIndex,
      name: stage.name,
      nameEn: stage.nameEn,
      leadDepartmentId: stage.leadDepartmentId,
      status: (done || stageIndex < project.currentStageIndex
        ? 'done'
        : stageIndex === project.currentStageIndex
          ? 'current'
          : 'waiting') as 'done' | 'current' | 'waiting',
      light: worstLight(lights),
      lights: countLights(lights),
      steps,
    };
  });
  const { requestHash: _h, renewAt: _r, ...shown } = project;
  const all = stages.flatMap((s) => lightsOf(s.steps));
  return {
    project: {
      ...shown,
      light: worstLight(all),
      lights: countLights(all),
      projection: projectProjection(state, ctx.calendar, now) ?? null,
      chain: { id: chain.id, version: chain.version, key: chainKey(chain), name: chain.name },
      agent: agent
        ? { agentId: agent.userId, name: agent.name, phone: agent.phone ?? null }
        : { agentId: project.agentId },
    },
    stages,
    // every approval with its document (批文/证照): also as CSV at /projects/{id}/approvals.csv
    approvals: approvalsOf(state, departments),
    assignments: assignments.map(assignmentView),
  };
}

type WithLight = { clock?: { light: Light | null } | null };

/** The lights of the steps and parts still held by a department. */
function lightsOf(steps: Array<WithLight & { parts?: WithLight[] }>): Light[] {
  return steps
    .flatMap((s) => [s, ...(s.parts ?? [])])
    .flatMap((s) => (s.clock?.light ? [s.clock.light] : []));
}

function assignmentView(a: AgentAssignment) {
  const { projectId: _p, ...rest } = a;
  return rest;
}

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

/** A project's approvals (批文/证照) with their documents, for its enterprise, its agent and leaders. */
export async function projectApprovals(ctx: AppContext, principal: Principal, projectId: string) {
  const state = await loadState(ctx, projectId);
  assertAllowed(principal, 'project.read', { project: state.project, chain: state.chain });
  assertAllowed(principal, 'project.read_approvals', { project: state.project, chain: state.chain });
  return { project: state.project, approvals: approvalsOf(state, await ctx.store.listDepartments()) };
}

async function hasCaseKind(ctx: AppContext, projectId: string, kind: CaseKind): Promise<boolean> {
  const state = await loadState(ctx, projectId);
  const kinds = projectCaseKinds(
    state.chain.stages.flatMap((s) => s.steps),
    state.items,
  );
  return [...kinds.values()].some((k) => k.includes(kind));
}

export async function assertDepartmentExists(ctx: AppContext, departmentId: string): Promise<void> {
  if (!(await ctx.store.getDepartment(departmentId))) {
    throw new NotFoundError(
      'DEPARTMENT.NOT_FOUND',
      `there is no department '${departmentId}'; see GET /departments`,
    );
  }
}

export async function listProjectEvents(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  page: PageRequest,
): Promise<Page<ProjectEvent>> {
  const project = await ctx.store.getProject(projectId);
  const chain = project ? await ctx.chains.get(project.chainId, project.chainVersion) : undefined;
  if (!project)
    throw new NotFoundError('PROJECT.NOT_FOUND', 'no such project (or it is not one you may see)');
  assertAllowed(principal, 'project.read_timeline', { project, ...(chain ? { chain } : {}) });
  const events = await ctx.store.listEvents(projectId, page);
  return { ...events, items: events.items.map((e) => eventAsSeenBy(principal, e, chain)) };
}

/**
 * Steps and joint-review parts waiting on a department's decision, in order of time left (the promised limit's
 * end), a page at a time. One query for the page and one batch read for its projects.
 */
export async function departmentInbox(
  ctx: AppContext,
  principal: Principal,
  departmentId: string,
  page: PageRequest,
) {
  assertAllowed(principal, 'inbox.read', { departmentId });
  await assertDepartmentExists(ctx, departmentId);
  const items = await ctx.store.listOpenItemsOfDepartment(departmentId, { status: 'in_review' }, page);
  const projects = new Map(
    (await ctx.store.getProjects(items.items.map((i) => i.projectId))).map((p) => [p.projectId, p]),
  );
  const now = ctx.clock.now();
  const rows = [];
  for (const item of items.items) {
    const project = projects.get(item.projectId);
    if (!project) continue;
    const chain = await ctx.chains.get(project.chainId, project.chainVersion);
    const definition = findStep(chain, item.stepId)?.step;
    const part = item.partId ? definition?.parts?.find((p) => p.id === item.partId) : undefined;
    const clock = clockView(ctx, item, now);
    rows.push({
      projectId: project.projectId,
      projectCode: project.code,
      projectName: project.name,
      enterpriseName: project.enterpriseName,
      stepId: item.stepId,
      ...(item.partId ? { partId: item.partId, partName: part?.name ?? item.partId } : {}),
      stepName: definition?.name ?? item.stepId,
      status: item.status,
      round: item.round,
      submittedAt: item.submittedAt,
      ...(clock ? { acceptedOn: clock.acceptedOn } : {}),
      dueDate: item.dueDate,
      legalDueDate: item.legalDueDate,
      dueFlagged: item.dueFlagged ?? false,
      // (the inbox row carries the clock, not this flag: the legal limit's guess is read off the clock)
      legalDueFlagged: item.clock ? (clockDue(ctx.calendar, item.clock)?.legalDueFlagged ?? false) : false,
      light: clock?.light ?? null,
      paused: clock?.paused ?? false,
      workingDaysLeft: clock?.promisedDaysLeft ?? null,
      legalWorkingDaysLeft: clock?.legalDaysLeft ?? null,
      supplementRounds: item.supplementRounds,
    });
  }
  return { departmentId, steps: rows, ...(items.cursor ? { cursor: items.cursor } : {}) };
}

/** The documents of a project (超时默认通知单, minutes…), for whoever may see the project. */
export async function listProjectDocuments(ctx: AppContext, principal: Principal, projectId: string) {
  await assertProjectVisible(ctx, principal, projectId);
  return (await ctx.store.listDocuments(projectId)).map((d) => documentAsSeenBy(principal, d));
}

export async function getProjectDocument(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  docId: string,
) {
  const project = await assertProjectVisible(ctx, principal, projectId);
  const document = await ctx.store.getDocument(projectId, docId);
  if (!document) throw new NotFoundError('DOCUMENT.NOT_FOUND', 'this project has no such document');
  return { project, document: documentAsSeenBy(principal, document) };
}

async function assertProjectVisible(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
): Promise<Project> {
  const project = await ctx.store.getProject(projectId);
  if (!project)
    throw new NotFoundError('PROJECT.NOT_FOUND', 'no such project (or it is not one you may see)');
  const chain = await ctx.chains.get(project.chainId, project.chainVersion);
  assertAllowed(principal, 'project.read', { project, chain });
  return project;
}

/** A chain's critical path, against all its approvals in series and its legal limits. */
export const chainPath = chainCriticalPath;

/**
 * The lead department's view (牵头部门): every project whose current stage it leads, with every step of that stage
 * across departments: status, department, light, due date, and the stage's roll-up. One query for the page, one
 * batch read for the steps.
 */
export async function stageLeadView(
  ctx: AppContext,
  principal: Principal,
  departmentId: string,
  page: PageRequest,
) {
  assertAllowed(principal, 'inbox.read', { departmentId });
  await assertDepartmentExists(ctx, departmentId);
  const projects = await ctx.store.listProjectsLedBy(departmentId, page);
  const now = ctx.clock.now();
  const wanted: Array<{ projectId: string; itemKey: string }> = [];
  const chains = new Map<string, Awaited<ReturnType<typeof ctx.chains.get>>>();
  for (const project of projects.items) {
    const chain = await ctx.chains.get(project.chainId, project.chainVersion);
    chains.set(project.projectId, chain);
    for (const step of chain.stages[project.currentStageIndex]?.steps ?? []) {
      wanted.push({ projectId: project.projectId, itemKey: step.id });
      for (const part of step.parts ?? [])
        wanted.push({ projectId: project.projectId, itemKey: `${step.id}#${part.id}` });
    }
  }
  const items = new Map((await ctx.store.getItems(wanted)).map((i) => [`${i.projectId}#${itemKey(i)}`, i]));
  const rows = projects.items.map((project) => {
    const stage = chains.get(project.projectId)?.stages[project.currentStageIndex];
    const steps = (stage?.steps ?? []).map((definition) => {
      const item = items.get(`${project.projectId}#${definition.id}`);
      const clock = item ? clockView(ctx, item, now) : null;
      const parts = definition.parts?.map((part) => {
        const partItem = items.get(`${project.projectId}#${definition.id}#${part.id}`);
        const partClock = partItem ? clockView(ctx, partItem, now) : null;
        return {
          partId: part.id,
          name: part.name,
          departmentId: part.departmentId,
          status: partItem?.status ?? 'pending',
          light: partClock?.light ?? null,
          dueDate: partItem?.dueDate ?? null,
          workingDaysLeft: partClock?.promisedDaysLeft ?? null,
          clock: partClock,
        };
      });
      return {
        stepId: definition.id,
        name: definition.name,
        departmentId: item?.departmentId ?? definition.departmentId,
        status: item?.status ?? 'pending',
        blocked: item?.blocked ?? false,
        light: clock?.light ?? null,
        dueDate: item?.dueDate ?? null,
        workingDaysLeft: clock?.promisedDaysLeft ?? null,
        clock,
        ...(parts ? { parts } : {}),
      };
    });
    const lights = lightsOf(steps);
    return {
      projectId: project.projectId,
      projectCode: project.code,
      projectName: project.name,
      projectStatus: project.status,
      stage: {
        stageId: stage?.id ?? null,
        name: stage?.name ?? null,
        index: project.currentStageIndex,
        light: worstLight(lights),
        lights: countLights(lights),
        closed: steps.filter((s) => isPassed(s.status)).length,
        total: steps.length,
      },
      steps,
    };
  });
  return { departmentId, projects: rows, ...(projects.cursor ? { cursor: projects.cursor } : {}) };
}
