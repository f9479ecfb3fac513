import { chainKey } from '../domain/chain.js';
import { SYSTEM_ACTOR } from '../domain/principal.js';
import type { ExecutionRef, Project } from '../domain/project.js';
import { isInFlight, isOpen } from '../domain/step-status.js';
import type { ProjectChange, ProjectState, Transition } from '../domain/transition.js';
import type { OutboxSend } from '../store/store.port.js';
import { applyTransition, retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';

/**
 * Executions are named and bounded (DESIGN.md decision 6). A project has one execution per stage at a time,
 * named `<projectId>-s<stage>-g<generation>`. A generation is renewed long before Step Functions' one-year limit
 * (`executionMaxAgeDays`), and whenever the reconciliation finds it missing, failed, timed out or stuck: the new
 * one replays what DynamoDB holds (closed steps report at once) and waits where the old one waited.
 */

export const executionName = (projectId: string, stageIndex: number, generation: number): string =>
  `${projectId}-s${stageIndex}-g${generation}`;

const keyOf = (project: Project): string => chainKey({ id: project.chainId, version: project.chainVersion });

export function startSend(project: Project, execution: ExecutionRef): OutboxSend {
  return {
    type: 'start_execution',
    projectId: project.projectId,
    name: execution.name,
    chainKey: keyOf(project),
    stageIndex: execution.stageIndex,
  };
}

export function stopSend(project: Project, execution: ExecutionRef): OutboxSend {
  return { type: 'stop_execution', name: execution.name, chainKey: keyOf(project) };
}

/** A new execution of a stage, and when it must be renewed. */
export function newExecution(
  ctx: Pick<AppContext, 'spine'>,
  projectId: string,
  stageIndex: number,
  generation: number,
  now: Date,
): { execution: ExecutionRef; renewAt: string } {
  return {
    execution: {
      name: executionName(projectId, stageIndex, generation),
      stageIndex,
      generation,
      startedAt: now.toISOString(),
    },
    renewAt: new Date(now.getTime() + ctx.spine.executionMaxAgeDays * 86_400_000).toISOString(),
  };
}

/**
 * The project change and sends that replace a project's execution with the next generation of its current stage
 * (stop the old one first, so two never drive the same steps), expecting the old one to be current still.
 */
export function renewal(
  ctx: Pick<AppContext, 'spine'>,
  project: Project,
  now: Date,
): { change: ProjectChange; sends: OutboxSend[]; execution: ExecutionRef } {
  const old = project.execution;
  const next = newExecution(
    ctx,
    project.projectId,
    project.currentStageIndex,
    (old?.generation ?? 0) + 1,
    now,
  );
  return {
    change: {
      set: { execution: next.execution, renewAt: next.renewAt },
      remove: ['executionEndedAt'],
      expect: { executionName: old?.name ?? null },
    },
    sends: [...(old ? [stopSend(project, old)] : []), startSend(project, next.execution)],
    execution: next.execution,
  };
}

/** Renews a project's execution (if `expected` is still its execution). */
export async function renewExecution(
  ctx: AppContext,
  projectId: string,
  reason: string,
  expected: string | undefined,
): Promise<ExecutionRef | undefined> {
  return retryOnConflict(async () => {
    const state = await loadState(ctx, projectId);
    const { project } = state;
    if (!isInFlight(project.status) || project.execution?.name !== expected) return undefined;
    const now = ctx.clock.now();
    const { change, sends, execution } = renewal(ctx, project, now);
    const transition: Transition = {
      changes: [],
      events: [
        {
          type: 'execution_renewed',
          before: { execution: expected ?? null },
          after: { execution: execution.name },
          data: { reason },
        },
      ],
      project: change,
      owed: [],
      relies: [],
    };
    await applyTransition(ctx, state, transition, { actor: SYSTEM_ACTOR, sends });
    ctx.log.info('execution renewed', { projectId, from: expected, to: execution.name, reason });
    return execution;
  });
}

/**
 * Whether the current execution has lost track of the project: an open step or part of its stage has no task
 * token from it, long after it started (its handler never ran, or ran for an execution since replaced).
 */
export function executionLooksStuck(state: ProjectState, now: Date, stuckAfterSeconds: number): boolean {
  const execution = state.project.execution;
  if (!execution || state.project.status !== 'active') return false;
  if (now.getTime() - new Date(execution.startedAt).getTime() < stuckAfterSeconds * 1000) return false;
  for (const [key, item] of state.items) {
    if (item.stageIndex !== execution.stageIndex || item.kind === 'joint' || !isOpen(item.status)) continue;
    if (state.tokens.get(key)?.task?.execution !== execution.name) return true;
  }
  return false;
}

export type Reconciliation = 'ok' | 'idle' | 'started' | 'renewed';

/**
 * The reconciliation of one project, the same locally and on AWS: an in-flight project whose execution is missing
 * is started (its name was never used), one whose execution ended, failed, timed out, grew old or is stuck gets
 * the next generation. Runs on a schedule (the audit), on execution failures, and when a renewal comes due.
 */
export async function reconcileProject(ctx: AppContext, projectId: string): Promise<Reconciliation> {
  const state = await loadState(ctx, projectId);
  const { project } = state;
  if (!isInFlight(project.status) || project.executionEndedAt) return 'idle';
  const execution = project.execution;
  if (!execution) {
    await renewExecution(ctx, projectId, 'the project had no execution', undefined);
    return 'renewed';
  }
  const key = keyOf(project);
  const status = await ctx.engine.describeExecution({ name: execution.name, chainKey: key });
  const now = ctx.clock.now();
  if (status === 'NOT_FOUND') {
    await ctx.engine.startExecution({
      name: execution.name,
      chainKey: key,
      input: { projectId, stageIndex: execution.stageIndex },
    });
    return 'started';
  }
  let reason: string | undefined;
  if (status !== 'RUNNING')
    reason = `the execution ${status === 'SUCCEEDED' ? 'ended without moving the project on' : `is ${status}`}`;
  else if (project.renewAt && now.toISOString() >= project.renewAt)
    reason = 'the execution reached its age limit';
  else if (executionLooksStuck(state, now, ctx.spine.stuckAfterSeconds))
    reason = 'the execution lost track of open steps';
  if (!reason) return 'ok';
  return (await renewExecution(ctx, projectId, reason, execution.name)) ? 'renewed' : 'ok';
}
