import { assertAllowed } from '../domain/access-policy.js';
import type { Chain } from '../domain/chain.js';
import { findStep } from '../domain/chain-graph.js';
import { NotFoundError } from '../domain/errors.js';
import { projectItems } from '../domain/initial-items.js';
import { countLights, worstLight } from '../domain/lights.js';
import type { Principal } from '../domain/principal.js';
import { itemKey, type ProjectStep } from '../domain/project.js';
import { clockDue } from '../domain/step-clock.js';
import { isPassed } from '../domain/step-status.js';
import type { PageRequest } from '../store/store.port.js';
import type { AppContext } from './context.js';
import { clockView, lightsOf } from './item-view.js';

/**
 * The items of `wanted` not found, derived from their projects' chains as registration left them (an item is written
 * only once something changes it, see `initial-items.ts`): one batch read of those projects, none if all were found.
 */
async function deriveUnwritten(
  ctx: AppContext,
  wanted: ReadonlyArray<{ projectId: string; itemKey: string }>,
  items: Map<string, ProjectStep>,
  chains: ReadonlyMap<string, Chain>,
): Promise<void> {
  const missing = new Set(
    wanted.filter((w) => !items.has(`${w.projectId}#${w.itemKey}`)).map((w) => w.projectId),
  );
  if (missing.size === 0) return;
  for (const project of await ctx.store.getProjects([...missing])) {
    const chain = chains.get(project.projectId);
    if (!chain) continue;
    const written = [...items.values()].filter((i) => i.projectId === project.projectId);
    for (const [key, item] of projectItems(chain, project, written).items) {
      items.set(`${project.projectId}#${key}`, item);
    }
  }
}

export async function assertDepartmentExists(ctx: AppContext, departmentId: string): Promise<void> {
  if (!(await ctx.store.getDepartment(departmentId))) {
    throw new NotFoundError(
      'DEPARTMENT.NOT_FOUND',
      `there is no department '${departmentId}'; see GET /departments`,
    );
  }
}

/** The principal may read the department's work (the access policy's `inbox.read`), and the department exists. */
async function assertReadsDepartment(
  ctx: AppContext,
  principal: Principal,
  departmentId: string,
): Promise<void> {
  assertAllowed(principal, 'inbox.read', { departmentId });
  await assertDepartmentExists(ctx, departmentId);
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
  await assertReadsDepartment(ctx, principal, departmentId);
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
  await assertReadsDepartment(ctx, principal, departmentId);
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
  await deriveUnwritten(ctx, wanted, items, chains);
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
