import { gateShouldOpen } from './gates.js';
import { itemKey } from './project.js';
import { isClosed, isOpen } from './step-status.js';
import type { ProjectState } from './transition.js';

/**
 * Construction period (DOMAIN.md): nothing may expire, so a project's execution that has lost its way is renewed
 * (`execution-renewal.ts`). These say, from what DynamoDB holds, whether the current execution has: stuck, waiting
 * on nothing, or waiting quietly (so that a restart may park it). The reconciliation loads, asks, and renews.
 */

/** An outbox entry as far as these checks read it: the signals it still owes (a task's token, once sent). */
export type OwedSignals = { sends: readonly { type: string; token?: string }[] };

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
  outbox: readonly OwedSignals[],
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
      .flatMap((send) =>
        send.type === 'task_success' && send.token && ours.has(send.token) ? [send.token] : [],
      ),
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
