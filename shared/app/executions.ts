import { chainKey } from '../domain/chain.js';
import { newExecution as newExecutionRule, renewalDue, renewalOf } from '../domain/execution-renewal.js';
import { gateShouldOpen } from '../domain/gates.js';
import { SYSTEM_ACTOR } from '../domain/principal.js';
import { type ExecutionRef, itemKey, type Project } from '../domain/project.js';
import { isClosed, isInFlight, isOpen } from '../domain/step-status.js';
import type { ProjectChange, ProjectState, Transition } from '../domain/transition.js';
import type { ExecutionRequest } from '../engine/workflow-engine.port.js';
import type { OutboxEntry, OutboxSend } from '../store/store.port.js';
import type { ExecutionInput } from '../workflow/task-contract.js';
import { applyTransition, retryOnConflict } from './commit.js';
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

/**
 * Whether the current execution was waiting quietly for signals, so that DynamoDB describes all it waits on: the
 * project is active, something of its stage is still to be decided, every open step and part of the stage has a
 * task token from this execution, and every step still pending has a gate token from it and a gate that stays
 * shut. Nothing else would move it but a signal (a decision, an SLA deeming, a gate released: all sent through the
 * outbox). Anything else (tokens not all stored yet, a gate that should open, a stage ending) is not quiet.
 */
export function executionWaitsQuietly(state: ProjectState): boolean {
  const execution = state.project.execution;
  if (!execution || state.project.status !== 'active') return false;
  let waiting = 0;
  for (const [key, item] of state.items) {
    if (item.stageIndex !== execution.stageIndex || isClosed(item.status)) continue;
    const tokens = state.tokens.get(key);
    if (item.status === 'pending') {
      // a part waits with its joint step's gate
      if (item.partId !== undefined) continue;
      if (tokens?.gate?.execution !== execution.name || gateShouldOpen(state, item.stepId)) return false;
      waiting += 1;
      continue;
    }
    if (!isOpen(item.status)) return false;
    // a joint step's parts hold its tasks
    if (item.kind === 'joint' && item.partId === undefined) continue;
    if (tokens?.task?.execution !== execution.name) return false;
    waiting += 1;
  }
  return waiting > 0;
}

/**
 * Why the current execution of an active project waits on nothing, if it does: the engine says it runs, yet nothing
 * DynamoDB holds would ever move it, so only a renewal does (the new generation replays what DynamoDB holds).
 * Each way a project was found waiting on nothing:
 * - a step of its stage still pending holds no gate token from it: its task or gate never reached DynamoDB (the
 *   handlers gave up, or a run lost them), so the step never opens (every step of a fresh stage pending);
 * - a step still pending waits at a gate that should have opened, and no outbox entry owes it that signal (the
 *   release was lost, or sent to an execution that is gone);
 * - every step of its stage is decided, and no outbox entry owes its tasks their outcome: the stage never finished;
 * - (as {@link executionLooksStuck}) an open step or part holds no task token from it.
 * An outbox entry owing a signal to another execution (gone, or renewed) does not count: nothing waits for it.
 * Said only once the project has been still for `stuckAfterSeconds` (handlers retry for about two minutes, and a
 * stage that just ended is finishing), so an execution at work is never taken for a stuck one.
 */
export function executionWaitsOnNothing(
  state: ProjectState,
  outbox: readonly OutboxEntry[],
  now: Date,
  stuckAfterSeconds: number,
): string | undefined {
  const { project } = state;
  const execution = project.execution;
  if (!execution || project.status !== 'active') return undefined;
  const stage = [...state.items.values()].filter((item) => item.stageIndex === execution.stageIndex);
  const moved = [execution.startedAt, project.updatedAt, ...stage.map((item) => item.updatedAt)]
    .map((at) => new Date(at).getTime())
    .filter((time) => Number.isFinite(time));
  if (now.getTime() - Math.max(...moved) < stuckAfterSeconds * 1000) return undefined;
  // the signals still owed to this execution's tasks and gates (relayed by the scheduled job if need be)
  const ours = new Set<string>();
  for (const tokens of state.tokens.values()) {
    for (const ref of [tokens.task, tokens.gate]) if (ref?.execution === execution.name) ours.add(ref.token);
  }
  const owed = new Set(
    outbox
      .flatMap((entry) => entry.sends)
      .flatMap((send) => (send.type === 'task_success' && ours.has(send.token) ? [send.token] : [])),
  );
  let waiting = 0;
  for (const item of stage) {
    if (isClosed(item.status) || item.blocked) continue;
    const key = itemKey(item);
    const tokens = state.tokens.get(key);
    if (item.status === 'pending') {
      // a part waits with its joint step's gate
      if (item.partId !== undefined) continue;
      const gate = tokens?.gate;
      if (gate?.execution !== execution.name) {
        return `step ${item.stepId} never opened: no task or gate of the execution waits for it`;
      }
      if (gateShouldOpen(state, item.stepId) && !owed.has(gate.token)) {
        return `the gate of step ${item.stepId} should have opened, and no signal is owed to it`;
      }
      waiting += 1;
      continue;
    }
    // a joint step's parts hold its tasks
    if (item.kind === 'joint' && item.partId === undefined) continue;
    if (tokens?.task?.execution !== execution.name) {
      return `${key} is open, and no task of the execution waits for it`;
    }
    waiting += 1;
  }
  if (waiting === 0 && owed.size === 0)
    return 'every step of the stage is decided, but the stage never finished';
  return undefined;
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
