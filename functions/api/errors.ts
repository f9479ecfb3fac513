import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../shared/domain/error-codes.js';
import {
  DomainError,
  ForbiddenError,
  NotFoundError,
  TooManyAttemptsError,
  UnavailableError,
} from '../../shared/domain/errors.js';
import { refusalStatus } from '../http/refusal-status.js';
import { describeZodError, MAX_PROBLEMS_ECHOED } from '../http/zod-problems.js';

export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };

/** An answer refusing the request with a code of the catalogue, at that code's status. */
export const refuse = (c: Context, code: ErrorCode, message: string) =>
  c.json<ErrorBody>({ error: { code, message } }, ERROR_CODES[code].status as ContentfulStatusCode);

/** The validation hook of every route: a 400 naming the problems, before anything is written. */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target: string },
  c: Context,
) {
  if (result.success) return;
  const where = result.target === 'json' ? 'body' : result.target;
  return c.json<ErrorBody>(
    {
      error: {
        code: 'REQUEST.INVALID',
        message: describeZodError(result.error, where),
        details: result.error.issues.slice(0, MAX_PROBLEMS_ECHOED).map((issue) => ({
          path: [where, ...issue.path.map(String)].join('.').slice(0, 200),
          code: issue.code,
        })),
      },
    },
    400,
  );
}

/**
 * The error handler, recording each refusal of the access policy (a 403, or a 404 hiding an object) through
 * `recordDenial` first. A failure to record never changes the answer.
 */
export function errorHandler(
  recordDenial?: (
    refusal: { action: string; code: string; as: 'forbidden' | 'not_found' },
    c: Context,
  ) => Promise<void>,
) {
  return async (error: Error, c: Context) => {
    if (
      recordDenial &&
      (error instanceof ForbiddenError || error instanceof NotFoundError) &&
      error.deniedAction !== undefined
    ) {
      await recordDenial(
        {
          action: error.deniedAction,
          code: error.code,
          as: error instanceof ForbiddenError ? 'forbidden' : 'not_found',
        },
        c,
      ).catch(() => undefined);
    }
    return onError(error, c);
  };
}

/** Errors map to HTTP in one place; internals never reach the client. */
export function onError(error: Error, c: Context) {
  if (error instanceof DomainError) {
    if (error instanceof UnavailableError || error instanceof TooManyAttemptsError) {
      c.header('Retry-After', String(error.retryAfterSeconds));
    }
    return c.json<ErrorBody>(
      {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: boundedDetails(error.details) } : {}),
        },
      },
      refusalStatus(error),
    );
  }
  if (error instanceof HTTPException) {
    const message =
      error.status === 400 && /JSON/i.test(error.message)
        ? 'the request body is not valid JSON'
        : error.message;
    return c.json<ErrorBody>(
      { error: { code: 'REQUEST.INVALID', message } },
      error.status as ContentfulStatusCode,
    );
  }
  console.error(
    JSON.stringify({
      level: 'ERROR',
      message: 'unhandled error',
      path: c.req.path,
      error: String(error),
      stack: error.stack,
    }),
  );
  return c.json<ErrorBody>(
    { error: { code: 'INTERNAL', message: 'something went wrong on our side; try again' } },
    500,
  );
}

/** Details are for programs: small, and never a copy of the request. */
function boundedDetails(details: unknown): unknown {
  const text = JSON.stringify(details);
  return text.length <= 2000 ? details : { truncated: true };
}
