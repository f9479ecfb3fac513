/**
 * docs/api.md, generated from the OpenAPI document the API serves at `GET /openapi.json` (`npm run docs:api`).
 * The document is built in-process from the same route table as the server (no database, no Java, no port);
 * `npm run docs:api -- --check` (and test/unit/docs/api-docs.test.ts) fails when docs/api.md is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../functions/app.js';

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
};
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Operation = {
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
};
export type OpenApiDocument = {
  info?: { title?: string; version?: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
};

/** The OpenAPI document of the API, as `GET /openapi.json` answers it (routes do not touch their deps to be described). */
export async function openApiDocument(): Promise<OpenApiDocument> {
  const app = createApp({
    ctx: {
      settings: { refresh: async () => undefined },
      store: {},
      clock: { now: () => new Date() },
    } as never,
    authenticate: async () => {
      throw new Error('describing the API signs nobody in');
    },
  });
  const res = await app.request('/openapi.json');
  if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
  return (await res.json()) as OpenApiDocument;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/** A schema in a few words: `string (1–64, ^[a-z]+$)`, `integer 1..100, default 50`, `'a' \| 'b'`, `Approval[]`. */
export function typeOf(schema: Schema | undefined, depth = 0): string {
  if (!schema) return 'any';
  if (schema.$ref) return refName(schema.$ref);
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) {
    if (depth > 1) return 'one of several';
    return variants.map((v) => typeOf(v, depth + 1)).join(' or ');
  }
  if (schema.allOf) return schema.allOf.map((v) => typeOf(v, depth + 1)).join(' and ');
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'any');
  const bounds: string[] = [];
  if (type === 'array') {
    const of = typeOf(schema.items, depth + 1);
    const count = range(schema.minItems, schema.maxItems);
    return `${/\s/.test(of) ? `(${of})` : of}[]${count ? ` (${count} items)` : ''}`;
  }
  if (type === 'object') {
    const keys = Object.keys(schema.properties ?? {});
    return keys.length === 0 ? 'object' : `{ ${keys.join(', ')} }`;
  }
  const length = range(schema.minLength, schema.maxLength);
  if (length) bounds.push(`${length} chars`);
  const min = schema.minimum ?? schema.exclusiveMinimum;
  const max = schema.maximum ?? schema.exclusiveMaximum;
  const value = range(min, max);
  if (value) bounds.push(value);
  if (schema.format) bounds.push(schema.format);
  if (schema.pattern) bounds.push(`\`${schema.pattern}\``);
  if (schema.default !== undefined) bounds.push(`default ${JSON.stringify(schema.default)}`);
  return bounds.length > 0 ? `${type} (${bounds.join(', ')})` : type;
}

function range(min: number | undefined, max: number | undefined): string | undefined {
  if (min === undefined && max === undefined) return undefined;
  if (min === undefined) return `≤ ${max}`;
  if (max === undefined) return `≥ ${min}`;
  return min === max ? `${min}` : `${min}–${max}`;
}

function fieldTable(schema: Schema): string[] {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(
    ([name, field]) =>
      `| \`${name}\` | ${required.has(name) ? 'yes' : ''} | ${cell(typeOf(field))} | ${cell(field.description ?? '')} |`,
  );
  return ['| field | required | type | notes |', '| --- | --- | --- | --- |', ...rows];
}

function bodySection(schema: Schema): string[] {
  if (schema.$ref) return [`Body: \`${refName(schema.$ref)}\`.`, ''];
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) {
    return variants.flatMap((variant, i) => [
      `Body, form ${i + 1} of ${variants.length}:`,
      '',
      ...(variant.properties ? fieldTable(variant) : [typeOf(variant)]),
      '',
    ]);
  }
  if (schema.properties) return ['Body:', '', ...fieldTable(schema), ''];
  return [`Body: ${typeOf(schema)}.`, ''];
}

