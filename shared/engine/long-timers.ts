/**
 * Node clamps a `setTimeout` delay above 2^31-1 ms (~24.8 days) to 1 ms, so a long timer fires at once.
 * aws-local-stepfunctions arms a `setTimeout(TimeoutSeconds * 1000)` for every Task state, and the generated
 * ASL uses the AWS maximum (99,999,999 s) for callback tasks: without this guard every waiting step would time
 * out after 1 ms. The guard chains such delays in safe chunks; ordinary timers are left untouched.
 */

/** The largest delay Node's timers accept. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

const GUARD = Symbol.for('daiban.longTimerGuard');

/** The handle `setTimeout` returns for a delay above {@link MAX_TIMER_DELAY_MS}; `clearTimeout` understands it. */
export class LongTimeout {
  #current: ReturnType<typeof setTimeout> | undefined;
  #cleared = false;
  #ref = true;

  constructor(
    private readonly schedule: (callback: () => void, delay: number) => ReturnType<typeof setTimeout>,
    private readonly cancel: (handle: ReturnType<typeof setTimeout>) => void,
    delayMs: number,
    callback: () => void,
  ) {
    this.#arm(delayMs, callback);
  }

  #arm(remainingMs: number, callback: () => void): void {
    const chunk = Math.min(remainingMs, MAX_TIMER_DELAY_MS);
    this.#current = this.schedule(() => {
      if (this.#cleared) return;
      const left = remainingMs - chunk;
      if (left > 0) this.#arm(left, callback);
      else callback();
    }, chunk);
    if (!this.#ref) this.#current.unref?.();
  }

  clear(): void {
    this.#cleared = true;
    if (this.#current !== undefined) this.cancel(this.#current);
  }

  ref(): this {
    this.#ref = true;
    this.#current?.ref?.();
    return this;
  }

  unref(): this {
    this.#ref = false;
    this.#current?.unref?.();
    return this;
  }

  hasRef(): boolean {
    return this.#ref;
  }
}

/**
 * Keeps what others hung on the functions: `setTimeout[util.promisify.custom]`, and the markers fake timers
 * (vi.useFakeTimers) need to restore the real functions when the guard was installed over them.
 */
function copyOwnProperties(from: object, to: object): void {
  for (const key of Reflect.ownKeys(from)) {
    if (key === 'length' || key === 'name' || key === 'prototype') continue;
    const descriptor = Object.getOwnPropertyDescriptor(from, key);
    if (descriptor) Object.defineProperty(to, key, descriptor);
  }
}

type SetTimeoutFn = (callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => unknown;
type ClearTimeoutFn = (handle: unknown) => void;

/**
 * Wraps `globalThis.setTimeout`/`clearTimeout` so delays above 2^31-1 ms are chained in safe chunks.
 * Idempotent: installing again while the current functions are already the guard does nothing (if something
 * replaced them since, e.g. fake timers in a test, the guard wraps the new ones).
 */
export function installLongTimerGuard(): void {
  const timers = globalThis as unknown as { setTimeout: SetTimeoutFn; clearTimeout: ClearTimeoutFn };
  const currentSet = timers.setTimeout as SetTimeoutFn & { [GUARD]?: true };
  if (currentSet[GUARD]) return;
  const originalSet = currentSet;
  const originalClear = timers.clearTimeout;

  const schedule = (callback: () => void, delay: number) =>
    originalSet.call(globalThis, callback, delay) as ReturnType<typeof setTimeout>;
  const cancel = (handle: unknown) => originalClear.call(globalThis, handle);

  const guardedSet: SetTimeoutFn & { [GUARD]?: true } = function setTimeout(callback, delay, ...args) {
    const ms = Number(delay);
    if (typeof callback === 'function' && Number.isFinite(ms) && ms > MAX_TIMER_DELAY_MS) {
      return new LongTimeout(schedule, cancel, ms, () => callback(...args));
    }
    return originalSet.call(globalThis, callback, delay, ...args);
  };
  const guardedClear: ClearTimeoutFn = function clearTimeout(handle) {
    if (handle instanceof LongTimeout) handle.clear();
    else originalClear.call(globalThis, handle);
  };
  copyOwnProperties(originalSet, guardedSet);
  copyOwnProperties(originalClear, guardedClear);
  guardedSet[GUARD] = true;

  timers.setTimeout = guardedSet;
  timers.clearTimeout = guardedClear;
}
