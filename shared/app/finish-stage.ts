import { SYSTEM_ACTOR } from '../domain/principal.js';
import { stageEnd } from '../domain/stage-end.js';
import type { ProjectState, Transition } from '../domain/transition.js';
import type { OutboxSend, StoreOp } from '../store/store.port.js';
import type { FinishStageInput } from '../workflow/task-contract.js';
import { applyTransition } from './apply-transition.js';
import { retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { newExecution, startSend } from './executions.js';
import { loadState } from './load.js';

/**
 * The task that ends a stage's execution. `stage_completed`: the project moves to the next stage, whose execution
 * starts (through the outbox), or is completed after the last. `returned`: a step was rejected and every other
 * review of the stage has been decided; the chain stops until the agent re-applies or the project is withdrawn.
 * Replaying it, or running it for an execution the project no longer expects, changes nothing.
 */
export async function finishStage(ctx: AppContext, input: FinishStageInput): Promise<void> {
  await ctx.settings.refresh(ctx.store);
  await retryOnConflict(async () => {
    const state = await loadState(ctx, input.projectId);
    const { project, chain } = state;
    if (project.execution?.name !== input.execution || project.executionEndedAt) return;
    const now = ctx.clock.now();
    const at = now.toISOString();
    const expect = { executionName: input.execution };
    let transition: Transition;
    let sends: OutboxSend[] | undefined;
    let ops: StoreOp[] = [];
    const end = stageEnd(state, input.stageIndex);
    if (input.outcome === 'returned') {
      transition = {
        changes: [],
        events: [
          { type: 'chain_stopped', data: { stageIndex: input.stageIndex, reason: 'a step was rejected' } },
        ],
        project: { set: { executionEndedAt: at }, remove: ['renewAt'], expect },
        owed: [],
        relies: [],
      };
    } else if (end.kind === 'none') {
      // (a replay after the project moved on, or a project a revoked approval took back: nothing moves)
      ctx.log.info('a stage reported finished moves nothing', {
        projectId: project.projectId,
        execution: input.execution,
        why: end.why,
      });
      return;
    } else if (end.kind === 'complete') {
      transition = {
        changes: [],
        events: [{ type: 'project_completed', before: { status: 'active' }, after: { status: 'completed' } }],
        project: {
          set: { status: 'completed', completedAt: at },
          remove: ['execution', 'renewAt'],
          expect: { ...expect, status: 'active' },
        },
        owed: [],
        relies: [],
      };
    } else {
      const nextStage = input.stageIndex + 1;
      const next = newExecution(ctx, project.projectId, nextStage, 1, now, project.rewinds);
      transition = {
        changes: [],
        events: [
          {
            type: 'stage_completed',
            data: {
              stageIndex: input.stageIndex,
              stage: chain.stages[input.stageIndex]?.id,
              next: chain.stages[nextStage]?.id,
            },
          },
        ],
        project: {
          set: {
            currentStageIndex: nextStage,
            execution: next.execution,
            renewAt: next.renewAt,
            ...(chain.stages[nextStage]
              ? { leadDepartmentId: chain.stages[nextStage].leadDepartmentId }
              : {}),
          },
          expect: { ...expect, status: 'active' },
        },
        owed: [],
        relies: [],
      };
      sends = [startSend(project, next.execution)];
      ops = reachedItems(state, nextStage);
    }
    await applyTransition(ctx, state, transition, { actor: SYSTEM_ACTOR, ops, ...(sends ? { sends } : {}) });
  });
}

/**
 * The items of the stage a project moves to that are still derived from its chain, written as they are: every stage a
 * project has reached is in the table (its first at registration), so what reads a stage's items by key (the lead
 * department's view) finds them; only the stages not reached yet are derived (see `initial-items.ts`).
 */
function reachedItems(state: ProjectState, stageIndex: number): StoreOp[] {
  return [...state.items]
    .filter(([key, item]) => item.stageIndex === stageIndex && state.unwritten?.has(key))
    .map(([, item]) => ({ op: 'put_item', item }));
}
