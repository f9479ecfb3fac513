import { z } from 'zod';
import { CallbackTaskInputSchema, FinishStageInputSchema } from '../workflow/task-contract.js';
import { aborted, deferred, type TaskHandlers } from './local-execution.js';
import type { TaskLocalHandler } from './local-machines.js';
import type { TaskTokens } from './task-tokens.js';

const CallbackInvocationSchema = z.object({ Payload: CallbackTaskInputSchema });
const FinishInvocationSchema = z.object({ Payload: FinishStageInputSchema });

/** What the local Task handlers need of the engine that runs them. */
export interface LocalTaskHost {
  /** the task handlers (throws when the engine takes no work, or none are bound) */
  working(): TaskHandlers;
  isRunning(execution: string): boolean;
  readonly tokens: TaskTokens;
  /** a replaying execution presented a token again */
  presented(execution: string, taskToken: string): void;
  /** runs a handler call of an execution, counted as in flight */
  track(execution: string, call: () => Promise<void>): Promise<void>;
  /** a handler of the execution failed (its retry must run) */
  handlerFailed(execution: string): void;
}

/**
 * A callback Task (`lambda:invoke.waitForTaskToken`) run locally: mints a token (`local:<execution>:<stateName>`),
 * registers it as waiting, calls `handlers.callbackTask` with it and waits until the token is signalled. A handler
 * that throws fails the task (the ASL retries it with backoff, then catches it as 'failed').
 */
export function callbackTask(stateName: string, host: LocalTaskHost): TaskLocalHandler {
  return async (invocation) => {
    const handlers = host.working();
    const { Payload } = CallbackInvocationSchema.parse(invocation);
    // A task retried after its execution was stopped must not run again.
    if (!host.isRunning(Payload.execution)) throw aborted();
    // Deterministic: the same execution, started again after a restart, presents the same token for the same
    // state, so its handlers find it already stored and write nothing (a retried task gets it again too).
    const taskToken = `local:${Payload.execution}:${stateName}`;
    const signalled = deferred<unknown>();
    // Settled before the override returns it (replay): don't report that as an unhandled rejection.
    signalled.promise.catch(() => {});
    // Registered before the handler runs: it may signal the token at once when the step is already decided.
    host.tokens.wait(taskToken, {
      execution: Payload.execution,
      resolve: signalled.resolve,
      reject: signalled.reject,
    });
    host.presented(Payload.execution, taskToken);
    host.tokens.presented(taskToken);
    await host.track(Payload.execution, async () => {
      try {
        await handlers.callbackTask({ ...Payload, taskToken });
      } catch (error) {
        host.tokens.forget(taskToken);
        host.handlerFailed(Payload.execution);
        throw error;
      }
    });
    return (await signalled.promise) as Awaited<ReturnType<TaskLocalHandler>>;
  };
}

/** A finish Task run locally: calls `handlers.finishStage`. */
export function finishStageTask(host: LocalTaskHost): TaskLocalHandler {
  return async (invocation) => {
    const handlers = host.working();
    const { Payload } = FinishInvocationSchema.parse(invocation);
    await host.track(Payload.execution, () => handlers.finishStage(Payload));
    return {};
  };
}
