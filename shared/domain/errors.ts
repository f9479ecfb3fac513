import type { ErrorCode, ErrorCodeOf } from './error-codes.js';

/**
 * Domain errors carry a stable code of the catalogue (error-codes.ts) and a message a person can act on. Each class
 * takes only the codes answered with its status (a `NotFoundError` a 404 code), so the kind and the catalogue agree;
 * the HTTP layer answers with the catalogue's status in one place.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'throttled'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class InvalidInputError extends DomainError {
  constructor(code: ErrorCodeOf<400>, message: string, details?: unknown) {
    super('invalid', code, message, details);
    this.name = 'InvalidInputError';
  }
}

export class NotFoundError extends DomainError {
  /** `deniedAction`: the access policy hid the object from this caller (the refusal goes to the audit trail) */
  constructor(
    code: ErrorCodeOf<404>,
    message: string,
    readonly deniedAction?: string,
  ) {
    super('not_found', code, message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends DomainError {
  constructor(code: ErrorCodeOf<409>, message: string, details?: unknown) {
    super('conflict', code, message, details);
    this.name = 'ConflictError';
  }
}

export class ForbiddenError extends DomainError {
  /** `deniedAction`: the access policy's refusal (it goes to the audit trail) */
  constructor(
    code: ErrorCodeOf<403>,
    message: string,
    readonly deniedAction?: string,
  ) {
    super('forbidden', code, message);
    this.name = 'ForbiddenError';
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message: string, code: ErrorCodeOf<401> = 'AUTH.UNAUTHENTICATED') {
    super('unauthenticated', code, message);
    this.name = 'UnauthenticatedError';
  }
}

/** A dependency (the database, the workflow engine) does not answer for now: the caller should try again soon. */
export class UnavailableError extends DomainError {
  constructor(
    code: ErrorCodeOf<503>,
    message: string,
    readonly retryAfterSeconds = 5,
  ) {
    super('unavailable', code, message);
    this.name = 'UnavailableError';
  }
}

/** Too many attempts of something (failed sign-ins of one user): refused without trying, until `retryAfterSeconds`. */
export class TooManyAttemptsError extends DomainError {
  constructor(
    code: ErrorCodeOf<429>,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('throttled', code, message);
    this.name = 'TooManyAttemptsError';
  }
}
