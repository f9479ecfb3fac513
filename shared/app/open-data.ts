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
  const rows: OpenApprovalRow[] = [];
  for (const row of projects.items) {
    const state = await loadState(ctx, row.projectId);
    rows.push(...openApprovalRows(state.project, approvalsOf(state, departments)));
  }
  return { items: rows, ...(projects.cursor ? { cursor: projects.cursor } : {}) };
}
