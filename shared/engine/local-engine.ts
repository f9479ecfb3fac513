import './promise-with-resolvers.js';
import type { StateMachine } from 'aws-local-stepfunctions';
import { type Chain, chainKey } from '../domain/chain.js';
import { chainToAslJson } from '../workflow/asl.js';
import type { ExecutionInput } from '../workflow/task-contract.js';
import {
  executionOfToken,
  handlerOf,
  type LocalExecution,
  namedError,
  type ParkedExecution,
  type TaskHandlers,
  untilQuiet,
  type WaitingToken,
} from './local-execution.js';
import { CONTEXT_TOKEN_PLACEHOLDER, type LoadedMachine, loadMachine } from './local-machines.js';
import { callbackTask, finishStageTask, type LocalTaskHost } from './local-tasks.js';
import { installLongTimerGuard } from './long-timers.js';
import { startReplay, takeOnceReplayed } from './replay.js';
import { Residency } from './residency.js';
import { TaskTokens } from './task-tokens.js';
import type { ExecutionRequest, ExecutionStatus, WorkflowEngine } from './workflow-engine.port.js';

export type { LocalExecutionStatus, TaskHandlers } from './local-execution.js';
export { LOCAL_FUNCTION_ARNS, LOCAL_PARALLEL_BRANCH_LIMIT } from './local-machines.js';

// Callback tasks use TimeoutSeconds 99,999,999: without the guard Node would fire that timer after 1 ms.
installLongTimerGuard();

export type LocalWorkflowEngineOptions = {
  /** Generated ASL JSON by chain key, as deployed (placeholders are filled with `LOCAL_FUNCTION_ARNS`). */
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
  readonly #machines = new Map<string, LoadedMachine>();
  readonly #retryDelayMs: number | undefined;
  readonly #executions = new Map<string, LocalExecution>();
  readonly #parked = new Map<string, ParkedExecution>();
  readonly #tokens = new TaskTokens((execution) => {
    this.#activity++;
    this.#residency.moved(execution);
  });
  readonly #residency: Residency;
  /** what the local Task handlers ask of the engine */
  readonly #host: LocalTaskHost = {
    working: () => this.#working(),
    isRunning: (execution) => this.#executions.get(execution)?.status === 'RUNNING',
    tokens: this.#tokens,
    presented: (execution, taskToken) => this.#executions.get(execution)?.presented?.add(taskToken),
    track: (execution, call) => this.#track(execution, call),
    handlerFailed: (execution) => {
      const resident = this.#residency.get(execution);
      if (resident) resident.handlerFailed = true;
    },
  };
  readonly #onExecutionFailed: NonNullable<LocalWorkflowEngineOptions['onExecutionFailed']>;
  #handlers: TaskHandlers | undefined;
  #stopped = false;
  #inFlight = 0;
  #activity = 0;
  readonly #stateListeners: Array<(execution: string, stateName: string) => void> = [];

  constructor(options: LocalWorkflowEngineOptions) {
    this.#handlers = options.handlers;
    this.#retryDelayMs = options.retryDelayMs;
    this.#residency = new Residency(options.maxResident ?? Number.POSITIVE_INFINITY, options.idleMs ?? 1000);
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

  #run({ name, chainKey: key, input }: ParkedExecution, loaded: LoadedMachine): LocalExecution {
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
    this.#residency.enter(execution);
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
    return { resident: this.#residency.size, parked: this.#parked.size };
  }

  /** Ended executions are kept by name (a name is never reused), but nothing of their run. */
  #forget(execution: LocalExecution): void {
    execution.abort = () => {};
    this.#residency.leave(execution);
  }

  /**
   * The waiting task of a token that is not waiting now, once its execution has replayed: a parked execution is
   * made resident first (once, however many signals arrive together). See replay.ts.
   */
  async #takeAfterReplay(taskToken: string): Promise<WaitingToken | undefined> {
    const name = executionOfToken(taskToken);
    if (name === undefined) return undefined;
    const parked = this.#parked.get(name);
    if (parked && !this.#stopped) this.#resume(parked);
    return takeOnceReplayed(this.#executions.get(name), taskToken, this.#tokens);
  }

  #resume(parked: ParkedExecution): void {
    const loaded = this.#machines.get(parked.chainKey);
    if (!loaded || !this.#handlers) return;
    this.#parked.delete(parked.name);
    startReplay(this.#run(parked, loaded), () => this.#stopped);
  }

  /** Parks idle executions beyond `maxResident` (see {@link Residency.idleBeyondLimit}). */
  #parkIdleBeyondLimit(): void {
    for (const execution of this.#residency.idleBeyondLimit(() => this.#tokens.executionsWaiting())) {
      this.#evict(execution);
    }
  }

  /** Back to parked: its run is aborted quietly and its tokens released (DynamoDB keeps them). */
  #evict(execution: LocalExecution): void {
    this.#residency.leave(execution);
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

  #load(key: string, json: string): LoadedMachine {
    return loadMachine(key, json, {
      retryDelayMs: this.#retryDelayMs,
      callback: (stateName) => callbackTask(stateName, this.#host),
      finish: () => finishStageTask(this.#host),
    });
  }

  #working(): TaskHandlers {
    if (this.#stopped) throw namedError('Daiban.EngineStopped', 'the local workflow engine is stopped');
    if (!this.#handlers) throw new Error('no task handlers bound to the local workflow engine');
    return this.#handlers;
  }

  async #track(name: string, call: () => Promise<void>): Promise<void> {
    const execution = this.#residency.get(name);
    this.#inFlight++;
    this.#activity++;
    if (execution) execution.inFlight++;
    this.#residency.moved(name);
    try {
      await handlerOf.run(name, call);
    } finally {
      this.#inFlight--;
      this.#activity++;
      if (execution) execution.inFlight--;
      this.#residency.moved(name);
    }
  }

  /** The waiting task of a token, noting it when a replaying handler takes it itself. */
  #takeNow(taskToken: string): WaitingToken | undefined {
    const waiting = this.#tokens.take(taskToken);
    if (waiting && handlerOf.getStore() === waiting.execution) {
      this.#executions.get(waiting.execution)?.replayTaken?.add(taskToken);
    }
    return waiting;
  }

  #abort(execution: LocalExecution): void {
    execution.status = 'ABORTED';
    this.#residency.leave(execution);
    execution.abort();
    this.#activity++;
  }

  /** Forgets waiting tokens (their tasks fail: see {@link TaskTokens.release}). */
  #releaseTokens(match: (waiting: WaitingToken) => boolean): void {
    this.#tokens.release(match);
    this.#activity++;
  }
}
