import './promise-with-resolvers.js';
import { AsyncLocalStorage } from 'node:async_hooks';
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
  /**
   * How many executions may be resident (run in memory) at once; beyond it the least recently active idle one
   * (no handler in flight, only waiting on tokens) is parked again. Default: no limit.
   */
  maxResident?: number;
  /** How long an execution must have been still before it may be parked to make room. Default 1000 ms. */
  idleMs?: number;
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
  input: ExecutionInput;
  status: LocalExecutionStatus;
  abort: () => void;
  /** handler calls of this execution in flight (queued for a turn included) */
  inFlight: number;
  /** bumped at every move of this execution (handler call begun or ended, token signalled) */
  activity: number;
  /** when it last moved (`performance.now()`): the least recently active idle execution is parked first */
  lastActiveAt: number;
  /** resolves once a resumed execution has replayed what DynamoDB holds (it is quiet, or has ended) */
  replayed?: Promise<void>;
  /** the tokens it has presented while replaying (a signal for one of them waits no longer) */
  presented?: Set<string>;
  /**
   * Tokens its replaying handlers signalled themselves (what DynamoDB holds) before the signal that woke it, or that
   * came with it, arrived: that signal, the first from outside, is answered as delivered (the task completed once,
   * with the same outcome, as the signal alone would complete it on AWS). Any further one is refused.
   */
  replayTaken?: Set<string>;
  /** a handler of this run has failed: its retry must run, so the run is never parked to make room */
  handlerFailed?: boolean;
};

/** An execution known by name and input that waits without running here (see {@link LocalWorkflowEngine.park}). */
type ParkedExecution = { name: string; chainKey: string; input: ExecutionInput };

const CallbackInvocationSchema = z.object({ Payload: CallbackTaskInputSchema });
const FinishInvocationSchema = z.object({ Payload: FinishStageInputSchema });

/** What a signal completes when a replaying handler completed its task already (see `replayTaken`). */
const DELIVERED_BY_REPLAY: WaitingToken = { execution: '', resolve: () => {}, reject: () => {} };

/** The execution whose handler is running (its own signals never wait for its replay, which waits for them). */
const handlerOf = new AsyncLocalStorage<string>();

/** The execution a local token belongs to (`local:<execution>:<stateName>`). */
function executionOfToken(taskToken: string): string | undefined {
  const match = /^local:([^:]+):/.exec(taskToken);
  return match?.[1];
}

const namedError = (name: string, message: string): Error => Object.assign(new Error(message), { name });
/** What a stopped execution's tasks end with: never retried (aws-local-stepfunctions reads `isRetryable`). */
const aborted = (): Error =>
  Object.assign(namedError('Daiban.ExecutionAborted', 'the execution was aborted'), { isRetryable: false });

/**
 * Resolves once nothing is in flight and nothing has moved for three consecutive macrotask turns (the state machines
 * have had time to advance), or as soon as `over()` says there is nothing more to wait for.
 */
async function untilQuiet(
  probe: () => { inFlight: number; activity: number },
  over: () => boolean = () => false,
): Promise<void> {
  let quietTurns = 0;
  let seen = probe().activity;
  while (quietTurns < 3 && !over()) {
    await new Promise<void>((resolve) => nextMacrotask(resolve));
    const { inFlight, activity } = probe();
    if (inFlight === 0 && activity === seen) {
      quietTurns++;
    } else {
      quietTurns = 0;
      seen = activity;
    }
  }
}

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
 *
 * An execution that only waits for signals need not be in memory (each resident one costs ~200 KB): it can be
 * *parked* ({@link park}), known by name and input and `RUNNING` to {@link describeExecution}, as a waiting
 * execution costs nothing on AWS. A signal for one of its tokens makes it resident again: it runs from its input,
 * its handlers replay what DynamoDB holds and present the same deterministic tokens, and the signal is delivered
 * once the token waits again (false when the replay no longer waits on it, as for any stale token). With
 * `maxResident`, idle executions beyond the limit are parked again, least recently active first.
 */
