import { stepOutcome } from '../domain/effects/owed-signals.js';
import { gateShouldOpen, gatesToRelease } from '../domain/gates.js';
import { SYSTEM_ACTOR } from '../domain/principal.js';
import { itemKey } from '../domain/project.js';
import { openStep } from '../domain/steps/gate-opening.js';
import {
  applyChanges,
  combineTransitions,
  type ProjectState,
  type Transition,
} from '../domain/transition.js';
import type { OutboxEntry, StoreOp } from '../store/store.port.js';
import type { CallbackTaskInput } from '../workflow/task-contract.js';
import { applyTransition, type StoredToken } from './apply-transition.js';
import { retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { lifecycleInput } from './context.js';
import { loadStateWithOutbox } from './load.js';
import { onlyStarts } from './relay.js';

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
  await handleCallbackTasks(ctx, [input]);
}

/** A signal a task gets at once, without anything written (a closed step's outcome, an open gate). */
type Immediate = { token: string; output: Record<string, unknown> };

/**
 * Several callback tasks of one project at once, as their handler calls arrive together (a stage's execution
 * starts a task or a gate per step at the same moment): one read of the project, one transaction with every token
 * and every step opened, then the signals owed at once. Each task is decided exactly as {@link handleCallbackTask}
 * decides it alone, one after the other on the state as the earlier ones leave it, so the outcome is the same; only
 * the round trips are fewer (a new project's first stage: 2 instead of 2 per step).
 */
export async function handleCallbackTasks(
  ctx: AppContext,
  inputs: readonly CallbackTaskInput[],
): Promise<void> {
  const first = inputs[0];
  if (!first) return;
  if (inputs.some((input) => input.projectId !== first.projectId)) {
    throw new Error('handleCallbackTasks takes the tasks of one project');
  }
  // A task whose gate opened because the step is not applicable (closed for good at registration) reports that at
  // once: nothing to read (a stage's not-applicable steps would otherwise each cost a read after their gates).
  const settled = inputs.filter((input) => input.kind !== 'gate' && input.gate?.outcome === 'not_applicable');
  const rest = inputs.filter((input) => !settled.includes(input));
  for (const input of settled) {
    await ctx.engine.sendTaskSuccess(input.taskToken, {
      stepId: input.stepId,
      ...(input.partId ? { partId: input.partId } : {}),
      outcome: 'not_applicable',
    });
  }
  const [next] = rest;
  if (!next) return;
  await ctx.settings.refresh(ctx.store);
  const immediate = await retryOnConflict(async () => {
    const { state, outbox } = await loadStateWithOutbox(ctx, next.projectId);
    const plan = planTasks(ctx, state, rest);
    const cleared = startsNowRunning(state, outbox, rest);
    if (plan.tokens.length > 0 || plan.transition.changes.length > 0) {
      await applyTransition(ctx, state, plan.transition, {
        actor: SYSTEM_ACTOR,
        storeTokens: plan.tokens,
        ops: cleared,
        // a stage's gates rely on most of its items: one condition on the project instead of a check each
        reliesThroughProject: true,
      });
    } else if (cleared.length > 0) {
      await ctx.store.commit(cleared);
    }
    return plan.immediate;
  });
  for (const { token, output } of immediate) await ctx.engine.sendTaskSuccess(token, output);
}

const NOTHING: Transition = { changes: [], events: [], owed: [], relies: [] };

/**
 * The deletes of outbox entries that only start the execution these tasks belong to: it runs, so its start is no
 * longer owed. The relay of a registration leaves its entry to these (see `relay`), so that the entry is cleared
 * in the transaction the tasks write anyway; an entry of another execution is left to the relay and the job.
 */
export function startsNowRunning(
  state: ProjectState,
  outbox: readonly OutboxEntry[],
  inputs: readonly CallbackTaskInput[],
): StoreOp[] {
  const running = state.project.execution?.name;
  if (!running || !inputs.some((input) => input.execution === running)) return [];
  return outbox
    .filter(
      (entry) =>
        onlyStarts(entry) && entry.sends.every((s) => s.type === 'start_execution' && s.name === running),
    )
    .map((entry) => ({ op: 'delete_outbox', projectId: entry.projectId, outboxId: entry.outboxId }));
}

/** What the tasks need: the signals they get at once, and one transition storing the tokens of those that wait. */
function planTasks(
  ctx: AppContext,
  state: ProjectState,
  inputs: readonly CallbackTaskInput[],
): { immediate: Immediate[]; transition: Transition; tokens: StoredToken[] } {
  const immediate: Immediate[] = [];
  const tokens: StoredToken[] = [];
  let transition = NOTHING;
  let current = state;
  // A task delivered twice in one batch stores its token once (the later delivery's, should they differ).
  const store = (token: StoredToken) => {
    const same = tokens.findIndex((t) => t.itemKey === token.itemKey && t.kind === token.kind);
    if (same >= 0) tokens.splice(same, 1);
    tokens.push(token);
  };
  for (const input of inputs) {
    if (state.project.execution?.name !== input.execution) {
      ctx.log.info('task of an execution the project no longer expects: left to be stopped', {
        projectId: input.projectId,
        stepId: input.stepId,
        execution: input.execution,
        expected: state.project.execution?.name,
      });
      continue;
    }
    const ref = { token: input.taskToken, execution: input.execution };
    if (input.kind === 'gate') {
      if (gateShouldOpen(current, input.stepId)) {
        // a step not applicable: its task, next, reports so without a read (see `CallbackTaskInput.gate`)
        const notApplicable = current.items.get(input.stepId)?.status === 'not_applicable';
        immediate.push({
          token: input.taskToken,
          output: {
            stepId: input.stepId,
            open: true,
            ...(notApplicable ? { outcome: 'not_applicable' } : {}),
          },
        });
        continue;
      }
      // Already stored (a redelivery, or the same execution resumed after a restart): nothing to write.
      if (state.tokens.get(input.stepId)?.gate?.token === input.taskToken) continue;
      const { relies } = gatesToRelease(current, [input.stepId]);
      transition = combineTransitions(transition, { ...NOTHING, relies });
      store({ itemKey: input.stepId, kind: 'gate', ref });
      continue;
    }
    const step = current.items.get(input.stepId);
    if (!step) throw new Error(`project ${input.projectId} has no step ${input.stepId}`);
    const own = itemKey({ stepId: input.stepId, partId: input.partId });
    const outcome = stepOutcome(step);
    if (outcome) {
      immediate.push({
        token: input.taskToken,
        output: { stepId: input.stepId, ...(input.partId ? { partId: input.partId } : {}), outcome },
      });
      continue;
    }
    const opening =
      step.status === 'pending'
        ? openStep(lifecycleInput(ctx, current, ctx.clock.now()), input.stepId)
        : { ...NOTHING, relies: [own] };
    // Already stored and nothing to change (a redelivery, or the same execution resumed after a restart).
    if (opening.changes.length === 0 && state.tokens.get(own)?.task?.token === input.taskToken) continue;
    transition = combineTransitions(transition, opening);
    current = applyChanges(current, opening.changes);
    store({ itemKey: own, kind: 'task', ref });
  }
  return { immediate, transition, tokens };
}
