import type { AppContext } from '../../shared/app/context.js';
import { decideStep, submitStep } from '../../shared/app/step-actions.js';
import { findStep } from '../../shared/domain/chain-graph.js';
import type { Decision } from '../../shared/domain/decision.js';
import { projectItems } from '../../shared/domain/initial-items.js';
import type { Principal } from '../../shared/domain/principal.js';
import { itemKey, type ProjectStep, type User } from '../../shared/domain/project.js';
import { approvalOf } from './drive-over-http.js';

export type DriverOptions = {
  /** stop before acting when this is true of the project's steps and parts */
  until?: (items: ProjectStep[]) => boolean;
  /** the decision a department takes on a step or part (default: approved) */
  decide?: (item: ProjectStep) => Decision;
  /** called between rounds, e.g. to move a simulated clock */
  betweenRounds?: () => void;
  settle: () => Promise<void>;
};

export const principalOf = (user: User): Principal => ({
  userId: user.userId,
  role: user.role,
  name: user.name,
  ...(user.departmentId ? { departmentId: user.departmentId } : {}),
  ...(user.enterpriseId ? { enterpriseId: user.enterpriseId } : {}),
});

/**
 * Moves a project along as its agent and the departments would, through the use cases: the agent submits every
 * ready step with all its materials, each department decides every step or part in review. Used by the demo seed
 * and the cost benchmark.
 */
export async function driveProject(
  ctx: AppContext,
  projectId: string,
  options: DriverOptions,
): Promise<ProjectStep[]> {
  const users = await ctx.store.listUsers();
  const officerOf = new Map(
    users.filter((u) => u.role === 'officer').map((u) => [u.departmentId, principalOf(u)]),
  );
  for (let round = 0; round < 500; round++) {
    await options.settle();
    const record = await ctx.store.loadProject(projectId);
    if (!record) return [];
    const { project } = record;
    const chain = await ctx.chains.get(project.chainId, project.chainVersion);
    // those written, and those still derived from the chain
    const items = [...projectItems(chain, project, record.items).items.values()];
    if (options.until?.(items)) return items;
    const agentUser = users.find((u) => u.userId === project.agentId);
    if (!agentUser) throw new Error(`agent ${project.agentId} is not a known user`);
    const agent = principalOf(agentUser);
    const ready = items.filter((s) => s.status === 'ready' && !s.partId);
    const inReview = items.filter((s) => s.status === 'in_review' && s.kind !== 'joint');
    if (ready.length === 0 && inReview.length === 0) return items;
    for (const step of ready) {
      const materials = findStep(chain, step.stepId)?.step.materials.map((m) => m.id) ?? [];
      await submitStep(ctx, agent, projectId, step.stepId, { materials });
    }
    for (const item of inReview) {
      const officer = officerOf.get(item.departmentId ?? undefined);
      if (!officer) throw new Error(`no officer for department ${item.departmentId}`);
      await decideStep(
        ctx,
        officer,
        projectId,
        { stepId: item.stepId, ...(item.partId ? { partId: item.partId } : {}) },
        options.decide?.(item) ?? approvalOf(item.departmentId ?? '', itemKey(item), item.submittedAt),
      );
    }
    options.betweenRounds?.();
  }
  throw new Error(`project ${projectId} did not settle`);
}
