import { stepOpening } from '../domain/steps/opening.js';
import type { ProjectState } from '../domain/transition.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';

/** How long an action waits for a step its stage's task handlers are about to open (即写即读). */
export const OPENING_WAIT_MS = 5000;

/**
 * The project, read again while the given step is opening (an earlier answer opened it; the engine's task handlers
 * record it a moment later), at most `waitMs`: the state an answer described is the state this action sees.
 */
export async function loadWhenOpened(
  ctx: Pick<AppContext, 'store' | 'chains'>,
  projectId: string,
  stepId: string,
  waitMs = OPENING_WAIT_MS,
): Promise<ProjectState> {
  const deadline = Date.now() + waitMs;
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    const state = await loadState(ctx, projectId);
    if (!stepOpening(state, stepId) || Date.now() >= deadline) return state;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
