import { assertAllowed } from '../domain/access-policy.js';
import { approvalsOf } from '../domain/approvals.js';
import { NotFoundError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Project, ProjectEvent } from '../domain/project.js';
import { documentAsSeenBy, eventAsSeenBy } from '../domain/redaction.js';
import type { Page, PageRequest } from '../store/store.port.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';

/** A project's approvals (批文/证照) with their documents, for its enterprise, its agent and leaders. */
export async function projectApprovals(ctx: AppContext, principal: Principal, projectId: string) {
  const state = await loadState(ctx, projectId);
  assertAllowed(principal, 'project.read', { project: state.project, chain: state.chain });
  assertAllowed(principal, 'project.read_approvals', { project: state.project, chain: state.chain });
  return { project: state.project, approvals: approvalsOf(state, await ctx.store.listDepartments()) };
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
