/**
 * Domain errors carry a stable code and a message a person can act on.
 * The HTTP layer maps the kind to a status in one place; the domain never knows a status code.
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
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class InvalidInputError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('invalid', code, message, details);
    this.name = 'InvalidInputError';
  }
}

export class NotFoundError extends DomainError {
  /** `deniedAction`: the access policy hid the object from this caller (the refusal goes to the audit trail) */
  constructor(
    code: string,
    message: string,
    readonly deniedAction?: string,
  ) {
    super('not_found', code, message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('conflict', code, message, details);
    this.name = 'ConflictError';
  }
}

export class ForbiddenError extends DomainError {
  /** `deniedAction`: the access policy's refusal (it goes to the audit trail) */
  constructor(
    code: string,
    message: string,
    readonly deniedAction?: string,
  ) {
    super('forbidden', code, message);
    this.name = 'ForbiddenError';
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message: string, code = 'AUTH.UNAUTHENTICATED') {
    super('unauthenticated', code, message);
    this.name = 'UnauthenticatedError';
  }
}

/** A dependency (the database, the workflow engine) does not answer for now: the caller should try again soon. */
export class UnavailableError extends DomainError {
  constructor(
    code: string,
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
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('throttled', code, message);
    this.name = 'TooManyAttemptsError';
  }
}
