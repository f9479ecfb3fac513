import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../functions/app.js';
import { scanTable } from '../support/faults.js';
import { projectRegistration, submissionOf } from '../support/fixtures.js';
import { startTestSystem } from '../support/local-system.js';
import { ResponseContract } from '../support/response-contract.js';

/**
 * Hostile input, generated (fast-check): at least 10,000 malformed requests across every route of the app's route
 * table, from every kind of caller. Whatever comes in, the API answers 4xx with a small error body, its answer keeps
 * to the route's OpenAPI entry, and the table is the same afterwards but for the audit trail of refused attempts.
 *
 * Every request carries at least one defect, so none may change anything: a made-up object id, a body that is not
 * what the route takes (not JSON, not an object, the wrong content type, too large, fields of the wrong kind), a
 * missing or forged token, or a malformed Idempotency-Key.
 */

const RUNS = Number(process.env.HOSTILE_RUNS ?? 500);
const BATCH = 20; // requests per run, sent together: 10,000 in all
/** An error names at most a few problems: its body stays small whatever came in. */
const MAX_ERROR_BYTES = 4 * 1024;
const CALLERS = [
  'agent-wang',
  'officer-env',
  'investor-jinling',
  'leader-zhang',
  'efficiency-office',
  'admin',
] as const;

type Route = { method: string; path: string; params: string[]; takesBody: boolean; isPublic: boolean };
type Hostile = {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** what was wrong with it, for the report of a failure */
  defects: string[];
};

/** Strings an attacker tries in ids, filters and fields. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '..',
    '../../etc/passwd',
    '%',
    '%00',
    '%E9',
    '%2F',
    '\u0000',
    '\uD800',
    '项目',
    'NOPE',
    '-1',
    '0',
    '1e309',
    'NaN',
    '9'.repeat(40),
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '{"$ne":null}',
    'PK#PROJECT',
    'x'.repeat(3000),
    '𠮷'.repeat(500),
  ),
);

/** A field's value of the wrong kind or out of range. */
const wrongValue = fc.oneof(
  nasty,
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -1, 0.5, true, null, [], {}),
  fc.array(nasty, { minLength: 0, maxLength: 5 }),
  fc.constant(Array.from({ length: 2000 }, (_, i) => `m${i}`)),
  fc.constant({ a: { b: { c: { d: { e: { f: { g: [[[[[[[]]]]]]] } } } } } } }),
);

/** The fields the routes read, so a body reaches the field checks and not only the shape check. */
const FIELDS = [
  'name',
  'agentId',
  'enterpriseId',
  'enterpriseName',
  'chainId',
  'outcome',
  'comment',
  'conditions',
  'missingMaterials',
  'materials',
  'reasons',
  'legalBasis',
  'userId',
  'password',
  'role',
  'title',
  'agenda',
  'invite',
  'scheduledAt',
  'place',
  'advanceDays',
  'attributes',
  'investment',
  'days',
  'date',
  'stages',
  'id',
];

/** A body no route takes, each with the defect it carries. */
const badBody: fc.Arbitrary<{ body: string; type: string; defect: string }> = fc.oneof(
  fc.record({
    body: fc.constantFrom('{', '{"a":', 'null', '[]', '"x"', '12', '{"a":1,}', '\u0000', "{'a':1}", ''),
    type: fc.constant('application/json'),
    defect: fc.constant('not a JSON object'),
  }),
  fc.record({
    body: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify([v])),
    type: fc.constant('application/json'),
    defect: fc.constant('an array for a body'),
  }),
  fc.record({
    body: fc
      .dictionary(fc.constantFrom(...FIELDS), wrongValue, { minKeys: 1, maxKeys: 6 })
      .map((o) => JSON.stringify({ ...o, '\u0000unknown': 1, outcome: 42 })),
    type: fc.constant('application/json'),
    defect: fc.constant('fields of the wrong kind'),
  }),
  fc.record({
    body: fc.constant(JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) })),
    type: fc.constant('application/json'),
    defect: fc.constant('over the body limit'),
  }),
  fc.record({
    body: fc.string({ maxLength: 200 }).map((s) => `{"name":"${s}"}`),
    type: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ),
    defect: fc.constant('the wrong content type'),
  }),
);

/** Lone surrogates (which no URL can carry) made into U+FFFD, as a browser would. */
const wellFormed = (value: string) =>
  value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

const encodeSegment = (value: string, raw: boolean) =>
  raw && /^[\x21-\x7e]*$/.test(value) && !value.includes('/') && !value.includes('?') && !value.includes('#')
    ? value
    : encodeURIComponent(wellFormed(value));

