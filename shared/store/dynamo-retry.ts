import { ConflictError, UnavailableError } from '../domain/errors.js';

/**
 * How the store meets DynamoDB's transient refusals (DynamoDB Local never raises the first two, so the tests inject
 * them): a transaction cancelled by a `TransactionConflict` (another transaction touched one of its items at the
 * same moment), throttling, and a database that does not answer. Each is tried again with jittered exponential
 * backoff; what still fails becomes an answer a person can act on: 409 for a conflict, 503 (with Retry-After)
 * for throttling and outages. Never a 500.
 */

export type RetryPolicy = {
  /** attempts in all, the first included */
  attempts: number;
  /** first backoff in milliseconds; doubles on every attempt, with full jitter */
  baseDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
};

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 25 };

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
  'InternalServerError',
  'ServiceUnavailable',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  CancellationReasons?: Array<{ Code?: string }>;
  $metadata?: { httpStatusCode?: number };
};

const asErrorLike = (error: unknown): ErrorLike =>
  typeof error === 'object' && error !== null ? (error as ErrorLike) : {};

/** What kind of transient failure an error is, if it is one. */
export function transientKind(error: unknown): 'conflict' | 'throttled' | 'unreachable' | undefined {
  const e = asErrorLike(error);
  const name = typeof e.name === 'string' ? e.name : '';
  if (name === 'TransactionCanceledException') {
    const codes = (e.CancellationReasons ?? []).map((r) => r.Code);
    if (codes.includes('ConditionalCheckFailed')) return undefined;
    if (codes.includes('TransactionConflict')) return 'conflict';
    if (codes.some((c) => c === 'ThrottlingError' || c === 'ProvisionedThroughputExceeded'))
      return 'throttled';
    return undefined;
  }
  if (name === 'TransactionConflictException') return 'conflict';
  if (THROTTLING.has(name)) return 'throttled';
  if (name === 'TimeoutError' || name === 'AbortError' || name === 'NetworkingError') return 'unreachable';
  for (let cause: unknown = error, depth = 0; cause && depth < 4; depth += 1) {
    const code = asErrorLike(cause).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'unreachable';
    cause = asErrorLike(cause).cause;
  }
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return 'throttled';
  return undefined;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls `send`, trying transient failures again; maps what is left to a 409 or a 503. */
export async function withRetry<T>(send: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      const kind = transientKind(error);
      if (kind === undefined) throw error;
      // An unreachable database is not tried long: the caller gets a 503 and the scheduled job catches up.
      const attempts = kind === 'unreachable' ? Math.min(2, policy.attempts) : policy.attempts;
      if (attempt >= attempts) throw exhausted(kind);
      await sleep(Math.random() * policy.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}

function exhausted(kind: 'conflict' | 'throttled' | 'unreachable'): Error {
  switch (kind) {
    case 'conflict':
      return new ConflictError(
        'STORE.BUSY',
        'another change to the same project was being saved at the same moment; try again',
      );
    case 'throttled':
      return new UnavailableError(
        'STORE.THROTTLED',
        'the database is busy right now; nothing was changed, try again in a few seconds',
      );
    case 'unreachable':
      return new UnavailableError(
        'STORE.UNAVAILABLE',
        'the database is not answering; nothing was changed, try again in a few seconds',
      );
  }
}
