import type { AppContext } from '../../shared/app/context.js';
import { decideStep } from '../../shared/app/decide-step.js';
import { submitStep } from '../../shared/app/submit-step.js';
import type { Decision } from '../../shared/domain/decision.js';
import type { Principal } from '../../shared/domain/principal.js';
import type { ProjectStep, User } from '../../shared/domain/project.js';

export type DriverOptions = {
  /** stop before acting when this is true of the project's steps */
  until?: (steps: ProjectStep[]) => boolean;
  /** the decision a department takes on a step (default: approved) */
  decide?: (step: ProjectStep) => Decision;
  /** called between rounds, e.g. to move a simulated clock */
  betweenRounds?: () => void;
  settle: () => Promise<void>;
};

const principalOf = (user: User): Principal => ({
  userId: user.userId,
  role: user.role,
  name: user.name,
  ...(user.departmentId ? { departmentId: user.departmentId } : {}),
  ...(user.enterpriseId ? { enterpriseId: user.enterpriseId } : {}),
});

/**
 * Moves a project along as its agent and the departments would, through the use cases: the agent submits every
 * ready step, each department decides every step in review. Used by the demo seed and the cost benchmark.
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
    const project = await ctx.store.getProject(projectId);
    const steps = await ctx.store.listSteps(projectId);
    if (!project || options.until?.(steps)) return steps;
    const agentUser = users.find((u) => u.userId === project.agentId);
    if (!agentUser) throw new Error(`agent ${project.agentId} is not a known user`);
    const agent = principalOf(agentUser);
    const ready = steps.filter((s) => s.status === 'ready');
    const inReview = steps.filter((s) => s.status === 'in_review');
    if (ready.length === 0 && inReview.length === 0) return steps;
    for (const step of ready) await submitStep(ctx, agent, projectId, step.stepId, { materials: [] });
    for (const step of inReview) {
      const officer = officerOf.get(step.departmentId ?? undefined);
      if (!officer) throw new Error(`no officer for department ${step.departmentId}`);
      await decideStep(
        ctx,
        officer,
        projectId,
        step.stepId,
        options.decide?.(step) ?? { outcome: 'approved' },
      );
    }
    options.betweenRounds?.();
  }
  throw new Error(`project ${projectId} did not settle`);
}
