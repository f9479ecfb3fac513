import { ForbiddenError } from '../domain/errors.js';
import { type Light, lightOf } from '../domain/lights.js';
import type { HeldStepOf, ProjectRow } from '../domain/list-rows.js';
import type { Principal } from '../domain/principal.js';
import { readClock } from '../domain/step-clock.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';
import { listProjects } from './project-list.js';

/** How many in-flight projects the overview reads (a district runs a few hundred major projects at a time). */
const MAX_PROJECTS = 500;

export type HeldStep = HeldStepOf & {
  light: Light;
  dueDate: string | null;
  /** negative: working days overdue */
  workingDaysLeft: number;
  escalationLevel: number;
  status: string;
};

/**
 * The leader's overview (督办): every step and joint-review part a department holds now with its light, the red and
 * yellow counts, the departments holding the most of them, the projects at risk and the escalated steps. Reads
 * the in-flight projects (one query each); a leader or an admin only.
 *
 * @example const overview = await leaderOverview(ctx, zhang); overview.counts // { red: 1, yellow: 1, green: 9 }
 */
export async function leaderOverview(ctx: AppContext, principal: Principal) {
  if (principal.role !== 'leader' && principal.role !== 'admin') {
    throw new ForbiddenError('DASHBOARD.LEADERS_ONLY', 'the overview is for leaders and admins');
  }
  const projects: ProjectRow[] = [];
  for (const status of ['active', 'returned'] as const) {
    let cursor: string | undefined;
    do {
      const page = await listProjects(
        ctx,
        principal,
        { status },
        { limit: 100, ...(cursor ? { cursor } : {}) },
      );
      projects.push(...page.items);
      cursor = page.cursor;
    } while (cursor && projects.length < MAX_PROJECTS);
  }
  const now = ctx.clock.now();
  const held: HeldStep[] = [];
  for (const project of projects) {
    const state = await loadState(ctx, project.projectId);
    for (const stage of state.chain.stages) {
      for (const step of stage.steps) {
        const candidates = step.parts
          ? step.parts.map((part) => ({ key: `${step.id}#${part.id}`, name: `${step.name}（${part.name}）` }))
          : [{ key: step.id, name: step.name }];
        for (const { key, name } of candidates) {
          const item = state.items.get(key);
          if (!item?.clock || item.status !== 'in_review') continue;
          const reading = readClock(ctx.calendar, item.clock, now);
          held.push({
            projectId: project.projectId,
            projectCode: project.code,
            projectName: project.name,
            stepId: step.id,
            ...(item.partId ? { partId: item.partId } : {}),
            stepName: name,
            departmentId: item.departmentId,
            light: lightOf(reading, item.clock.promisedDays, ctx.settings.sla),
            dueDate: item.dueDate ?? null,
            workingDaysLeft: reading.promisedLeft,
            escalationLevel: item.escalationLevel ?? 0,
            status: item.status,
          });
        }
      }
    }
  }
  held.sort((a, b) => a.workingDaysLeft - b.workingDaysLeft);
  const counts = { red: 0, yellow: 0, green: 0 };
  for (const step of held) counts[step.light] += 1;
  const byDepartment = new Map<string, { departmentId: string; red: number; yellow: number; held: number }>();
  for (const step of held) {
    const id = step.departmentId ?? '—';
    const row = byDepartment.get(id) ?? { departmentId: id, red: 0, yellow: 0, held: 0 };
    row.held += 1;
    if (step.light === 'red') row.red += 1;
    if (step.light === 'yellow') row.yellow += 1;
    byDepartment.set(id, row);
  }
  const atRisk = projects
    .map((project) => {
      const mine = held.filter((s) => s.projectId === project.projectId);
      return {
        projectId: project.projectId,
        projectCode: project.code,
        projectName: project.name,
        status: project.status,
        red: mine.filter((s) => s.light === 'red').length,
        yellow: mine.filter((s) => s.light === 'yellow').length,
      };
    })
    .filter((p) => p.red + p.yellow > 0 || p.status === 'returned')
    .sort((a, b) => b.red - a.red || b.yellow - a.yellow);
  return {
    projects: projects.length,
    counts,
    held,
    holdingBack: [...byDepartment.values()]
      .filter((d) => d.red + d.yellow > 0)
      .sort((a, b) => b.red - a.red || b.yellow - a.yellow),
    atRisk,
    escalations: held.filter((s) => s.escalationLevel > 0),
  };
}
