import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
}

describe('the direction of imports', () => {
  it('keeps the domain free of AWS SDK, Hono and Node I/O', () => {
    const offending = sourceFiles('shared/domain').flatMap((file) =>
      importsOf(file)
        .filter((spec) => /^(node:|@aws-sdk\/|hono|@hono\/|fs$|path$)/.test(spec))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('never lets shared/ import from functions/ or infra/', () => {
    const offending = sourceFiles('shared').flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => relative(root, join(root, file, '..', spec)))
        .filter((target) => target.startsWith('functions') || target.startsWith('infra'))
        .map((target) => `${file} imports ${target}`),
    );
    expect(offending).toEqual([]);
  });

  it('keeps the domain from importing the adapters around it', () => {
    const offending = sourceFiles('shared/domain').flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => relative(join(root, 'shared'), join(root, file, '..', spec)))
        .filter((target) => !target.startsWith('domain'))
        .map((target) => `${file} imports shared/${target}`),
    );
    expect(offending).toEqual([]);
  });
});
