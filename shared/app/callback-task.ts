import { gateShouldOpen, gatesToRelease } from '../domain/gates.js';
import { SYSTEM_ACTOR } from '../domain/principal.js';
import { itemKey } from '../domain/project.js';
import { openStep } from '../domain/step-lifecycle.js';
import type { ProjectState } from '../domain/transition.js';
import type { CallbackTaskInput } from '../workflow/task-contract.js';
import { applyTransition, retryOnConflict, stepOutcome } from './commit.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';

/**
 * The state machine's callback task handler. Idempotent and replayable (DESIGN.md decision 3), whatever the order
 * of deliveries (duplicate, late, early):
 *
 * - a task of an execution the project no longer expects (it was renewed) is left alone: it is being stopped;
 * - `gate`: opens at once when the step's in-stage prerequisites have passed (or the step can never open);
 *   otherwise stores its token, checking that no prerequisite moved on meanwhile;
 * - `step` / `part`: a step already closed (or blocked) reports its outcome at once; a pending one opens (or is
 *   blocked) and stores the token in the same transaction; an open one stores the token for the decision to come.
 */
export async function handleCallbackTask(ctx: AppContext, input: CallbackTaskInput): Promise<void> {
  await ctx.settings.refresh(ctx.store);
  await retryOnConflict(async () => {
    const state = await loadState(ctx, input.projectId);
    if (state.project.execution?.name !== input.execution) {
      ctx.log.info('task of an execution the project no longer expects: left to be stopped', {
        projectId: input.projectId,
        execution: input.execution,
        expected: state.project.execution?.name,
      });
      return;
    }
    if (input.kind === 'gate') await handleGate(ctx, state, input);
    else await handleStepTask(ctx, state, input);
  });
}

async function handleGate(ctx: AppContext, state: ProjectState, input: CallbackTaskInput): Promise<void> {
  if (gateShouldOpen(state, input.stepId)) {
    await ctx.engine.sendTaskSuccess(input.taskToken, { stepId: input.stepId, open: true });
    return;
  }
  // Already stored (a redelivery, or the same execution resumed after a restart): nothing to write.
  if (state.tokens.get(input.stepId)?.gate?.token === input.taskToken) return;
  const { relies } = gatesToRelease(state, [input.stepId]);
  await applyTransition(
    ctx,
    state,
    { changes: [], events: [], owed: [], relies },
    {
      actor: SYSTEM_ACTOR,
      storeToken: {
        itemKey: input.stepId,
        kind: 'gate',
        ref: { token: input.taskToken, execution: input.execution },
      },
    },
  );
}

async function handleStepTask(ctx: AppContext, state: ProjectState, input: CallbackTaskInput): Promise<void> {
  const step = state.items.get(input.stepId);
  if (!step) throw new Error(`project ${input.projectId} has no step ${input.stepId}`);
  const own = itemKey({ stepId: input.stepId, partId: input.partId });
  const outcome = stepOutcome(step);
  if (outcome) {
    await ctx.engine.sendTaskSuccess(input.taskToken, {
      stepId: input.stepId,
      ...(input.partId ? { partId: input.partId } : {}),
      outcome,
    });
    return;
  }
  const transition =
    step.status === 'pending'
      ? openStep({ state, now: ctx.clock.now(), calendar: ctx.calendar, sla: ctx.settings.sla }, input.stepId)
      : { changes: [], events: [], owed: [], relies: [own] };
  // Already stored and nothing to change (a redelivery, or the same execution resumed after a restart).
  if (transition.changes.length === 0 && state.tokens.get(own)?.task?.token === input.taskToken) return;
  await applyTransition(ctx, state, transition, {
    actor: SYSTEM_ACTOR,
    storeToken: { itemKey: own, kind: 'task', ref: { token: input.taskToken, execution: input.execution } },
  });
}
