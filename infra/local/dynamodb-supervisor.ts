import { isRunning } from './processes.js';

/** What it needs of a DynamoDB Local (`RunningDynamoDb`, structurally: the unit tests load no database module). */
export type SupervisedDynamoDb = { endpoint: string; pid: number | undefined; stop(): Promise<void> };

export type DynamoDbSupervisorOptions<Db extends SupervisedDynamoDb> = {
  /** starts (or adopts) DynamoDB Local again, on the same port and data folder */
  start: () => Promise<Db>;
  /** what a person should read: it died, it was restarted, a restart failed */
  log: (line: string) => void;
  /** the wait before the first restart (default 1 s); each failed restart doubles it */
  firstDelayMs?: number;
  /** the longest wait between two restarts (default 30 s) */
  maxDelayMs?: number;
  /** how often it looks whether the process still runs (default 1 s) */
  checkEveryMs?: number;
  isRunning?: (pid: number) => boolean;
  sleep?: (ms: number) => Promise<void>;
};

/**
 * Keeps the runtime's DynamoDB Local running: when its process is gone (killed, crashed; started or adopted alike),
 * it is started again on the same port and data folder, after 1 s, then with a doubling wait (at most 30 s) for as
 * long as starting fails, and every step is logged. Meanwhile the API answers 503 and the scheduled job catches up
 * once it is back. One DynamoDB Local we cannot identify (`reused`, no pid) is not ours to watch.
 */
export class DynamoDbSupervisor<Db extends SupervisedDynamoDb = SupervisedDynamoDb> {
  #current: Db;
  #stopped = false;
  #restarting: Promise<void> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #options: DynamoDbSupervisorOptions<Db>;

  constructor(first: Db, options: DynamoDbSupervisorOptions<Db>) {
    this.#current = first;
    this.#options = options;
  }

  /** The DynamoDB Local in use now (stopped, or disowned, by whoever stops the runtime). */
  get current(): Db {
    return this.#current;
  }

  /** Looks every `checkEveryMs` whether the process still runs (the timer does not keep Node alive). */
  watch(): void {
    this.#timer ??= setInterval(() => void this.check(), this.#options.checkEveryMs ?? 1000);
    this.#timer.unref();
  }

  /** Whether it still runs; if not, restarts it (resolves once restarted, or stopped). */
  check(): Promise<void> {
    if (this.#restarting) return this.#restarting;
    const pid = this.#current.pid;
    const running = this.#options.isRunning ?? isRunning;
    if (this.#stopped || pid === undefined || running(pid)) return Promise.resolve();
    this.#restarting = this.#restart(pid).finally(() => {
      this.#restarting = undefined;
    });
    return this.#restarting;
  }

  /** No more restarts (the runtime is stopping, or another runtime uses it now). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
  }

  async #restart(deadPid: number): Promise<void> {
    const { log, start } = this.#options;
    const sleep = this.#options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
    const maxDelayMs = this.#options.maxDelayMs ?? 30_000;
    let delayMs = this.#options.firstDelayMs ?? 1000;
    const since = Date.now();
    log(`DynamoDB Local (pid ${deadPid}) is gone: restarting it in ${seconds(delayMs)} s`);
    for (let attempt = 1; ; attempt += 1) {
      await sleep(delayMs);
      if (this.#stopped) return;
      try {
        const next = await start();
        if (this.#stopped) {
          await next.stop();
          return;
        }
        this.#current = next;
        log(
          `DynamoDB Local restarted on ${next.endpoint} (pid ${next.pid ?? 'unknown'}) after ${attempt} attempt(s), ` +
            `${seconds(Date.now() - since)} s without it; the scheduled job catches up what waited`,
        );
        return;
      } catch (error) {
        delayMs = Math.min(maxDelayMs, delayMs * 2);
        log(
          `could not restart DynamoDB Local (attempt ${attempt}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}); trying again in ${seconds(delayMs)} s`,
        );
      }
    }
  }
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);