export class LocalWorkflowEngine implements WorkflowEngine {
  readonly #machines = new Map<
    string,
    { machine: StateMachine; overrides: TaskLocalHandlers; retryDelays: Record<string, number> }
  >();
  readonly #retryDelayMs: number | undefined;
  readonly #executions = new Map<string, LocalExecution>();
  readonly #parked = new Map<string, ParkedExecution>();
  readonly #tokens = new Map<string, WaitingToken>();
  /** signals waiting for a resumed execution to present their token again */
  readonly #tokenWaiters = new Map<string, Array<(waiting: WaitingToken | undefined) => void>>();
  readonly #maxResident: number;
  readonly #idleMs: number;
  /** resident executions that are RUNNING, in order of last activity (a Map keeps insertion order) */
  readonly #resident = new Map<string, LocalExecution>();
  readonly #onExecutionFailed: NonNullable<LocalWorkflowEngineOptions['onExecutionFailed']>;
  #handlers: TaskHandlers | undefined;
  #stopped = false;
  #inFlight = 0;
  #activity = 0;
  readonly #stateListeners: Array<(execution: string, stateName: string) => void> = [];

  constructor(options: LocalWorkflowEngineOptions) {
    this.#handlers = options.handlers;
    this.#retryDelayMs = options.retryDelayMs;
    this.#maxResident = options.maxResident ?? Number.POSITIVE_INFINITY;
    this.#idleMs = options.idleMs ?? 1000;
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
    if (this.#executions.has(name) || this.#parked.has(name)) return;
    this.#run({ name, chainKey: key, input }, loaded);
  }

  /**
   * Knows an execution without running it: `RUNNING` to {@link describeExecution}, resident again when one of its
   * tokens is signalled. For an execution that waits quietly for signals, its tokens stored in DynamoDB (a restart
   * parks those instead of starting them). Does nothing for a name that exists, as {@link startExecution}.
   */
  park(request: ExecutionRequest & { input: ExecutionInput }): void {
    if (this.#stopped) throw new Error('the local workflow engine is stopped');
    if (!this.#machines.has(request.chainKey))
      throw new Error(`no state machine for chain "${request.chainKey}"`);
    if (this.#executions.has(request.name) || this.#parked.has(request.name)) return;
    this.#parked.set(request.name, { name: request.name, chainKey: request.chainKey, input: request.input });
  }

  #run(
    { name, chainKey: key, input }: ParkedExecution,
    loaded: { machine: StateMachine; overrides: TaskLocalHandlers; retryDelays: Record<string, number> },
  ): LocalExecution {
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
      input,
      status: 'RUNNING',
      abort: run.abort,
      inFlight: 0,
      activity: 0,
      lastActiveAt: performance.now(),
    };
    this.#executions.set(name, execution);
    this.#resident.set(name, execution);
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
    this.#parkIdleBeyondLimit();
    return execution;
  }

  async stopExecution({ name }: ExecutionRequest): Promise<void> {
    const parked = this.#parked.get(name);
    if (parked) {
      // Never run: it ends where it waited.
      this.#parked.delete(name);
      this.#executions.set(name, {
        name,
        projectId: parked.input.projectId,
        chainKey: parked.chainKey,
        input: parked.input,
        status: 'ABORTED',
        abort: () => {},
        inFlight: 0,
        activity: 0,
        lastActiveAt: performance.now(),
      });
      this.#activity++;
      return;
    }
    const execution = this.#executions.get(name);
    if (execution?.status !== 'RUNNING') return;
    this.#abort(execution);
    this.#releaseTokens((waiting) => waiting.execution === name);
  }

  async describeExecution({ name }: ExecutionRequest): Promise<ExecutionStatus> {
    return this.#executions.get(name)?.status ?? (this.#parked.has(name) ? 'RUNNING' : 'NOT_FOUND');
  }

