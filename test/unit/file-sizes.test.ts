import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const LIMIT = 400;
/** Reference data (region codes, catalogues) is long by nature and exempt. */
const EXEMPT = 'shared/domain/reference/';

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) return sourcesUnder(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const lineCount = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** The files of `files` over the limit, with their line counts (`path: lines`). */
function oversized(files: readonly string[], read: (path: string) => string): string[] {
  return files
    .filter((path) => !path.startsWith(EXEMPT))
    .map((path) => ({ path, lines: lineCount(read(path)) }))
    .filter(({ lines }) => lines > LIMIT)
    .map(({ path, lines }) => `${path}: ${lines}`);
}

describe('file sizes: small files with one job', () => {
  it(`no .ts or .tsx file under shared/ is over ${LIMIT} lines, except reference data`, () => {
    const files = sourcesUnder('shared');
    expect(files.length).toBeGreaterThan(100);
    expect(oversized(files, (path) => readFileSync(join(root, path), 'utf8'))).toEqual([]);
  });

  it('names a file one line over the limit, and lets reference data be long', () => {
    const lines = (n: number) => 'x\n'.repeat(n);
    const texts: Record<string, string> = {
      'shared/domain/at-limit.ts': lines(LIMIT),
      'shared/domain/over-limit.tsx': lines(LIMIT + 1),
      'shared/domain/reference/region-codes.ts': lines(5000),
    };
    expect(oversized(Object.keys(texts), (path) => texts[path] ?? '')).toEqual([
      `shared/domain/over-limit.tsx: ${LIMIT + 1}`,
    ]);
  });
});
