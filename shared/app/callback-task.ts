import { dependentsInStage } from '../domain/chain-validation.js';
import { SYSTEM_ACTOR } from '../domain/principal.js';
import { isClosed } from '../domain/step-status.js';
import type { CallbackTaskInput } from '../workflow/task-contract.js';
import type { AppContext } from './context.js';
import { newEvent } from './events.js';
import { loadProject, loadStep } from './load.js';
import {
  gateShouldOpen,
  loadStepsById,
  releaseGates,
  signalStepTask,
  stoppingPrerequisite,
} from './step-progress.js';

/**
 * The state machine's callback task handler (idempotent and replayable, DESIGN.md decision 3).
 *
 * - `gate`: stores the gate token, opens it at once if the step's in-stage prerequisites are already closed.
 * - `step`: a step that is already closed reports its outcome at once (replay after restart or redrive);
 *   otherwise the step opens (`pending` → `ready`) and its token waits for the decision.
 */
export async function handleCallbackTask(ctx: AppContext, input: CallbackTaskInput): Promise<void> {
  if (input.kind === 'gate') return handleGate(ctx, input);
  const { project, chain, step } = await loadStep(ctx, input.projectId, input.stepId);

  if (isClosed(step.status) || step.blocked) {
    await signalStepTask(ctx, step, input.taskToken);
    return;
  }

  if (step.status === 'pending') {
    const stopped = stoppingPrerequisite(chain, step.stepId, await loadStepsById(ctx, project.projectId));
    const at = ctx.clock.now().toISOString();
    if (project.status !== 'active' || stopped) {
      // The step can never open: it ends as blocked and lets its own dependents end too.
      const blocked = await ctx.store.transitionStep({
        before: step,
        after: { ...step, blocked: true, updatedAt: at },
        event: newEvent(ctx, {
          projectId: project.projectId,
          type: 'step_blocked',
          actor: SYSTEM_ACTOR,
          at,
          stepId: step.stepId,
          data: stopped
            ? {
                reason: `prerequisite step ${stopped.stepId} was ${stopped.blocked ? 'blocked' : 'rejected'}`,
              }
            : { reason: `project is ${project.status}` },
        }),
      });
      await signalStepTask(ctx, blocked, input.taskToken);
      await releaseGates(ctx, chain, project.projectId, dependentsInStage(chain, step.stepId));
      return;
    }
    await ctx.store.transitionStep({
      before: step,
      after: { ...step, status: 'ready', openedAt: at, updatedAt: at },
      event: newEvent(ctx, {
        projectId: project.projectId,
        type: 'step_opened',
        actor: SYSTEM_ACTOR,
        at,
        stepId: step.stepId,
        before: { status: 'pending' },
        after: { status: 'ready' },
      }),
      project:
        input.stageIndex > project.currentStageIndex
          ? { set: { currentStageIndex: input.stageIndex } }
          : undefined,
    });
  }

  await ctx.store.setTaskToken(project.projectId, step.stepId, 'step', input.taskToken);
  // A decision may have landed between our read and the token write: check again now that the token is stored.
  const latest = await ctx.store.getStep(project.projectId, step.stepId);
  if (latest && isClosed(latest.status)) await signalStepTask(ctx, latest, input.taskToken);
}

async function handleGate(ctx: AppContext, input: CallbackTaskInput): Promise<void> {
  const { project, chain } = await loadProject(ctx, input.projectId);
  // Fails when the project has no such step (the item must exist).
  await ctx.store.setTaskToken(project.projectId, input.stepId, 'gate', input.taskToken);
  // Read after storing the token: whichever of us and the decision path comes second opens the gate.
  const latestProject = (await ctx.store.getProject(project.projectId)) ?? project;
  const steps = await loadStepsById(ctx, project.projectId);
  if (gateShouldOpen(chain, latestProject, input.stepId, steps)) {
    await ctx.engine.sendTaskSuccess(input.taskToken, { stepId: input.stepId, open: true });
  }
}
