import './promise-with-resolvers.js';
import { setImmediate as nextMacrotask } from 'node:timers';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { ulid } from 'ulid';
import { z } from 'zod';
import {
  type AslDefinition,
  CALLBACK_TASK_RESOURCE,
  LAMBDA_INVOKE_RESOURCE,
  listParallelStates,
  listTaskStates,
  substituteAsl,
} from '../workflow/asl.js';
import {
  AslSubstitutions,
  type CallbackTaskInput,
  CallbackTaskInputSchema,
  type FinishProjectInput,
  FinishProjectInputSchema,
} from '../workflow/task-contract.js';
import { installLongTimerGuard } from './long-timers.js';
import type { WorkflowEngine } from './workflow-engine.port.js';

// Callback tasks use TimeoutSeconds 99,999,999: without the guard Node would fire that timer after 1 ms.
installLongTimerGuard();

/** The Lambda handlers the state machine calls; locally they are plain functions. */
export type TaskHandlers = {
  callbackTask(input: CallbackTaskInput): Promise<void>;
  finishProject(input: FinishProjectInput): Promise<void>;
};

export type LocalExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export type LocalWorkflowEngineOptions = {
  /** Generated ASL JSON by chain key, as deployed (placeholders are filled with {@link LOCAL_FUNCTION_ARNS}). */
  definitions: Record<string, string>;
  handlers?: TaskHandlers;
  /** Called when an execution ends FAILED (e.g. at `StepTaskFailed`). Default: `console.error`. */
  onExecutionError?: (projectId: string, error: unknown) => void;
};

/** What the ARN placeholders become locally; the local engine overrides every Task that names them. */
export const LOCAL_FUNCTION_ARNS = {
  [AslSubstitutions.callbackTaskFunctionArn]:
    'arn:aws:lambda:local:000000000000:function:daiban-callback-task',
  [AslSubstitutions.finishProjectFunctionArn]:
    'arn:aws:lambda:local:000000000000:function:daiban-finish-project',
} as const satisfies Record<string, string>;

/** aws-local-stepfunctions fixes how many branches of a Parallel run at once. */
export const LOCAL_PARALLEL_BRANCH_LIMIT = 40;

/**
 * aws-local-stepfunctions has no `$$.Task.Token`; a `$$` path that points to nothing fails the execution with an
 * uncatchable `States.Runtime`. Every run gets this placeholder in its context, and each callback handler
 * replaces it with a minted token.
 */
const CONTEXT_TOKEN_PLACEHOLDER = 'local-placeholder';

type TaskLocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type TaskLocalHandler = TaskLocalHandlers[string];

type WaitingToken = {
  projectId: string;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
};

type LocalExecution = {
  projectId: string;
  chainKey: string;
  status: LocalExecutionStatus;
  abort: () => void;
};

const CallbackInvocationSchema = z.object({ Payload: CallbackTaskInputSchema });
const FinishInvocationSchema = z.object({ Payload: FinishProjectInputSchema });

const namedError = (name: string, message: string): Error => Object.assign(new Error(message), { name });

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Runs the generated state machines in-process with aws-local-stepfunctions.
 *
 * Every callback Task (`lambda:invoke.waitForTaskToken`) is overridden: the override mints a token
 * (`local:<projectId>:<stateName>:<ulid>`), registers it as waiting, calls `handlers.callbackTask` with it and
 * waits until {@link sendTaskSuccess}/{@link sendTaskFailure} settles it. A handler that throws fails the task
 * (the ASL catches it as 'failed'). The finish Tasks are overridden to call `handlers.finishProject`.
 *
 * Execution names: one execution per project id. `startExecution` is a no-op while an execution of the project
 * exists, running or ended (AWS keeps a closed execution's name for 90 days and the AWS adapter treats
 * `ExecutionAlreadyExists` as success); only after it was aborted (`stopExecution`) does a start begin a new one.
 */
export class LocalWorkflowEngine implements WorkflowEngine {
  readonly #machines = new Map<string, { machine: StateMachine; overrides: TaskLocalHandlers }>();
  readonly #executions = new Map<string, LocalExecution>();
  readonly #tokens = new Map<string, WaitingToken>();
  readonly #onExecutionError: (projectId: string, error: unknown) => void;
  #handlers: TaskHandlers | undefined;
  #stopped = false;
  #inFlight = 0;
  #activity = 0;
  readonly #stateListeners: Array<(projectId: string, stateName: string) => void> = [];

