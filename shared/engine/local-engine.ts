import './promise-with-resolvers.js';
import { setImmediate as nextMacrotask } from 'node:timers';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { z } from 'zod';
import { type Chain, chainKey } from '../domain/chain.js';
import {
  type AslDefinition,
  CALLBACK_TASK_RESOURCE,
  chainToAslJson,
  LAMBDA_INVOKE_RESOURCE,
  listParallelStates,
  listTaskStates,
  substituteAsl,
} from '../workflow/asl.js';
import {
  AslSubstitutions,
  type CallbackTaskInput,
  CallbackTaskInputSchema,
  type ExecutionInput,
  type FinishStageInput,
  FinishStageInputSchema,
} from '../workflow/task-contract.js';
import { installLongTimerGuard } from './long-timers.js';
import type { ExecutionRequest, ExecutionStatus, WorkflowEngine } from './workflow-engine.port.js';

// Callback tasks use TimeoutSeconds 99,999,999: without the guard Node would fire that timer after 1 ms.
installLongTimerGuard();

/** The Lambda handlers the state machine calls; locally they are plain functions. */
export type TaskHandlers = {
  callbackTask(input: CallbackTaskInput): Promise<void>;
  finishStage(input: FinishStageInput): Promise<void>;
};

export type LocalExecutionStatus = Exclude<ExecutionStatus, 'NOT_FOUND' | 'TIMED_OUT'>;

export type LocalWorkflowEngineOptions = {
  /** Generated ASL JSON by chain key, as deployed (placeholders are filled with {@link LOCAL_FUNCTION_ARNS}). */
  definitions: Record<string, string>;
  handlers?: TaskHandlers;
  /**
   * Called when an execution ends other than by succeeding (FAILED, e.g. at `StepTaskFailed`). On AWS an
   * EventBridge rule hands the same news to the reconciliation. Default: `console.error`.
   */
  onExecutionFailed?: (
    execution: { name: string; projectId: string; chainKey: string },
    error: unknown,
  ) => void;
  /** Tests: wait this long between retries of a task instead of the definition's backoff. */
  retryDelayMs?: number;
};

/** What the ARN placeholders become locally; the local engine overrides every Task that names them. */
export const LOCAL_FUNCTION_ARNS = {
  [AslSubstitutions.callbackTaskFunctionArn]:
    'arn:aws:lambda:local:000000000000:function:daiban-callback-task',
  [AslSubstitutions.finishStageFunctionArn]: 'arn:aws:lambda:local:000000000000:function:daiban-finish-stage',
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
  execution: string;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
};

type LocalExecution = {
  name: string;
  projectId: string;
  chainKey: string;
  status: LocalExecutionStatus;
  abort: () => void;
};

const CallbackInvocationSchema = z.object({ Payload: CallbackTaskInputSchema });
const FinishInvocationSchema = z.object({ Payload: FinishStageInputSchema });

const namedError = (name: string, message: string): Error => Object.assign(new Error(message), { name });
/** What a stopped execution's tasks end with: never retried (aws-local-stepfunctions reads `isRetryable`). */
const aborted = (): Error =>
  Object.assign(namedError('Daiban.ExecutionAborted', 'the execution was aborted'), { isRetryable: false });

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
 * (`local:<execution>:<stateName>`), registers it as waiting, calls `handlers.callbackTask` with it and
 * waits until {@link sendTaskSuccess}/{@link sendTaskFailure} settles it. A handler that throws fails the task
 * (the ASL retries it with backoff, then catches it as 'failed'). The finish Tasks call `handlers.finishStage`.
 *
 * Executions are named, as on AWS: starting a name that exists (running or ended) does nothing; a renewal is a
 * new name. Executions live in this process only: after a restart every name is unknown (`NOT_FOUND`) and the
 * reconciliation starts them again, the handlers replaying what DynamoDB already holds.
 */
