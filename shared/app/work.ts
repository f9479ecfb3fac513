import { assertAllowed } from '../domain/access-policy.js';
import { ForbiddenError } from '../domain/errors.js';
import { lightOf } from '../domain/lights.js';
import type { AgentProjectRow, HeldStepOf, ProjectRow } from '../domain/list-rows.js';
import type { Principal } from '../domain/principal.js';
import { itemKey } from '../domain/project.js';
import { readClock } from '../domain/step-clock.js';
import { isInFlight } from '../domain/step-status.js';
import { currentEntries, type WorkEntry } from '../domain/work-summary.js';
import type { AppContext } from './context.js';

export type WorkItem = {
  kind: 'submit' | 'report_milestone' | 'supplement' | 'reapply';
  projectId: string;
  projectCode: string;
  projectName: string;
  stepId: string;
  stepName: string;
  departmentId: string | null;
  /** submit: the step's materials; supplement: everything the one-time notice asked for, merged across parts */
  materials: Array<{
    id?: string;
    name: string;
    reason?: string;
    deferrable?: boolean;
    departmentId?: string;
  }>;
  /** reapply: why it was rejected and on what legal basis */
  reason?: string;
  legalBasis?: string;
  since?: string;
};

/** How many of an agent's projects one page of the workbench covers, unless asked otherwise. */
export const WORK_PAGE_PROJECTS = 20;
/** At most this many per page: the current stages' items of a page stay a few batch reads. */
export const WORK_PAGE_MAX = 50;

type Waiting = HeldStepOf & {
  status: string;
  light: 'green' | 'yellow' | 'red' | null;
  dueDate: string | null;
  workingDaysLeft: number | null;
};

/**
 * What is due from an agent, one page of their projects at a time (GET /me/work): steps ready for their submission,
 * milestones to report, supplement notices to answer (with the full merged list), rejected steps to re-apply; and,
 * to keep an eye on, the steps their departments hold with lights; the page's workload; with `handovers`, the
 * handover history of the page's projects. A leader or admin may read any agent's (`agentId`).
 *
 * Its reads do not grow with how many projects the agent has: one Query of the agent's index page, whose rows carry
 * each project's summary of its current stage (shared/domain/work-summary.ts, rewritten by every transition). Only
 * the projects whose summary is absent (written by an older release), outdated (another change counted since) or
 * too long are read by key: one batch read (100 keys a call, the calls side by side) of their current stage's items.
 * Everything due sits in the current stage: the stages behind it are closed (the `stage_done_with_open_step`
 * invariant), those after it not opened. Only `handovers` reads one Query per project of the page (they are in each
 * project's own partition).
 *
 * @example const work = await agentWork(ctx, wang); work.todo[0] // { kind: 'supplement', materials: [...] }; work.nextCursor
 */