const query = fc.array(
  fc.tuple(
    fc.constantFrom(
      'limit',
      'cursor',
      'status',
      'department',
      'agent',
      'from',
      'to',
      'date',
      'year',
      'kind',
      'x',
    ),
    fc.oneof(nasty, fc.constantFrom('-1', '0', '1000000', '1.5', 'eyJ4IjoxfQ', '2026-13', 'active')),
  ),
  { maxLength: 3 },
);

/** One malformed request for `route`, with the real ids it may point at. */
function hostile(route: Route, realIds: string[], routeKeys: Set<string>): fc.Arbitrary<Hostile> {
  return fc
    .record({
      fakeIds: fc.boolean(),
      params: fc.array(fc.oneof(nasty, fc.constantFrom(...realIds)), {
        minLength: route.params.length,
        maxLength: route.params.length,
      }),
      rawSegments: fc.boolean(),
      query,
      body: fc.option(badBody, { nil: undefined }),
      token: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...CALLERS).map((userId) => ({ userId })) },
        fc.constantFrom(
          { forged: '' },
          { forged: 'Bearer' },
          { forged: 'Bearer x.y.z' },
          { forged: 'Basic YWRtaW46YWRtaW4=' },
          { forged: `Bearer ${'A'.repeat(5000)}` },
          { forged: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.' },
        ),
        fc.constant(undefined),
      ),
      idempotencyKey: fc.option(fc.constantFrom('', ' ', 'x'.repeat(101), 'a b', 'a/b', '<>', '{}'), {
        nil: undefined,
      }),
      otherMethod: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
      wrongMethod: fc.nat(7).map((n) => n === 0),
    })
    .map((g) => {
      // Defects that make the request one the route must refuse; noise (a stray query parameter, an
      // Idempotency-Key the route ignores) rides along but does not count.
      const defects: string[] = [];
      // a wrong method, unless another route answers it on the same path
      const method =
        g.wrongMethod && !routeKeys.has(`${g.otherMethod} ${route.path}`) ? g.otherMethod : route.method;
      if (method !== route.method) defects.push(`${method} for ${route.method}`);
      const bodyCounts = g.body !== undefined && route.takesBody && method === route.method;
      // a made-up id for every path parameter, unless the body already makes the request one to refuse
      const fake = g.fakeIds || !bodyCounts;
      let path = route.path;
      route.params.forEach((name, i) => {
        const value = fake ? `${g.params[i] ?? ''}-nope` : (g.params[i] ?? '');
        path = path.replace(`{${name}}`, encodeSegment(value, g.rawSegments));
      });
      if (route.params.length > 0 && fake) defects.push('made-up ids');
      const search = g.query
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(wellFormed(v))}`)
        .join('&');
      const headers: Record<string, string> = {};
      if (g.token && 'forged' in g.token) {
        if (g.token.forged) headers.authorization = g.token.forged;
        if (!route.isPublic) defects.push('a forged token');
      } else if (g.token) {
        headers.authorization = `@${g.token.userId}`;
      } else if (!route.isPublic) {
        defects.push('no token');
      }
      if (g.idempotencyKey !== undefined) headers['idempotency-key'] = g.idempotencyKey;
      let body: string | undefined;
      if (g.body && method !== 'GET') {
        body = g.body.body;
        headers['content-type'] = g.body.type;
        if (bodyCounts) defects.push(g.body.defect);
      }
      if (defects.length === 0) {
        path = `${path}/nope`;
        defects.push('a path that is no route');
      }
      return {
        method,
        url: search ? `${path}?${search}` : path,
        headers,
        ...(body === undefined ? {} : { body }),
        defects,
      };
    });
}

/** What is wrong with an answer to a hostile request (undefined: nothing), by kind, so each kind is told once. */
function problemWith(
  r: Hostile,
  status: number,
  text: string,
  type: string | null,
  contract: ResponseContract,
): { kind: string } | undefined {
  const route = `${r.method} ${contract.routeOf(r.method, r.url) ?? '(no route)'}`;
  if (status >= 500) return { kind: `${route} answered ${status}` };
  if (status < 400) return { kind: `${route} answered ${status} to a request it should refuse` };
  if (Buffer.byteLength(text) > MAX_ERROR_BYTES) return { kind: `${route}: an error body over 4 KB` };
  let body: unknown = text;
  if (type?.includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      return { kind: `${route}: JSON that does not parse` };
    }
    const message = (body as { error?: { message?: unknown } }).error?.message;
    if (typeof message !== 'string') return { kind: `${route} ${status}: no error message` };
    // a stack frame, a file of this checkout (not a route such as /me/work), the database's own words
    if (/at \w+ \(|node_modules|ValidationException|Dynamo/.test(text) || text.includes(process.cwd()))
      return { kind: `${route} ${status}: internals in the error` };
  }
  try {
    contract.check(r.method, r.url, status, body, type);
  } catch (error) {
    return { kind: (error as Error).message };
  }
  return undefined;
}

describe('hostile input, generated: 10,000 malformed requests across every route', () => {
  let system: Awaited<ReturnType<typeof startTestSystem>>;
  let routes: Route[];
  const realIds: string[] = [];
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    system = await startTestSystem();
    routes = system.app.openAPIRegistry.definitions.flatMap((d): Route[] => {
      if (d.type !== 'route') return [];
      const path = d.route.path;
      return [
        {
          method: d.route.method.toUpperCase(),
          path,
          params: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? ''),
          takesBody: d.route.request?.body !== undefined,
          isPublic: d.route.security === undefined,
        },
      ];
    });
    for (const userId of CALLERS) {
      const user = await system.ctx.store.getUser(userId);
      if (!user) throw new Error(`the demo has no ${userId}`);
      tokens.set(userId, await system.tokens.issue(user));
    }
    // real objects to point at: a project past its filing step, so it has steps, documents and events
    const call = (method: string, path: string, as: string, body?: unknown) =>
      system.app.request(path, {
        method,
        headers: { authorization: `Bearer ${tokens.get(as)}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const registered = await call(
      'POST',
      '/projects',
      'agent-wang',
      projectRegistration({ name: '压力测试项目', agentId: 'agent-wang' }),
    );
    const { project } = (await registered.json()) as { project: { projectId: string; code: string } };
    await system.caughtUp();
    await call('POST', `/projects/${project.projectId}/steps/1/submission`, 'agent-wang', submissionOf('1'));
    await system.caughtUp();
    realIds.push(
      project.projectId,
      project.code,
      '1',
      '2',
      '7',
      'ENV',
      'industrial-enterprise',
      'agent-wang',
    );
  });

  it('answers every one with a small 4xx that keeps to its route’s contract, and changes nothing but the audit trail', async () => {
    // Prepare
    const contract = new ResponseContract(system.app);
    const routeKeys = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const before = await scanTable(system.tableName);
    const requests = fc.constantFrom(...routes).chain((route) => hostile(route, realIds, routeKeys));
    const seen = { requests: 0, statuses: new Map<number, number>() };

    // Act
    const problems = new Map<string, string>();
    const result = await fc.check(
      fc.asyncProperty(fc.array(requests, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const answers = await Promise.all(
          batch.map(async (r) => {
            const auth = r.headers.authorization;
            const headers = auth?.startsWith('@')
              ? { ...r.headers, authorization: `Bearer ${tokens.get(auth.slice(1))}` }
              : r.headers;
            const res = await system.app.request(r.url, {
              method: r.method,
              headers,
              ...(r.body === undefined ? {} : { body: r.body }),
            });
            const text = await res.text();
            return { r, status: res.status, text, type: res.headers.get('content-type') };
          }),
        );
        for (const { r, status, text, type } of answers) {
          seen.requests += 1;
          seen.statuses.set(status, (seen.statuses.get(status) ?? 0) + 1);
          const problem = problemWith(r, status, text, type, contract);
          if (problem && !problems.has(problem.kind)) {
            problems.set(
              problem.kind,
              `${problem.kind}: ${r.method} ${r.url.slice(0, 160)} (${r.defects.join(', ')}) → ${status} ${text.slice(0, 200)}`,
            );
          }
        }
      }),
      { numRuns: RUNS },
    );
    await system.caughtUp();

    // Assess
    expect([...problems.values()]).toEqual([]);
    expect(result.failed, String(result.errorInstance).slice(0, 500)).toBe(false);
    expect(seen.requests).toBeGreaterThanOrEqual(RUNS * BATCH);
    const after = await scanTable(system.tableName);
    const withoutAudit = (items: Record<string, unknown>[]) =>
      items.filter((item) => !String(item.PK).startsWith('AUDIT#'));
    expect(withoutAudit(after)).toEqual(withoutAudit(before));
    // the refusals of real callers were recorded
    expect(after.length).toBeGreaterThan(withoutAudit(after).length);
    console.log(
      `hostile requests: ${seen.requests}; answers: ${[...seen.statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`)
        .join(', ')}`,
    );
  }, 600_000);
});