export class LocalWorkflowEngine implements WorkflowEngine {
  readonly #machines = new Map<
    string,
    { machine: StateMachine; overrides: TaskLocalHandlers; retryDelays: Record<string, number> }
  >();
  readonly #retryDelayMs: number | undefined;
  readonly #executions = new Map<string, LocalExecution>();
  readonly #tokens = new Map<string, WaitingToken>();
  readonly #onExecutionFailed: NonNullable<LocalWorkflowEngineOptions['onExecutionFailed']>;
  #handlers: TaskHandlers | undefined;
  #stopped = false;
  #inFlight = 0;
  #activity = 0;
  readonly #stateListeners: Array<(execution: string, stateName: string) => void> = [];

  constructor(options: LocalWorkflowEngineOptions) {
    this.#handlers = options.handlers;
    this.#retryDelayMs = options.retryDelayMs;
    this.#onExecutionFailed =
      options.onExecutionFailed ??
      ((execution, error) => console.error(`[local-engine] execution ${execution.name} failed`, error));
    for (const [key, json] of Object.entries(options.definitions)) {
      this.#machines.set(key, this.#load(key, json));
    }
  }

  /** Binds the task handlers (they need the engine to signal tokens, so they are made after it). */
  bindHandlers(handlers: TaskHandlers): void {
    this.#handlers = handlers;
  }

