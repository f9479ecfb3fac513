import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { DomainError, type DomainErrorKind } from '../../shared/domain/errors.js';

const STATUS: Record<DomainErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
};

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** Turns zod issues into one line a person can act on: "body.enterprise.creditCode: …; body: unknown key 'x'". */
export function describeZodError(error: ZodError, where: string): string {
  return error.issues
    .map((issue) => {
      const path = [where, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys')
        return `${path}: unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

/** The validation hook of every route: a 400 naming each problem, before anything is written. */
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
        details: result.error.issues,
      },
    },
    400,
  );
}

/** Errors map to HTTP in one place; internals never reach the client. */
export function onError(error: Error, c: Context) {
  if (error instanceof DomainError) {
    return c.json<ErrorBody>(
      {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      },
      STATUS[error.kind],
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
      level: 'error',
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