  async sendTaskSuccess(taskToken: string, output: object): Promise<boolean> {
    const waiting = this.#takeNow(taskToken) ?? (await this.#takeAfterReplay(taskToken));
    if (!waiting) return false;
    waiting.resolve(JSON.parse(JSON.stringify(output)));
    return true;
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean> {
    const waiting = this.#takeNow(taskToken) ?? (await this.#takeAfterReplay(taskToken));
    if (!waiting) return false;
    waiting.reject(namedError(error, cause));
    return true;
  }

  /** Aborts every running execution, forgets all tokens and parked executions, and refuses new work. */
  stop(): void {
    this.#stopped = true;
    this.#parked.clear();
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
    await untilQuiet(() => ({ inFlight: this.#inFlight, activity: this.#activity }));
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

  /** How many executions are resident and how many parked (diagnostics). */
  counts(): { resident: number; parked: number } {
    return { resident: this.#resident.size, parked: this.#parked.size };
  }

  /** Ended executions are kept by name (a name is never reused), but nothing of their run. */
  #forget(execution: LocalExecution): void {
    execution.abort = () => {};
    if (this.#resident.get(execution.name) === execution) this.#resident.delete(execution.name);
  }

  /**
   * The waiting task of a token that is not waiting now, once its execution has replayed: a parked execution is
   * made resident first (once, however many signals arrive together). Undefined when the replay no longer waits on
   * the token (the execution ended, or waits quietly elsewhere), or the execution is not being resumed.
   */
  async #takeAfterReplay(taskToken: string): Promise<WaitingToken | undefined> {
    const name = executionOfToken(taskToken);
    if (name === undefined) return undefined;
    const parked = this.#parked.get(name);
    if (parked && !this.#stopped) this.#resume(parked);
    const execution = this.#executions.get(name);
    if (!execution?.replayed || execution.status !== 'RUNNING') return undefined;
    // A handler of the replay signalling (what DynamoDB holds, or what its change owes) must not wait for the
    // replay, which waits for it; a token presented already was taken when it was.
    if (handlerOf.getStore() === name) return undefined;
    if (execution.replayTaken?.delete(taskToken)) return DELIVERED_BY_REPLAY;
    if (execution.presented?.has(taskToken)) return undefined;
    const presented = new Promise<WaitingToken | undefined>((resolve) => {
      const waiters = this.#tokenWaiters.get(taskToken) ?? [];
      waiters.push(resolve);
      this.#tokenWaiters.set(taskToken, waiters);
    });
    const replayed = execution.replayed.then(() => undefined);
    const taken = await Promise.race([presented, replayed]);
    if (taken) return taken;
    // The replay is over without presenting the token: it no longer waits on it.
    this.#tokenWaiters.delete(taskToken);
    return this.#take(taskToken);
  }

  #resume(parked: ParkedExecution): void {
    const loaded = this.#machines.get(parked.chainKey);
    if (!loaded || !this.#handlers) return;
    this.#parked.delete(parked.name);
    const execution = this.#run(parked, loaded);
    execution.presented = new Set();
    execution.replayTaken = new Set();
    execution.replayed = this.#quiet(execution);
  }

  /**
   * Resolves once the execution has ended, or no handler of it is in flight and it has not moved for a few
   * consecutive macrotask turns (as {@link settled}, for one execution).
   */
  async #quiet(execution: LocalExecution): Promise<void> {
    await untilQuiet(
      () => ({ inFlight: execution.inFlight, activity: execution.activity }),
      () => execution.status !== 'RUNNING' || this.#stopped,
    );
    execution.replayed = undefined;
    execution.presented = undefined;
    execution.replayTaken = undefined;
  }

  /**
   * The token waits again: the first signal waiting for it takes it at once, before the handler replaying the task
   * can signal what DynamoDB holds (the same outcome: the signal was sent once it was stored), so the signal is
   * answered as delivered. Any other signal for the same token finds it taken.
   */
  #presented(taskToken: string): void {
    const waiters = this.#tokenWaiters.get(taskToken);
    if (!waiters) return;
    this.#tokenWaiters.delete(taskToken);
    const [first, ...others] = waiters;
    first?.(this.#take(taskToken));
    for (const wake of others) wake(undefined);
  }

  #moved(name: string): void {
    const execution = this.#resident.get(name);
    if (!execution) return;
    execution.activity++;
    execution.lastActiveAt = performance.now();
    // most recently active last
    this.#resident.delete(name);
    this.#resident.set(name, execution);
  }

  /**
   * Parks idle executions, least recently active first, while more than `maxResident` are resident. Idle: no handler
   * of it in flight, waiting on at least one token, not replaying, and still for a second (between two states the
   * library moves in microseconds; an execution about to run `finishStage` waits on no token and is never idle).
   * A run whose handler failed once stays resident: the retry may be what opens a step, and no signal would come.
   */
  #parkIdleBeyondLimit(): void {
    let excess = this.#resident.size - this.#maxResident;
    if (excess <= 0) return;
    const stillSince = performance.now() - this.#idleMs;
    const waiting = new Set<string>();
    for (const token of this.#tokens.values()) waiting.add(token.execution);
    for (const execution of this.#resident.values()) {
      if (excess <= 0 || execution.lastActiveAt > stillSince) break;
      if (execution.status !== 'RUNNING' || execution.inFlight > 0 || execution.replayed) continue;
      if (execution.handlerFailed) continue;
      if (!waiting.has(execution.name)) continue;
      this.#evict(execution);
      excess--;
    }
  }

  /** Back to parked: its run is aborted quietly and its tokens released (DynamoDB keeps them). */
  #evict(execution: LocalExecution): void {
    this.#resident.delete(execution.name);
    this.#executions.delete(execution.name);
    // detached: what its aborted run still reports changes nothing
    execution.status = 'ABORTED';
    execution.abort();
    this.#releaseTokens((waiting) => waiting.execution === execution.name);
    this.#parked.set(execution.name, {
      name: execution.name,
      chainKey: execution.chainKey,
      input: execution.input,
    });
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
      this.#executions.get(Payload.execution)?.presented?.add(taskToken);
      this.#presented(taskToken);
      await this.#track(Payload.execution, async () => {
        try {
          await handlers.callbackTask({ ...Payload, taskToken });
        } catch (error) {
          this.#tokens.delete(taskToken);
          const execution = this.#resident.get(Payload.execution);
          if (execution) execution.handlerFailed = true;
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
      await this.#track(Payload.execution, () => handlers.finishStage(Payload));
      return {};
    };
  }

  #working(): TaskHandlers {
    if (this.#stopped) throw namedError('Daiban.EngineStopped', 'the local workflow engine is stopped');
    if (!this.#handlers) throw new Error('no task handlers bound to the local workflow engine');
    return this.#handlers;
  }

  async #track(name: string, call: () => Promise<void>): Promise<void> {
    const execution = this.#resident.get(name);
    this.#inFlight++;
    this.#activity++;
    if (execution) execution.inFlight++;
    this.#moved(name);
    try {
      await handlerOf.run(name, call);
    } finally {
      this.#inFlight--;
      this.#activity++;
      if (execution) execution.inFlight--;
      this.#moved(name);
    }
  }

  /** The waiting task of a token, noting it when a replaying handler takes it itself. */
  #takeNow(taskToken: string): WaitingToken | undefined {
    const waiting = this.#take(taskToken);
    if (waiting && handlerOf.getStore() === waiting.execution) {
      this.#executions.get(waiting.execution)?.replayTaken?.add(taskToken);
    }
    return waiting;
  }

  #take(taskToken: string): WaitingToken | undefined {
    const waiting = this.#tokens.get(taskToken);
    if (!waiting) return undefined;
    this.#tokens.delete(taskToken);
    this.#activity++;
    this.#moved(waiting.execution);
    return waiting;
  }

  #abort(execution: LocalExecution): void {
    execution.status = 'ABORTED';
    if (this.#resident.get(execution.name) === execution) this.#resident.delete(execution.name);
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