  async deployChain(chain: Chain): Promise<void> {
    const key = chainKey(chain);
    if (!this.#machines.has(key)) this.#machines.set(key, this.#load(key, chainToAslJson(chain)));
  }

  async hasChain(key: string): Promise<boolean> {
    return this.#machines.has(key);
  }

  async startExecution(request: ExecutionRequest & { input: ExecutionInput }): Promise<void> {
    if (this.#stopped) throw new Error('the local workflow engine is stopped');
    const { name, chainKey: key, input } = request;
    const loaded = this.#machines.get(key);
    if (!loaded) {
      throw new Error(
        `no state machine for chain "${key}" (known: ${[...this.#machines.keys()].join(', ') || 'none'})`,
      );
    }
    if (!this.#handlers) throw new Error('bind the task handlers before starting executions');
    if (this.#executions.has(name)) return;
    const run = loaded.machine.run(input, {
      overrides: {
        taskResourceLocalHandlers: loaded.overrides,
        ...(this.#retryDelayMs !== undefined ? { retryIntervalOverrides: loaded.retryDelays } : {}),
      },
      noThrowOnAbort: true,
      context: { Task: { Token: CONTEXT_TOKEN_PLACEHOLDER }, Execution: { Name: name } },
    });
    const execution: LocalExecution = {
      name,
      projectId: input.projectId,
      chainKey: key,
      status: 'RUNNING',
      abort: run.abort,
    };
    this.#executions.set(name, execution);
    if (this.#stateListeners.length > 0) void this.#forwardStatesEntered(name, run.eventLogs);
    this.#activity++;
    run.result.then(
      () => {
        if (execution.status === 'RUNNING') execution.status = 'SUCCEEDED';
        this.#forget(execution);
        this.#activity++;
      },
      (error: unknown) => {
        this.#activity++;
        if (execution.status !== 'RUNNING') return;
        execution.status = 'FAILED';
        this.#forget(execution);
        this.#onExecutionFailed(execution, error);
      },
    );
  }

  async stopExecution({ name }: ExecutionRequest): Promise<void> {
    const execution = this.#executions.get(name);
    if (execution?.status !== 'RUNNING') return;
    this.#abort(execution);
    this.#releaseTokens((waiting) => waiting.execution === name);
  }

  async describeExecution({ name }: ExecutionRequest): Promise<ExecutionStatus> {
    return this.#executions.get(name)?.status ?? 'NOT_FOUND';
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

  /** Aborts every running execution, forgets all tokens and refuses new work. */
  stop(): void {
    this.#stopped = true;
    for (const execution of this.#executions.values()) {
      if (execution.status === 'RUNNING') this.#abort(execution);
    }
    this.#releaseTokens(() => true);
  }

  /** Whether the engine takes work (for `/health`). */
  get running(): boolean {
    return !this.#stopped;
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
  onStateEntered(listener: (execution: string, stateName: string) => void): void {
    this.#stateListeners.push(listener);
  }

  async #forwardStatesEntered(
    execution: string,
    eventLogs: ReturnType<StateMachine['run']>['eventLogs'],
  ): Promise<void> {
    for await (const event of eventLogs) {
      if (event.type !== 'StateEntered') continue;
      for (const listener of this.#stateListeners) listener(execution, event.state.name);
    }
  }

  /** The executions running now (diagnostics). */
  runningExecutions(): string[] {
    return [...this.#executions.values()].filter((e) => e.status === 'RUNNING').map((e) => e.name);
  }

  /** How many callback tasks are waiting for a signal (diagnostics). */
  waitingTokens(): number {
    return this.#tokens.size;
  }

  /** Ended executions are kept by name (a name is never reused), but nothing of their run. */
  #forget(execution: LocalExecution): void {
    execution.abort = () => {};
  }

  #load(
    key: string,
    json: string,
  ): { machine: StateMachine; overrides: TaskLocalHandlers; retryDelays: Record<string, number> } {
    const definition = JSON.parse(substituteAsl(json, LOCAL_FUNCTION_ARNS)) as AslDefinition;
    for (const parallel of listParallelStates(definition)) {
      if (parallel.branches > LOCAL_PARALLEL_BRANCH_LIMIT) {
        throw new Error(
          `chain ${key}: Parallel "${parallel.stateName}" has ${parallel.branches} branches; the local engine runs at most ${LOCAL_PARALLEL_BRANCH_LIMIT} at once and a gated branch could wait forever`,
        );
      }
    }
    const overrides: TaskLocalHandlers = {};
    const retryDelays: Record<string, number> = {};
    for (const task of listTaskStates(definition)) {
      retryDelays[task.stateName] = this.#retryDelayMs ?? 0;
      if (
        task.resource === CALLBACK_TASK_RESOURCE &&
        task.functionName === LOCAL_FUNCTION_ARNS.CallbackTaskFunctionArn
      ) {
        overrides[task.stateName] = this.#callbackOverride(task.stateName);
      } else if (
        task.resource === LAMBDA_INVOKE_RESOURCE &&
        task.functionName === LOCAL_FUNCTION_ARNS.FinishStageFunctionArn
      ) {
        overrides[task.stateName] = this.#finishOverride();
      } else {
        // Without an override aws-local-stepfunctions would invoke a real Lambda function.
        throw new Error(`chain ${key}: Task "${task.stateName}" has no local handler (${task.resource})`);
      }
    }
    // The constructor validates the definition with asl-validator.
    const machine = new StateMachine(definition as unknown as StateMachineDefinition);
    return { machine, overrides, retryDelays };
  }

  #callbackOverride(stateName: string): TaskLocalHandler {
    return async (invocation) => {
      const handlers = this.#working();
      const { Payload } = CallbackInvocationSchema.parse(invocation);
      // A task retried after its execution was stopped must not run again.
      if (this.#executions.get(Payload.execution)?.status !== 'RUNNING') throw aborted();
      // Deterministic: the same execution, started again after a restart, presents the same token for the same
      // state, so its handlers find it already stored and write nothing (a retried task gets it again too).
      const taskToken = `local:${Payload.execution}:${stateName}`;
      const signalled = deferred<unknown>();
      // Settled before the override returns it (replay): don't report that as an unhandled rejection.
      signalled.promise.catch(() => {});
      // Registered before the handler runs: it may signal the token at once when the step is already decided.
      this.#tokens.set(taskToken, {
        execution: Payload.execution,
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
      await this.#track(() => handlers.finishStage(Payload));
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
      waiting.reject(aborted());
    }
    this.#activity++;
  }
}
