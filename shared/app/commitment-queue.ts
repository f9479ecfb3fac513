import { assertAllowed } from '../domain/access-policy.js';
import { findStep } from '../domain/chain-graph.js';
import type { Principal } from '../domain/principal.js';
import type { AppContext } from './context.js';
import { listProjects } from './project-list.js';

/** How many of the department's active projects one look reads (newest first). */
const PROJECTS_READ = 50;

/**
 * 告知承诺制, the department's side: approvals it gave on a commitment whose verification (核查) is not yet recorded,
 * the soonest due first. No index holds them, so it reads the department's newest active projects (at most
 * PROJECTS_READ): enough for a district's inbox; the sweep's reminders cover what falls outside.
 */
export async function commitmentsToVerify(ctx: AppContext, principal: Principal, departmentId: string) {
  assertAllowed(principal, 'inbox.read', { departmentId });
  const projects = await listProjects(
    ctx,
    principal,
    { departmentId, status: 'active' },
    { limit: PROJECTS_READ },
  );
  const rows = [];
  for (const project of projects.items) {
    const record = await ctx.store.loadProject(project.projectId);
    if (!record) continue;
    const chain = await ctx.chains.get(project.chainId, project.chainVersion);
    for (const item of record.items) {
      const commitment = item.commitment;
      if (item.departmentId !== departmentId || item.partId) continue;
      if (!commitment?.approvedAt || !commitment.verifyBy || commitment.verification) continue;
      rows.push({
        projectId: project.projectId,
        projectCode: project.code,
        projectName: project.name,
        stepId: item.stepId,
        stepName: findStep(chain, item.stepId)?.step.name ?? item.stepId,
        signatory: commitment.signatory,
        replaces: commitment.replaces.map((m) => m.name),
        approvedAt: commitment.approvedAt,
        verifyBy: commitment.verifyBy,
        overdue: commitment.overdue ?? false,
      });
    }
  }
  return rows.sort((a, b) => a.verifyBy.localeCompare(b.verifyBy));
}
