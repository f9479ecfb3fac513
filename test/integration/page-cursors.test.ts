import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../shared/domain/working-days.js';
import { projectRegistration } from '../support/fixtures.js';
import { ApiClient, startTestSystem, useTestSystem } from '../support/local-system.js';

/**
 * Page cursors are opaque and tamper-evident: every list route (found in the OpenAPI route table: each route whose
 * query takes `cursor`) answers a forged, tampered or foreign cursor with a 400 that names it, never a 500.
 */

const MESSAGE = 'cursor: invalid or expired page cursor; start again without it';

type ListTarget = { caller: string; path: (o: { project: string; today: string }) => string };

/** Who reads each list, and where (a list route missing here fails the first test). */
const LISTS: Record<string, ListTarget> = {
  'GET /admin/audit': { caller: 'admin', path: (o) => `/admin/audit?date=${o.today}` },
  'GET /admin/users': { caller: 'admin', path: () => '/admin/users' },
  'GET /admin/sla-sweeps': { caller: 'admin', path: () => '/admin/sla-sweeps' },
  'GET /batches': { caller: 'leader-zhang', path: () => '/batches' },
  'GET /imports': { caller: 'admin', path: () => '/imports' },
  'GET /complaints': { caller: 'efficiency-office', path: () => '/complaints' },
  'GET /meetings': { caller: 'leader-zhang', path: () => '/meetings' },
  'GET /projects': { caller: 'leader-zhang', path: () => '/projects' },
  'GET /projects/{id}/events': { caller: 'leader-zhang', path: (o) => `/projects/${o.project}/events` },
  'GET /departments/{deptId}/inbox': { caller: 'officer-env', path: () => '/departments/ENV/inbox' },
  'GET /departments/{deptId}/stage-view': {
    caller: 'officer-hud',
    path: () => '/departments/HUD/stage-view',
  },
  'GET /me/notifications': { caller: 'agent-wang', path: () => '/me/notifications' },
  'GET /me/work': { caller: 'agent-wang', path: () => '/me/work' },
  'GET /exports/approvals.jsonl': { caller: 'leader-zhang', path: () => '/exports/approvals.jsonl' },
  'GET /exports/approvals.csv': { caller: 'leader-zhang', path: () => '/exports/approvals.csv' },
};

const withQuery = (path: string, query: Record<string, string>) =>
  `${path}${path.includes('?') ? '&' : '?'}${new URLSearchParams(query)}`;

/** The cursor with one character of its payload changed (still base64url, still the same length). */
const tampered = (cursor: string) => {
  const at = Math.floor(cursor.indexOf('.') / 2);
  return `${cursor.slice(0, at)}${cursor[at] === 'A' ? 'B' : 'A'}${cursor.slice(at + 1)}`;
};

describe('page cursors on every list route', () => {
  const t = useTestSystem();
  const o = { project: '', today: '' };
  /** a cursor each route gave out (limit=1), when it had a second page */
  const own = new Map<string, string>();

  const listRoutes = () =>
    t.system.app.openAPIRegistry.definitions.flatMap((d) => {
      if (d.type !== 'route') return [];
      const query = d.route.request?.query as { shape?: Record<string, unknown> } | undefined;
      return query?.shape && 'cursor' in query.shape
        ? [`${d.route.method.toUpperCase()} ${d.route.path}`]
        : [];
    });

  beforeAll(async () => {
    o.today = chinaDate(t.system.ctx.clock.now());
    o.project = (await t.api.post('/projects', 'agent-wang', projectRegistration())).body.projectId;
    await t.api.get(`/projects/${o.project}`, 'agent-li'); // a refusal, so today's audit trail has an entry
    for (const [route, target] of Object.entries(LISTS)) {
      const res = await t.api.get(withQuery(target.path(o), { limit: '1' }), target.caller);
      if (res.status !== 200) throw new Error(`${route}: ${res.status} ${JSON.stringify(res.body)}`);
      // the workbench names its cursor nextCursor (its answer had no cursor field before it was paged)
      const cursor = res.body?.cursor ?? res.body?.nextCursor;
      if (typeof cursor === 'string') own.set(route, cursor);
    }
    if (!own.has('GET /admin/users') || !own.has('GET /projects/{id}/events')) {
      throw new Error('the fixture needs a second page of users and of events');
    }
  });

  it('knows who reads every list route of the app', () => {
    // Act
    const routes = listRoutes();

    // Assess
    expect(routes.filter((r) => !(r in LISTS))).toEqual([]);
    expect(Object.keys(LISTS).filter((r) => !routes.includes(r))).toEqual([]);
  });

  const forgeries: [string, (route: string) => string][] = [
    ['an empty JSON object (e30)', () => 'e30'],
    ['random base64url', () => randomBytes(48).toString('base64url')],
    [
      'random bytes with a dot',
      () => `${randomBytes(40).toString('base64url')}.${randomBytes(16).toString('base64url')}`,
    ],
    [
      'a bare DynamoDB key',
      () => Buffer.from(JSON.stringify({ PK: 'USER#admin', SK: 'PROFILE' })).toString('base64url'),
    ],
    [
      "another route's valid cursor",
      (route) =>
        own.get(route === 'GET /admin/users' ? 'GET /projects/{id}/events' : 'GET /admin/users') ?? '',
    ],
    ['a tampered valid cursor', (route) => tampered(own.get(route) ?? own.get('GET /admin/users') ?? '')],
    [
      'a valid cursor with its signature cut',
      (route) => (own.get(route) ?? own.get('GET /admin/users') ?? '').split('.')[0] ?? '',
    ],
  ];
  const cases = Object.keys(LISTS).flatMap((route) =>
    forgeries.map(([forgery, make]) => ({ route, forgery, make })),
  );

  it.each(cases)('answers $forgery on $route with a 400 naming the cursor', async ({ route, make }) => {
    // Prepare
    const target = LISTS[route] as ListTarget;
    const cursor = make(route);

    // Act
    const res = await t.api.get(withQuery(target.path(o), { cursor }), target.caller);

    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(MESSAGE);
  });

  it("follows each route's own cursor to the next page", async () => {
    for (const [route, cursor] of own) {
      // Act
      const target = LISTS[route] as ListTarget;
      const res = await t.api.get(withQuery(target.path(o), { limit: '1', cursor }), target.caller);

      // Assess
      expect(res.status, route).toBe(200);
    }
  });

  it('refuses a cursor another installation signed (a key since replaced)', async () => {
    // Prepare: another installation's cursor for the same list (the same users, signed with another secret)
    const other = await startTestSystem({ sessionSecret: randomBytes(32) });
    try {
      const cursor = (await new ApiClient(other).get('/admin/users?limit=1', 'admin')).body.cursor as string;

      // Act
      const res = await t.api.get(withQuery('/admin/users', { cursor }), 'admin');

      // Assess
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(MESSAGE);
    } finally {
      await other.stop();
    }
  });

  it("starts the job's audit walk over when its saved cursor is no longer valid (a replaced key, an older format)", async () => {
    // Prepare: a cursor saved by an earlier version (a bare base64url DynamoDB key)
    await t.system.ctx.store.putSetting('job-audit-cursor', {
      status: 0,
      cursor: Buffer.from(JSON.stringify({ PK: 'x', SK: 'y', GSI1PK: 'z', GSI1SK: 'w' })).toString(
        'base64url',
      ),
    });

    // Act
    const report = await t.system.runJob();

    // Assess
    expect(report.audited).toBeGreaterThan(0);
    expect(report.failures).toBe(0);
  });
});
