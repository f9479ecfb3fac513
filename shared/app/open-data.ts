import { assertAllowed } from '../domain/access-policy.js';
import { approvalsOf, type OpenApprovalRow, openApprovalRows } from '../domain/approvals.js';
import type { Principal } from '../domain/principal.js';
import type { Page, PageRequest } from '../store/store.port.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';

/**
 * The approvals of every project (开放数据), a page of projects at a time, newest first: each project read as one
 * Query, its approvals in the chain's order. A page holds the rows of up to `limit` projects (a project with no
 * approval yet adds none); the cursor goes on to the next projects.
 */
export async function exportApprovals(
  ctx: AppContext,
  principal: Principal,
  page: PageRequest,
): Promise<Page<OpenApprovalRow>> {
  assertAllowed(principal, 'exports.read');
  const projects = await ctx.store.listProjects({}, page);
  const departments = await ctx.store.listDepartments();
  // read together, written in the page's order
  const states = await Promise.all(projects.items.map((row) => loadState(ctx, row.projectId)));
  const rows = states.flatMap((state) => openApprovalRows(state.project, approvalsOf(state, departments)));
  return { items: rows, ...(projects.cursor ? { cursor: projects.cursor } : {}) };
}
