import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode, errorCodeEntry } from '../../../shared/domain/error-codes.js';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  TooManyAttemptsError,
  UnauthenticatedError,
  UnavailableError,
} from '../../../shared/domain/errors.js';

const HAN = /\p{Script=Han}/u;
const root = join(import.meta.dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(path) ? [path] : [];
  });
}

describe('the error-code catalogue', () => {
  it('gives every code a status from 400 to 503, a Chinese message and an English one', () => {
    // Act
    const incomplete = Object.entries(ERROR_CODES).filter(
      ([, { status, zh, en }]) =>
        !(Number.isInteger(status) && status >= 400 && status <= 503) ||
        !HAN.test(zh) ||
        en.trim().length === 0 ||
        HAN.test(en),
    );

    // Assess
    expect(incomplete).toEqual([]);
    expect(Object.keys(ERROR_CODES).length).toBeGreaterThan(150);
  });

  it('lists every code the product answers with (each AREA.WHAT literal in shared/ and functions/)', () => {
    // Act: codes written as plain strings too (an error body built by hand, a comparison), not only in errors
    const used = ['shared', 'functions']
      .flatMap(sourceFiles)
      .flatMap((file) =>
        [...readFileSync(join(root, file), 'utf8').matchAll(/['"`]([A-Z][A-Z_]*\.[A-Z_]+)['"`]/g)].map(
          (m) => `${file}: ${m[1]}`,
        ),
      );
    const unlisted = used.filter((use) => !((use.split(': ')[1] ?? '') in ERROR_CODES));

    // Assess
    expect(unlisted).toEqual([]);
    expect(new Set(used.map((use) => use.split(': ')[1])).size).toBeGreaterThan(150);
  });

  it('names codes AREA.WHAT in capitals (one code from before the convention is kept as clients know it)', () => {
    const offNamed = Object.keys(ERROR_CODES).filter((code) => !/^[A-Z_]+(\.[A-Z_]+)?$/.test(code));

    expect(offNamed).toEqual(['backup_unavailable']);
  });

  it('answers each error class with the status of its codes', () => {
    // Arrange: one error of each class, with a code the catalogue gives that class's status
    const errors = [
      new InvalidInputError('STEP.MATERIALS_MISSING', 'm'),
      new UnauthenticatedError('m'),
      new ForbiddenError('ADMIN.ONLY', 'm'),
      new NotFoundError('PROJECT.NOT_FOUND', 'm'),
      new ConflictError('STEP.NOT_IN_REVIEW', 'm'),
      new TooManyAttemptsError('AUTH.TOO_MANY_ATTEMPTS', 'm', 30),
      new UnavailableError('STORE.UNAVAILABLE', 'm'),
    ];

    // Act
    const statuses = errors.map((e) => [e.kind, errorCodeEntry(e.code)?.status]);

    // Assess
    expect(statuses).toEqual([
      ['invalid', 400],
      ['unauthenticated', 401],
      ['forbidden', 403],
      ['not_found', 404],
      ['conflict', 409],
      ['throttled', 429],
      ['unavailable', 503],
    ]);
  });

  it('refuses, when compiling, a code it does not list or a code of another status', () => {
    // (npm run check type-checks this file: each line below must fail to compile, or the check fails)
    const refused = [
      // @ts-expect-error an unknown code
      () => new NotFoundError('PROJECT.NO_SUCH_CODE', 'm'),
      // @ts-expect-error a 409 code in a 404 error
      () => new NotFoundError('STEP.NOT_IN_REVIEW', 'm'),
      // @ts-expect-error a 404 code in a 403 error
      () => new ForbiddenError('PROJECT.NOT_FOUND', 'm'),
    ];
    const code: ErrorCode = 'STEP.NOT_FOUND';

    expect(refused.map((make) => make().code)).toEqual([
      'PROJECT.NO_SUCH_CODE',
      'STEP.NOT_IN_REVIEW',
      'PROJECT.NOT_FOUND',
    ]);
    expect(errorCodeEntry(code)).toEqual(ERROR_CODES['STEP.NOT_FOUND']);
    expect(errorCodeEntry('PROJECT.NO_SUCH_CODE')).toBeUndefined();
  });
});
