import { assertAllowed } from '../domain/access-policy.js';
import { ForbiddenError } from '../domain/errors.js';
import { lightOf } from '../domain/lights.js';
import type { ProjectRow } from '../domain/list-rows.js';
import type { Principal } from '../domain/principal.js';
import { readClock } from '../domain/step-clock.js';
import { isInFlight } from '../domain/step-status.js';
import type { AppContext } from './context.js';
import { loadStateAndHandovers } from './load.js';
import { listProjects } from './queries.js';

/** How many of an agent's projects the workbench reads (an agent carries a few dozen at most). */
const MAX_PROJECTS = 300;

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

/**
 * What is due from an agent across all their projects (GET /me/work): steps ready for their submission, milestones
 * to report, supplement notices to answer (with the full merged list), rejected steps to re-apply; and, to keep an
 * eye on, the steps their departments hold with lights; their workload and handover history. A leader or admin may
 * read any agent's (`agentId`).
 *
 * @example const work = await agentWork(ctx, wang); work.todo[0] // { kind: 'supplement', materials: [...] }
 */
export async function agentWork(ctx: AppContext, principal: Principal, agentId = principal.userId) {
  if (principal.role !== 'agent' && principal.role !== 'leader' && principal.role !== 'admin') {
    throw new ForbiddenError(
      'WORK.AGENTS_ONLY',
      'the workbench lists what an agent has to do; sign in as an agent',
    );
  }
  assertAllowed(principal, 'projects.filter_by_agent', { agentId });
  const projects: ProjectRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await listProjects(
      ctx,
      principal,
      { agentId },
      { limit: 100, ...(cursor ? { cursor } : {}) },
    );
    projects.push(...page.items);
    cursor = page.cursor;
  } while (cursor && projects.length < MAX_PROJECTS);

  const now = ctx.clock.now();
  const todo: WorkItem[] = [];
  const waiting: Array<{
    projectId: string;
    projectCode: string;
    projectName: string;
    stepId: string;
    partId?: string;
    stepName: string;
    departmentId: string | null;
    status: string;
    light: 'green' | 'yellow' | 'red' | null;
    dueDate: string | null;
    workingDaysLeft: number | null;
  }> = [];
  const handovers = [];
  for (const project of projects) {
    // one read of a project in flight (its handovers are in its working set), the handovers alone of one that is not
    const inFlight = isInFlight(project.status);
    const loaded = inFlight ? await loadStateAndHandovers(ctx, project.projectId) : undefined;
    const assignments = loaded?.assignments ?? (await ctx.store.listAssignments(project.projectId));
    for (const a of assignments) {
      if (a.previousAgentId !== null && (a.agentId === agentId || a.previousAgentId === agentId)) {
        handovers.push({ ...a, projectCode: project.code, projectName: project.name });
      }
    }
    if (!loaded) continue;
    const { state } = loaded;
    const base = { projectId: project.projectId, projectCode: project.code, projectName: project.name };
    for (const stage of state.chain.stages) {
      for (const step of stage.steps) {
        const item = state.items.get(step.id);
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
              const p = state.items.get(`${step.id}#${part.id}`);
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
  }
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
    handovers: handovers.sort((a, b) => b.at.localeCompare(a.at)),
  };
}
