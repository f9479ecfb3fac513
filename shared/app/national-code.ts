import { assertAllowed } from '../domain/access-policy.js';
import { codeTaken, nationalCodeAssignment, withNationalCode } from '../domain/national-code.js';
import type { Principal } from '../domain/principal.js';
import type { Project } from '../domain/project.js';
import { CommitConflictError } from '../store/store.port.js';
import { applyTransition } from './apply-transition.js';
import { retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';

export { NationalCodeInputSchema, NationalCodeSchema } from '../domain/national-code.js';

/** Whether a failed commit failed because the code was claimed meanwhile. */
export const claimFailed = (error: unknown): boolean =>
  error instanceof CommitConflictError && error.failed.some((op) => op.op === 'claim_code');

/**
 * The national project code issued at filing (step 1, 备案赋码) replaces the provisional one Daiban gave at
 * registration: shown everywhere from now on, while the provisional one still finds the project. Once per project;
 * a code another project holds is refused.
 */
export function assignNationalCode(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  code: string,
): Promise<Project> {
  return retryOnConflict(async () => {
    const state = await loadState(ctx, projectId);
    const { project, chain } = state;
    assertAllowed(principal, 'project.read', { project, chain });
    const filing = chain.stages[0]?.steps[0]?.id;
    const item = filing ? state.items.get(filing) : undefined;
    assertAllowed(principal, 'project.set_code', { project, chain, ...(item ? { item } : {}) });
    const transition = nationalCodeAssignment(project, code, ctx.clock.now());
    if (!transition) return project;
    if (await ctx.store.findProjectIdByCode(code)) throw codeTaken(code);
    try {
      await applyTransition(ctx, state, transition, {
        actor: principal,
        ops: [{ op: 'claim_code', code, projectId }],
      });
    } catch (error) {
      if (claimFailed(error)) throw codeTaken(code);
      throw error;
    }
    return withNationalCode(project, code);
  });
}