  constructor(options: LocalWorkflowEngineOptions) {
    this.#handlers = options.handlers;
    this.#onExecutionError =
      options.onExecutionError ??
      ((projectId, error) => console.error(`[local-engine] execution of project ${projectId} failed`, error));
    for (const [key, json] of Object.entries(options.definitions)) {
      this.#machines.set(key, this.#load(key, json));
    }
  }

  /** Binds the task handlers (they need the engine to signal tokens, so they are made after it). */
  bindHandlers(handlers: TaskHandlers): void {
    this.#handlers = handlers;
  }

  async startExecution({ projectId, chainKey }: { projectId: string; chainKey: string }): Promise<void> {
    if (this.#stopped) throw new Error('the local workflow engine is stopped');
    const loaded = this.#machines.get(chainKey);
    if (!loaded) {
      throw new Error(
        `no state machine for chain "${chainKey}" (known: ${[...this.#machines.keys()].join(', ') || 'none'})`,
      );
    }
    if (!this.#handlers) throw new Error('bind the task handlers before starting executions');
    const existing = this.#executions.get(projectId);
    if (existing && existing.status !== 'ABORTED') {
      if (existing.chainKey !== chainKey) {
        throw new Error(
          `project ${projectId} already has an execution of chain ${existing.chainKey}, not ${chainKey}`,
        );
      }
      return;
    }
    const run = loaded.machine.run(
      { projectId },
      {
        overrides: { taskResourceLocalHandlers: loaded.overrides },
        noThrowOnAbort: true,
        context: { Task: { Token: CONTEXT_TOKEN_PLACEHOLDER } },
      },
    );
    const execution: LocalExecution = { projectId, chainKey, status: 'RUNNING', abort: run.abort };
    this.#executions.set(projectId, execution);
    if (this.#stateListeners.length > 0) void this.#forwardStatesEntered(projectId, run.eventLogs);
    this.#activity++;
    run.result.then(
      () => {
        if (execution.status === 'RUNNING') execution.status = 'SUCCEEDED';
        this.#activity++;
      },
      (error: unknown) => {
        this.#activity++;
        if (execution.status !== 'RUNNING') return;
        execution.status = 'FAILED';
        this.#onExecutionError(projectId, error);
      },
    );
  }

  async sendTaskSuccess(taskToken: string, output: object): Promise<boolean> {
    const waiting = this.#take(taskToken);
    if (!waiting) return false;
    waiting.resolve(JSON.parse(JSON.stringify(output)));
    return true;
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean> {
    const waiting = this.#take(taskToken);
    if (!waiting) return false;
    waiting.reject(namedError(error, cause));
    return true;
  }

  /** Aborts one running execution (like StopExecution); a later start of the project begins a new one. */
  stopExecution(projectId: string): boolean {
    const execution = this.#executions.get(projectId);
    if (execution?.status !== 'RUNNING') return false;
    this.#abort(execution);
    this.#releaseTokens((waiting) => waiting.projectId === projectId);
    return true;
  }

  /** Aborts every running execution, forgets all tokens and refuses new work. */
  stop(): void {
    this.#stopped = true;
    for (const execution of this.#executions.values()) {
      if (execution.status === 'RUNNING') this.#abort(execution);
    }
    this.#releaseTokens(() => true);
  }

  /**
   * Resolves once no handler call is in flight and the state machines have had time to advance: the engine
   * must be quiet for a few consecutive macrotask turns. Hangs while a handler hangs.
   */
  async settled(): Promise<void> {
    let quietTurns = 0;
    let seen = this.#activity;
    while (quietTurns < 3) {
      await new Promise<void>((resolve) => nextMacrotask(resolve));
      if (this.#inFlight === 0 && this.#activity === seen) {
        quietTurns++;
      } else {
        quietTurns = 0;
        seen = this.#activity;
      }
    }
  }

  /**
   * Diagnostics (e.g. the cost model's state-transition count): `listener` hears every state entered, nested
   * branch states included, by executions started after this call.
   */
  onStateEntered(listener: (projectId: string, stateName: string) => void): void {
    this.#stateListeners.push(listener);
  }

  async #forwardStatesEntered(
    projectId: string,
    eventLogs: ReturnType<StateMachine['run']>['eventLogs'],
  ): Promise<void> {
    for await (const event of eventLogs) {
      if (event.type !== 'StateEntered') continue;
      for (const listener of this.#stateListeners) listener(projectId, event.state.name);
    }
  }

  status(projectId: string): LocalExecutionStatus | undefined {
    return this.#executions.get(projectId)?.status;
  }

  /** How many callback tasks are waiting for a signal (diagnostics). */
  waitingTokens(): number {
    return this.#tokens.size;
  }

  #load(key: string, json: string): { machine: StateMachine; overrides: TaskLocalHandlers } {
    const definition = JSON.parse(substituteAsl(json, LOCAL_FUNCTION_ARNS)) as AslDefinition;
    for (const parallel of listParallelStates(definition)) {
      if (parallel.branches > LOCAL_PARALLEL_BRANCH_LIMIT) {
        throw new Error(
          `chain ${key}: Parallel "${parallel.stateName}" has ${parallel.branches} branches; the local engine runs at most ${LOCAL_PARALLEL_BRANCH_LIMIT} at once and a gated branch could wait forever`,
        );
      }
    }
    const overrides: TaskLocalHandlers = {};
    for (const task of listTaskStates(definition)) {
      if (
        task.resource === CALLBACK_TASK_RESOURCE &&
        task.functionName === LOCAL_FUNCTION_ARNS.CallbackTaskFunctionArn
      ) {
        overrides[task.stateName] = this.#callbackOverride(task.stateName);
      } else if (
        task.resource === LAMBDA_INVOKE_RESOURCE &&
        task.functionName === LOCAL_FUNCTION_ARNS.FinishProjectFunctionArn
      ) {
        overrides[task.stateName] = this.#finishOverride();
      } else {
        // Without an override aws-local-stepfunctions would invoke a real Lambda function.
        throw new Error(`chain ${key}: Task "${task.stateName}" has no local handler (${task.resource})`);
      }
    }
    // The constructor validates the definition with asl-validator.
    const machine = new StateMachine(definition as unknown as StateMachineDefinition);
    return { machine, overrides };
  }

  #callbackOverride(stateName: string): TaskLocalHandler {
    return async (invocation) => {
      const handlers = this.#working();
      const { Payload } = CallbackInvocationSchema.parse(invocation);
      const taskToken = `local:${Payload.projectId}:${stateName}:${ulid()}`;
      const signalled = deferred<unknown>();
      // Settled before the override returns it (replay): don't report that as an unhandled rejection.
      signalled.promise.catch(() => {});
      // Registered before the handler runs: it may signal the token at once when the step is already decided.
      this.#tokens.set(taskToken, {
        projectId: Payload.projectId,
        resolve: signalled.resolve,
        reject: signalled.reject,
      });
      await this.#track(async () => {
        try {
          await handlers.callbackTask({ ...Payload, taskToken });
        } catch (error) {
          this.#tokens.delete(taskToken);
          throw error;
        }
      });
      return (await signalled.promise) as Awaited<ReturnType<TaskLocalHandler>>;
    };
  }

  #finishOverride(): TaskLocalHandler {
    return async (invocation) => {
      const handlers = this.#working();
      const { Payload } = FinishInvocationSchema.parse(invocation);
      await this.#track(() => handlers.finishProject(Payload));
      return {};
    };
  }

  #working(): TaskHandlers {
    if (this.#stopped) throw namedError('Daiban.EngineStopped', 'the local workflow engine is stopped');
    if (!this.#handlers) throw new Error('no task handlers bound to the local workflow engine');
    return this.#handlers;
  }

  async #track(call: () => Promise<void>): Promise<void> {
    this.#inFlight++;
    this.#activity++;
    try {
      await call();
    } finally {
      this.#inFlight--;
      this.#activity++;
    }
  }

  #take(taskToken: string): WaitingToken | undefined {
    const waiting = this.#tokens.get(taskToken);
    if (!waiting) return undefined;
    this.#tokens.delete(taskToken);
    this.#activity++;
    return waiting;
  }

  #abort(execution: LocalExecution): void {
    execution.status = 'ABORTED';
    execution.abort();
    this.#activity++;
  }

  /**
   * Forgets waiting tokens. Their tasks are failed so the library clears its per-task timers (an aborted
   * execution stops at the next state boundary, so nothing further runs).
   */
  #releaseTokens(match: (waiting: WaitingToken) => boolean): void {
    for (const [token, waiting] of this.#tokens) {
      if (!match(waiting)) continue;
      this.#tokens.delete(token);
      waiting.reject(namedError('Daiban.ExecutionAborted', 'the execution was aborted'));
    }
    this.#activity++;
  }
}