function operationSection(path: string, method: string, op: Operation): string[] {
  const lines = [`### \`${method.toUpperCase()} ${path}\``, ''];
  lines.push(
    op.security && op.security.length > 0 ? 'Signed in (bearer token or session cookie).' : 'Public.',
    '',
  );
  const params = op.parameters ?? [];
  if (params.length > 0) {
    lines.push('| parameter | in | required | type | notes |', '| --- | --- | --- | --- | --- |');
    for (const p of params) {
      lines.push(
        `| \`${p.name}\` | ${p.in} | ${p.required ? 'yes' : ''} | ${cell(typeOf(p.schema))} | ${cell(p.description ?? '')} |`,
      );
    }
    lines.push('');
  }
  for (const [mediaType, content] of Object.entries(op.requestBody?.content ?? {})) {
    if (mediaType !== 'application/json') {
      lines.push(`Body: \`${mediaType}\`.`, '');
    } else if (content.schema) {
      lines.push(...bodySection(content.schema));
    }
  }
  lines.push('| answer | meaning | body |', '| --- | --- | --- |');
  for (const [status, answer] of Object.entries(op.responses ?? {})) {
    const bodies = Object.entries(answer.content ?? {}).map(([type, c]) =>
      type === 'application/json' ? cell(typeOf(c.schema)) : `\`${type}\``,
    );
    lines.push(`| ${status} | ${cell(answer.description ?? '')} | ${bodies.join('; ')} |`);
  }
  lines.push('');
  return lines;
}

/** docs/api.md from the OpenAPI document: the routes grouped by their first path segment, in the document's order. */
export function renderApiDocs(doc: OpenApiDocument): string {
  const groups = new Map<string, string[]>();
  for (const path of Object.keys(doc.paths)) {
    const group = path.split('/')[1] || '/';
    groups.set(group, [...(groups.get(group) ?? []), path]);
  }
  const operations = Object.values(doc.paths).reduce(
    (n, item) => n + METHODS.filter((m) => item[m]).length,
    0,
  );
  const lines = [
    '# The Daiban HTTP API',
    '',
    '<!-- Generated by `npm run docs:api` (infra/dev/api-docs.ts) from GET /openapi.json. Do not edit by hand:',
    '     test/unit/docs/api-docs.test.ts fails when this file and the routes disagree. -->',
    '',
    `${doc.info?.title ?? 'API'} ${doc.info?.version ?? ''}: ${doc.info?.description ?? ''}`.trim(),
    '',
    `${Object.keys(doc.paths).length} paths, ${operations} operations. Every answer's schema is in \`GET /openapi.json\`; ` +
      'a refusal is `{ "error": { "code", "message", "details"? } }`. Who may call a route is decided per object ' +
      '(see docs/architecture.md, "Who may do what"); "signed in" below only says that a token is needed.',
    '',
    ...[...groups.keys()].map((g) => `- [/${g === '/' ? '' : g}](#${g.replace(/[^a-z0-9-]/g, '')})`),
    '',
  ];
  for (const [group, paths] of groups) {
    lines.push(`## /${group === '/' ? '' : group}`, '');
    for (const path of paths) {
      const item = doc.paths[path] ?? {};
      for (const method of METHODS) {
        const op = item[method];
        if (op) lines.push(...operationSection(path, method, op));
      }
    }
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

export const API_DOCS_FILE = fileURLToPath(new URL('../../docs/api.md', import.meta.url));

async function main(): Promise<void> {
  const text = renderApiDocs(await openApiDocument());
  if (process.argv.includes('--check')) {
    const current = readFileSync(API_DOCS_FILE, 'utf8');
    if (current !== text) {
      console.error('docs/api.md is out of date: run npm run docs:api');
      process.exit(1);
    }
    console.log('docs/api.md is up to date');
    return;
  }
  writeFileSync(API_DOCS_FILE, text);
  console.log(`wrote docs/api.md (${text.split('\n').length} lines)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