export async function agentWork(
  ctx: AppContext,
  principal: Principal,
  agentId = principal.userId,
  options: { limit?: number; cursor?: string; handovers?: boolean } = {},
) {
  if (principal.role !== 'agent' && principal.role !== 'leader' && principal.role !== 'admin') {
    throw new ForbiddenError(
      'WORK.AGENTS_ONLY',
      'the workbench lists what an agent has to do; sign in as an agent',
    );
  }
  assertAllowed(principal, 'projects.filter_by_agent', { agentId });
  const limit = Math.min(Math.max(options.limit ?? WORK_PAGE_PROJECTS, 1), WORK_PAGE_MAX);
  const page = await ctx.store.listAgentProjects(agentId, {
    limit,
    ...(options.cursor ? { cursor: options.cursor } : {}),
  });
  const projects: AgentProjectRow[] = page.items;

  // the current stage of each project in flight; its items from the row's summary when it is current
  const stages = await Promise.all(
    projects
      .filter((p) => isInFlight(p.status))
      .map(async (project) => {
        const chain = await ctx.chains.get(project.chainId, project.chainVersion);
        return { project, stage: chain.stages[project.currentStageIndex], summary: currentEntries(project) };
      }),
  );
  const items = new Map<string, WorkEntry>();
  for (const { project, summary } of stages) {
    for (const entry of summary ?? []) items.set(`${project.projectId}|${itemKey(entry)}`, entry);
  }
  // projects without one (written before it existed, or too many entries): their stage's items read by key
  const wanted = stages
    .filter(({ summary }) => summary === undefined)
    .flatMap(({ project, stage }) =>
      (stage?.steps ?? []).flatMap((step) => [
        { projectId: project.projectId, itemKey: step.id },
        ...(step.parts ?? []).map((part) => ({
          projectId: project.projectId,
          itemKey: `${step.id}#${part.id}`,
        })),
      ]),
    );
  // the batch reads side by side (each at most 100 keys): a page waits for one round trip, not one per hundred
  const chunks = Array.from({ length: Math.ceil(wanted.length / 100) }, (_, i) =>
    wanted.slice(i * 100, i * 100 + 100),
  );
  const found = (await Promise.all(chunks.map((chunk) => ctx.store.getItems(chunk)))).flat();
  for (const item of found) items.set(`${item.projectId}|${itemKey(item)}`, item);

  const now = ctx.clock.now();
  const todo: WorkItem[] = [];
  const waiting: Waiting[] = [];
  for (const { project, stage } of stages) {
    const base = { projectId: project.projectId, projectCode: project.code, projectName: project.name };
    const itemOf = (key: string) => items.get(`${project.projectId}|${key}`);
    for (const step of stage?.steps ?? []) {
      const item = itemOf(step.id);
      if (!item || item.blocked) continue;
      const common = { ...base, stepId: step.id, stepName: step.name, departmentId: step.departmentId };
      if (item.status === 'ready') {
        todo.push({
          ...common,
          kind: step.kind === 'milestone' ? 'report_milestone' : 'submit',
          materials: step.materials.map((m) => ({ id: m.id, name: m.name, deferrable: m.deferrable })),
          ...(item.openedAt ? { since: item.openedAt } : {}),
        });
      } else if (item.status === 'supplement_requested') {
        todo.push({
          ...common,
          kind: 'supplement',
          materials: (item.missingMaterials ?? []).map((m) => ({
            ...(m.materialId ? { id: m.materialId } : {}),
            name: m.name,
            reason: m.reason,
            ...(m.departmentId ? { departmentId: m.departmentId } : {}),
          })),
          ...(item.decidedAt ? { since: item.decidedAt } : { since: item.updatedAt }),
        });
      } else if (item.status === 'rejected') {
        todo.push({
          ...common,
          kind: 'reapply',
          materials: [],
          ...(item.reason ? { reason: item.reason } : {}),
          ...(item.legalBasis ? { legalBasis: item.legalBasis } : {}),
          ...(item.decidedAt ? { since: item.decidedAt } : {}),
        });
      }
      const held = step.parts
        ? step.parts.flatMap((part) => {
            const p = itemOf(`${step.id}#${part.id}`);
            return p ? [{ item: p, name: `${step.name}（${part.name}）` }] : [];
          })
        : [{ item, name: step.name }];
      for (const { item: h, name } of held) {
        if (h.status !== 'in_review' || !h.clock) continue;
        const reading = readClock(ctx.calendar, h.clock, now);
        waiting.push({
          ...base,
          stepId: step.id,
          ...(h.partId ? { partId: h.partId } : {}),
          stepName: name,
          departmentId: h.departmentId,
          status: h.status,
          light: lightOf(reading, h.clock.promisedDays, ctx.settings.sla),
          dueDate: h.dueDate ?? null,
          workingDaysLeft: reading.promisedLeft,
        });
      }
    }
  }
  const handovers = options.handovers ? await handoversOf(ctx, projects, agentId) : [];
  const order = { supplement: 0, reapply: 1, submit: 2, report_milestone: 3 } as const;
  todo.sort((a, b) => order[a.kind] - order[b.kind] || (a.since ?? '').localeCompare(b.since ?? ''));
  waiting.sort((a, b) => (a.workingDaysLeft ?? 0) - (b.workingDaysLeft ?? 0));
  const count = (status: ProjectRow['status']) => projects.filter((p) => p.status === status).length;
  return {
    agentId,
    workload: {
      projects: projects.length,
      active: count('active'),
      returned: count('returned'),
      completed: count('completed'),
      todo: todo.length,
      waitingOnDepartments: waiting.length,
      red: waiting.filter((w) => w.light === 'red').length,
      yellow: waiting.filter((w) => w.light === 'yellow').length,
    },
    todo,
    waiting,
    handovers,
    ...(page.cursor ? { nextCursor: page.cursor } : {}),
  };
}

/** The handovers to or from the agent among these projects, newest first (one Query per project). */
async function handoversOf(ctx: AppContext, projects: ProjectRow[], agentId: string) {
  const lists = await Promise.all(
    projects.map(async (project) =>
      (await ctx.store.listAssignments(project.projectId))
        .filter((a) => a.previousAgentId !== null && (a.agentId === agentId || a.previousAgentId === agentId))
        .map((a) => ({ ...a, projectCode: project.code, projectName: project.name })),
    ),
  );
  return lists.flat().sort((a, b) => b.at.localeCompare(a.at));
}
