import { chainKey } from '../domain/chain.js';
import {
  executionLooksStuck,
  executionWaitsOnNothing,
  executionWaitsQuietly,
} from '../domain/execution-health.js';
import { newExecution as newExecutionRule, renewalDue, renewalOf } from '../domain/execution-renewal.js';
import { SYSTEM_ACTOR } from '../domain/principal.js';
import type { ExecutionRef, Project } from '../domain/project.js';
import { isInFlight } from '../domain/step-status.js';
import type { ProjectChange, Transition } from '../domain/transition.js';
import type { ExecutionRequest } from '../engine/workflow-engine.port.js';
import type { OutboxSend } from '../store/store.port.js';
import type { ExecutionInput } from '../workflow/task-contract.js';
import { applyTransition } from './apply-transition.js';
import { retryOnConflict } from './commit.js';
import type { AppContext } from './context.js';
import { loadState, loadStateWithOutbox } from './load.js';

/**
 * Executions are named and bounded (DESIGN.md decision 6; the rule is the domain's `execution-renewal.ts`). A
 * generation is renewed long before Step Functions' one-year limit (`executionMaxAgeDays`), and whenever the
 * reconciliation finds it missing, failed, timed out or stuck: the new one replays what DynamoDB holds (closed
 * steps report at once) and waits where the old one waited.
 */

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

/** A new execution of a stage, and when it must be renewed (after the spine's `executionMaxAgeDays`). */
export function newExecution(
  ctx: Pick<AppContext, 'spine'>,
  projectId: string,
  stageIndex: number,
  generation: number,
  now: Date,
  rewinds?: number,
): { execution: ExecutionRef; renewAt: string } {
  return newExecutionRule(projectId, stageIndex, generation, now, ctx.spine.executionMaxAgeDays, rewinds);
}

/**
 * The project change and sends that replace a project's execution with the next generation of its current stage
 * (the domain's `renewalOf`): stop the old one first, so two never drive the same steps.
 */
export function renewal(
  ctx: Pick<AppContext, 'spine'>,
  project: Project,
  now: Date,
): { change: ProjectChange; sends: OutboxSend[]; execution: ExecutionRef } {
  const { change, execution, stop } = renewalOf(project, now, ctx.spine.executionMaxAgeDays);
  return {
    change,
    sends: [...(stop ? [stopSend(project, stop)] : []), startSend(project, execution)],
    execution,
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

export type Reconciliation = 'ok' | 'idle' | 'started' | 'parked' | 'renewed';

export type ReconcileOptions = {
  /**
   * The local runtime after a start: an execution that is missing but was waiting quietly (see
   * {@link executionWaitsQuietly}) is parked (known, resumed by its first signal) instead of started. On AWS a
   * waiting execution is never missing, and costs nothing.
   */
  park?: (request: ExecutionRequest & { input: ExecutionInput }) => void;
};

/**
 * The reconciliation of one project, the same locally and on AWS: an in-flight project whose execution is missing
 * is started (its name was never used), one whose execution ended, failed, timed out, grew old or is stuck gets
 * the next generation. Runs on a schedule (the audit), on execution failures, and when a renewal comes due.
 */
export async function reconcileProject(
  ctx: AppContext,
  projectId: string,
  options: ReconcileOptions = {},
): Promise<Reconciliation> {
  const { state, outbox } = await loadStateWithOutbox(ctx, projectId);
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
    const request = {
      name: execution.name,
      chainKey: key,
      input: { projectId, stageIndex: execution.stageIndex },
    };
    if (options.park && !renewalDue(project, now) && executionWaitsQuietly(state)) {
      options.park(request);
      return 'parked';
    }
    await ctx.engine.startExecution(request);
    return 'started';
  }
  let reason: string | undefined;
  if (status !== 'RUNNING')
    reason = `the execution ${status === 'SUCCEEDED' ? 'ended without moving the project on' : `is ${status}`}`;
  else if (renewalDue(project, now)) reason = 'the execution reached its age limit';
  else if (executionLooksStuck(state, now, ctx.spine.stuckAfterSeconds))
    reason = 'the execution lost track of open steps';
  else reason = executionWaitsOnNothing(state, outbox, now, ctx.spine.stuckAfterSeconds);
  if (!reason) return 'ok';
  return (await renewExecution(ctx, projectId, reason, execution.name)) ? 'renewed' : 'ok';
}
