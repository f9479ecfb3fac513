import { assertAllowed } from '../domain/access-policy.js';
import { findStep } from '../domain/chain-graph.js';
import type { Principal } from '../domain/principal.js';
import { isInFlight } from '../domain/step-status.js';
import { listBatches } from './batches.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';
import { listProjects } from './project-list.js';

/** How many of the agent's projects one look reads (an agent carries a few dozen at most). */
const PROJECTS_READ = 100;

/**
 * 上下协同, what an agent can put in a batch: the approval steps of their in-flight projects held by a city or
 * provincial department, ready for their materials and in no batch still under way; grouped by department, as a batch
 * goes to one department.
 */
export async function batchableSteps(ctx: AppContext, principal: Principal) {
  assertAllowed(principal, 'batch.assemble');
  const [projects, departments, batches] = await Promise.all([
    listProjects(ctx, principal, { agentId: principal.userId }, { limit: PROJECTS_READ }),
    ctx.store.listDepartments(),
    listBatches(ctx, principal, { limit: 100 }),
  ]);
  const upper = new Map(departments.filter((d) => d.level !== 'district').map((d) => [d.id, d]));
  const batched = new Set(
    batches.items
      .filter((b) => b.status !== 'collected')
      .flatMap((b) => b.items.map((i) => `${i.projectId}#${i.stepId}`)),
  );
  const groups = new Map<
    string,
    {
      departmentId: string;
      departmentName: string;
      level: string;
      steps: Array<{
        projectId: string;
        projectCode: string;
        projectName: string;
        stepId: string;
        stepName: string;
      }>;
    }
  >();
  for (const project of projects.items) {
    if (!isInFlight(project.status)) continue;
    const state = await loadState(ctx, project.projectId);
    for (const item of state.items.values()) {
      const department = item.departmentId ? upper.get(item.departmentId) : undefined;
      if (!department || item.partId || item.kind !== 'approval') continue;
      if (item.status !== 'ready' || item.blocked) continue;
      if (batched.has(`${project.projectId}#${item.stepId}`)) continue;
      const group = groups.get(department.id) ?? {
        departmentId: department.id,
        departmentName: department.name,
        level: department.level,
        steps: [],
      };
      group.steps.push({
        projectId: project.projectId,
        projectCode: project.code,
        projectName: project.name,
        stepId: item.stepId,
        stepName: findStep(state.chain, item.stepId)?.step.name ?? item.stepId,
      });
      groups.set(department.id, group);
    }
  }
  return [...groups.values()].sort((a, b) => a.departmentId.localeCompare(b.departmentId));
}
