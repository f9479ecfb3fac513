import { errorCodeEntry } from '../../shared/domain/error-codes.js';
import type { DomainError, DomainErrorKind } from '../../shared/domain/errors.js';

/** The statuses a refusal is answered with (the API's JSON and the pages alike). */
export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 429 | 503;

/** The status of a kind, for an error whose code is not in the catalogue (none is: the classes take only its codes). */
const BY_KIND: Record<DomainErrorKind, RefusalStatus> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  throttled: 429,
  unavailable: 503,
};

/** The status a refusal is answered with: its code's in the catalogue (shared/domain/error-codes.ts). */
export const refusalStatus = (error: DomainError): RefusalStatus =>
  (errorCodeEntry(error.code)?.status as RefusalStatus | undefined) ?? BY_KIND[error.kind];
