import { randomBytes } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PASSWORD, FIRST_ADMIN_ID } from '../../infra/local/installation.js';
import { seedUsers } from '../../infra/local/seed-reference.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { silentLogger } from '../../shared/app/logger.js';
import {
  DEFAULT_FAILED_SIGN_IN_POLICY,
  failedSignInsSetting,
  LocalSignIn,
  StoredFailedSignIns,
} from '../../shared/app/sign-in.js';
import { ScryptPasswordHasher } from '../../shared/auth/scrypt-password-hasher.js';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, SessionTokens } from '../../shared/auth/session-tokens.js';
import { withCreditCodeCheck } from '../../shared/domain/credit-code.js';
import { TooManyAttemptsError } from '../../shared/domain/errors.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

type Reply = { status: number; headers: Headers; body: any };

/** Calls the app with exactly these headers (no dev token): what a browser or curl would send. */
async function send(
  system: LocalSystem,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Reply> {
  const res = await system.app.request(path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const login = (system: LocalSystem, userId: string, password: string) =>
  send(system, 'POST', '/auth/login', {}, { userId, password });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** The admin adds an agent with this password (through the API, as the admin page does). */
const addAgent = (api: ApiClient, userId: string, name: string, password: string) =>
  api.post('/admin/users', 'admin', { userId, name, role: 'agent', password });

describe('signing in with a password (demo mode)', () => {
  let system: LocalSystem;

  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(async () => {
    await system.stop();
  });

  it('gives a seeded user an hour-long token for the demo password, and the token opens the API', async () => {
    // Act
    const signedIn = await login(system, 'leader-zhang', DEMO_PASSWORD);
    const projects = await send(system, 'GET', '/projects', bearer(signedIn.body.token));

    // Assess
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    expect(signedIn.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 3600,
      user: { userId: 'leader-zhang', role: 'leader', name: '张主任（政务服务中心）' },
    });
    expect(Date.parse(signedIn.body.expiresAt) - Date.now()).toBeGreaterThan(3590_000);
    expect(projects.status).toBe(200);
  });

  it('answers a wrong password and an unknown user alike, so a sign-in never tells who exists', async () => {
    // Act
    const wrongPassword = await login(system, 'agent-wang', 'not the password');
    const unknownUser = await login(system, 'agent-nobody', DEMO_PASSWORD);

    // Assess
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownUser.body);
    expect(wrongPassword.body.error).toEqual({
      code: 'AUTH.SIGN_IN_FAILED',
      message: 'wrong user id or password',
    });
  });

  it('makes a user id wait after five failures in a row, refusing even the right password meanwhile', async () => {
    // Prepare: four failures of one user id (no wait yet), five of another
    for (let i = 0; i < 4; i++) await login(system, 'officer-env', `guess number ${i}`);
    for (let i = 0; i < 5; i++) await login(system, 'investor-qinhuai', `guess number ${i}`);

    // Act
    const afterFour = await login(system, 'officer-env', DEMO_PASSWORD);
    const right = await login(system, 'investor-qinhuai', DEMO_PASSWORD);
    const someoneElse = await login(system, 'investor-jinling', DEMO_PASSWORD);

    // Assess
    expect(afterFour.status).toBe(200);
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toMatch(/^(29|30)$/);
    expect(right.body.error.message).toMatch(/too many failed sign-ins for this user id; try again in \d+ s/);
    expect(someoneElse.status).toBe(200);
  });

  it('holds the wait whichever process the next attempt reaches: the failures are counted in the table', async () => {
    // Prepare: a second process on the same table (another Lambda instance, say), with a key of its own
    const other = new LocalSignIn({
      store: system.ctx.store,
      passwords: new ScryptPasswordHasher(),
      tokens: new SessionTokens(randomBytes(32)),
      log: silentLogger,
    });
    const failHere = () => login(system, 'agent-li', 'a wrong guess');
    const failThere = () =>
      other.signIn({ userId: 'agent-li', password: 'a wrong guess' }).catch((e: Error) => e);

    // Act: five failures in a row, split between the two processes and partly at once
    await Promise.all([failHere(), failThere(), failThere()]);
    await Promise.all([failHere(), failThere()]);
    const here = await login(system, 'agent-li', DEMO_PASSWORD);
    const there = await other.signIn({ userId: 'agent-li', password: DEMO_PASSWORD }).catch((e: Error) => e);
    const stored = await system.ctx.store.getSetting(failedSignInsSetting('agent-li'));

    // Assess
    expect(stored?.value.count).toBe(5);
    expect(here.status).toBe(429);
    expect(there).toBeInstanceOf(TooManyAttemptsError);
  });

  it('forgets failures a day after the last one, and at once after a successful sign-in', async () => {
    // Prepare
    const at = { now: Date.now() };
    const attempts = new StoredFailedSignIns(system.ctx.store, DEFAULT_FAILED_SIGN_IN_POLICY, () => at.now);
    for (let i = 0; i < 5; i++) await attempts.failed('agent-forgotten');
    const waiting = await attempts.waitFor('agent-forgotten');
    for (let i = 0; i < 3; i++) await attempts.failed('agent-succeeds');

    // Act
    at.now += 86_400_000 + 1;
    const nextDay = await attempts.waitFor('agent-forgotten');
    const countedAfresh = await attempts.failed('agent-forgotten');
    await attempts.succeeded('agent-succeeds');
    const afterSuccess = await system.ctx.store.getSetting(failedSignInsSetting('agent-succeeds'));

    // Assess
    expect(waiting).toBe(30);
    expect(nextDay).toBe(0);
    expect(countedAfresh).toBe(0);
    expect((await system.ctx.store.getSetting(failedSignInsSetting('agent-forgotten')))?.value.count).toBe(1);
    expect(afterSuccess).toBeUndefined();
  });

  it.each<[string, unknown, RegExp]>([
    ['no password', { userId: 'admin' }, /body\.password/],
    ['a password over 128 characters', { userId: 'admin', password: 'x'.repeat(129) }, /body\.password/],
    ['a user id over 64 characters', { userId: 'x'.repeat(65), password: 'x' }, /body\.userId/],
    ['an unknown field', { userId: 'admin', password: 'x', remember: true }, /unknown field\(s\) 'remember'/],
  ])('refuses a sign-in with %s (400)', async (_what, body, message) => {
    // Act
    const res = await send(system, 'POST', '/auth/login', {}, body);

    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('lists the demo users by id, name, role and department or enterprise only: no phone, no e-mail', async () => {
    // Act
    const res = await send(system, 'GET', '/auth/users');

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.users).toHaveLength(seedUsers().length);
    expect(res.body.users).toContainEqual({
      userId: 'officer-env',
      name: '生态环境局（区分局）窗口',
      role: 'officer',
      departmentId: 'ENV',
    });
    const fields = new Set(res.body.users.flatMap((user: object) => Object.keys(user)));
    expect([...fields].sort()).toEqual(['departmentId', 'enterpriseId', 'name', 'role', 'userId']);
  });
});

describe('a flood of sign-ins', () => {
  let system: LocalSystem;

  beforeAll(async () => {
    // dearer hashes than the other tests' (still under the default's): the flood outlasts the reads before it
    system = await startTestSystem({ passwordHashing: { ln: 12, r: 8, p: 1 } });
  });
  afterAll(async () => {
    await system.stop();
  });

  it('hashes at most two passwords at once, refuses sign-ins beyond its queue (503), and /health answers meanwhile', async () => {
    // Act: 100 sign-ins with distinct user ids at once, and /health while their hashes queue
    const flood = Array.from({ length: 100 }, (_, i) => login(system, `flood-${i}`, `guess ${i}`));
    // (each sign-in reads its user id's failures from the table too: on a loaded machine the queue fills later)
    await vi.waitFor(() => expect(system.hashing().waiting).toBeGreaterThan(0), {
      interval: 1,
      timeout: 20_000,
    });
    const health = await send(system, 'GET', '/health');
    const stillHashing = system.hashing();
    const answers = await Promise.all(flood);

    // Assess
    expect(health.status).toBe(200);
    expect(stillHashing.running + stillHashing.waiting).toBeGreaterThan(0);
    expect(system.hashing()).toMatchObject({ running: 0, waiting: 0, peak: 2 });
    // how many find the queue full depends on how fast the reads before the hashes come back: each is one or other
    expect(answers.filter((a) => a.status !== 401 && a.status !== 503)).toEqual([]);
    for (const answer of answers.filter((a) => a.status === 503)) {
      expect(answer.headers.get('retry-after')).toBe('2');
      expect(answer.body.error).toEqual({
        code: 'AUTH.BUSY',
        message: 'too many sign-ins at once; try again in a few seconds',
      });
    }
  });
});

describe('a request whose token does not hold is refused (401), saying why', () => {
  const secret = randomBytes(32);
  let system: LocalSystem;
  let disabledToken: string;

  beforeAll(async () => {
    system = await startTestSystem({ sessionSecret: secret });
    const api = new ApiClient(system);
    await addAgent(api, 'agent-zhao', '赵代办', 'zhao-initial-password');
    disabledToken = (await login(system, 'agent-zhao', 'zhao-initial-password')).body.token;
    await api.call('PATCH', '/admin/users/agent-zhao', 'admin', { disabled: true });
  });
  afterAll(async () => {
    await system.stop();
  });

  const tokens = (options: { now?: () => Date } = {}) => new SessionTokens(secret, options);
  const leader = { userId: 'leader-zhang', name: '张主任', role: 'leader' } as const;

  it.each<[string, () => Promise<Record<string, string>>, string, RegExp]>([
    ['no token at all', async () => ({}), 'AUTH.UNAUTHENTICATED', /^sign in: POST \/auth\/login/],
    [
      'an Authorization header that is not a bearer token',
      async () => ({ authorization: 'Basic YWRtaW46YWRtaW4=' }),
      'AUTH.UNAUTHENTICATED',
      /must be "Bearer <token>"/,
    ],
    ['a malformed token', async () => bearer('abc.def.ghi'), 'AUTH.UNAUTHENTICATED', /malformed/],
    [
      'an expired token',
      async () =>
        bearer((await tokens({ now: () => new Date(Date.now() - 2 * 3600_000) }).issue(leader)).token),
      'AUTH.UNAUTHENTICATED',
      /the token expired at .*; sign in again/,
    ],
    [
      'an unsigned token (alg "none")',
      async () =>
        bearer(
          new UnsecuredJWT({ name: 'x', 'custom:role': 'admin' })
            .setSubject('admin')
            .setIssuer(LOCAL_ISSUER)
            .setAudience(LOCAL_AUDIENCE)
            .setIssuedAt()
            .setExpirationTime('1h')
            .encode(),
        ),
      'AUTH.UNAUTHENTICATED',
      /not signed with HS256/,
    ],
    [
      'a token signed with another key',
      async () => bearer((await new SessionTokens(randomBytes(32)).issue(leader)).token),
      'AUTH.UNAUTHENTICATED',
      /signature does not verify/,
    ],
    [
      'a token whose payload was changed after signing',
      async () => {
        const [header, payload, signature] = (
          await tokens().issue({ userId: 'agent-wang', name: '王代办', role: 'agent' })
        ).token.split('.');
        const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
        const forged = Buffer.from(JSON.stringify({ ...claims, 'custom:role': 'leader' })).toString(
          'base64url',
        );
        return bearer(`${header}.${forged}.${signature}`);
      },
      'AUTH.UNAUTHENTICATED',
      /signature does not verify/,
    ],
    [
      'a token of a user who does not exist',
      async () => bearer((await tokens().issue({ userId: 'ghost', name: '幽灵', role: 'leader' })).token),
      'AUTH.UNKNOWN_USER',
      /the token's user 'ghost' does not exist/,
    ],
    [
      'a token of a disabled user',
      async () => bearer(disabledToken),
      'AUTH.USER_DISABLED',
      /the account 'agent-zhao' is disabled; ask an admin to enable it/,
    ],
    [
      'a token naming another role than the user has',
      async () =>
        bearer((await tokens().issue({ userId: 'agent-wang', name: '王代办', role: 'leader' })).token),
      'AUTH.UNAUTHENTICATED',
      /the account changed since this token was issued/,
    ],
    [
      'a token signed with HS256 by hand for another issuer',
      async () =>
        bearer(
          await new SignJWT({ name: '张主任', 'custom:role': 'leader' })
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject('leader-zhang')
            .setIssuer('somewhere-else')
            .setAudience(LOCAL_AUDIENCE)
            .setIssuedAt()
            .setExpirationTime('1h')
            .sign(secret),
        ),
      'AUTH.UNAUTHENTICATED',
      /"iss" claim does not hold/,
    ],
  ])('refuses %s', async (_what, headers, code, message) => {
    // Act
    const res = await send(system, 'GET', '/projects', await headers());

    // Assess
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
  });

  it('accepts a token it issued, for a user who exists and is enabled', async () => {
    // Act
    const res = await send(system, 'GET', '/projects', bearer((await tokens().issue(leader)).token));

    // Assess
    expect(res.status).toBe(200);
  });
});

describe('the session cookie (daiban_session), for web pages', () => {
  let system: LocalSystem;
  let cookie: Record<string, string>;

  beforeAll(async () => {
    system = await startTestSystem();
    cookie = { cookie: `daiban_session=${(await login(system, 'admin', DEMO_PASSWORD)).body.token}` };
  });
  afterAll(async () => {
    await system.stop();
  });

  it('signs a GET in, as the bearer header would', async () => {
    // Act
    const res = await send(system, 'GET', '/admin/users?limit=1', cookie);

    // Assess
    expect(res.status).toBe(200);
  });

  it("signs a post in when it comes from this site's own pages (same Origin)", async () => {
    // Act
    const res = await send(system, 'POST', '/admin/jobs', { ...cookie, origin: 'http://localhost' }, {});

    // Assess
    expect(res.status).toBe(200);
  });

  it.each([
    ['without an Origin', {}],
    ['from another site', { origin: 'https://evil.example' }],
  ])(
    'refuses a post carrying only the cookie %s, which another site could have made',
    async (_what, extra) => {
      // Act
      const res = await send(system, 'POST', '/admin/jobs', { ...cookie, ...extra }, {});

      // Assess
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(
        /cookie is accepted on GET, and on other requests only from this site/,
      );
    },
  );
});

describe('an admin manages the users', () => {
  let system: LocalSystem;
  let api: ApiClient;
  const investorCode = withCreditCodeCheck('91320115MA5EF0005');

  beforeAll(async () => {
    system = await startTestSystem();
    api = new ApiClient(system);
  });
  afterAll(async () => {
    await system.stop();
  });

  it('lists the users a page at a time, following the cursor, with no password or hash anywhere', async () => {
    // Act
    const pages: any[] = [];
    let cursor: string | undefined;
    do {
      const res = await api.get(`/admin/users?limit=7${cursor ? `&cursor=${cursor}` : ''}`, 'admin');
      expect(res.status).toBe(200);
      pages.push(res.body);
      cursor = res.body.cursor;
    } while (cursor);

    // Assess
    const users = pages.flatMap((page) => page.users);
    expect(pages[0].users).toHaveLength(7);
    expect(new Set(users.map((u) => u.userId)).size).toBe(users.length);
    expect(users.map((u) => u.userId)).toEqual(expect.arrayContaining(seedUsers().map((u) => u.userId)));
    expect(users.find((u) => u.userId === 'agent-wang')).toEqual({
      userId: 'agent-wang',
      name: '王代办',
      role: 'agent',
      phone: '138-0000-1001',
      email: 'wang@daiban.local',
      disabled: false,
    });
    expect(JSON.stringify(pages)).not.toMatch(/scrypt|password/i);
  });

  it('creates an officer of a department, who signs in with the initial password and sees the inbox', async () => {
    // Act
    const created = await api.post('/admin/users', 'admin', {
      userId: 'officer-env-2',
      name: '生态环境局 第二窗口',
      role: 'officer',
      departmentId: 'ENV',
      email: 'env2@daiban.local',
      password: 'env window two password',
    });
    const signedIn = await login(system, 'officer-env-2', 'env window two password');
    const inbox = await send(system, 'GET', '/departments/ENV/inbox', bearer(signedIn.body.token));

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.user).toEqual({
      userId: 'officer-env-2',
      name: '生态环境局 第二窗口',
      role: 'officer',
      departmentId: 'ENV',
      email: 'env2@daiban.local',
      disabled: false,
    });
    expect(signedIn.status).toBe(200);
    expect(inbox.status).toBe(200);
  });

  it('creates an investor of an enterprise, who sees only that enterprise', async () => {
    // Act
    const created = await api.post('/admin/users', 'admin', {
      userId: 'investor-new',
      name: '新投资方',
      role: 'investor',
      enterpriseId: investorCode.toLowerCase(),
      password: 'investor password 1',
    });
    const signedIn = await login(system, 'investor-new', 'investor password 1');
    const projects = await send(system, 'GET', '/projects', bearer(signedIn.body.token));

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.user.enterpriseId).toBe(investorCode);
    expect(projects.status).toBe(200);
    expect(projects.body.projects).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an officer without a department', { role: 'officer' }, /an officer needs a departmentId/],
    [
      'an officer of an unknown department',
      { role: 'officer', departmentId: 'XYZ' },
      /unknown department 'XYZ'; departments: .*ENV/,
    ],
    ['an investor without an enterprise', { role: 'investor' }, /an investor needs an enterpriseId/],
    [
      'an investor with a wrong credit code',
      { role: 'investor', enterpriseId: `${investorCode.slice(0, 17)}0` },
      /invalid unified social credit code: wrong check character/,
    ],
    [
      'an agent with a department',
      { departmentId: 'ENV' },
      /only an officer belongs to a department; an agent has no departmentId/,
    ],
    [
      'a password under 12 characters',
      { password: 'too-short' },
      /body\.password: a password has at least 12 characters/,
    ],
    ['a name over 100 characters', { name: '名'.repeat(101) }, /body\.name/],
    ['an id with a space', { userId: 'agent wu' }, /body\.userId: a user id is letters, digits/],
    ["the system's own id", { userId: 'system' }, /'system' is reserved/],
    ['an unknown role', { role: 'mayor' }, /body\.role/],
    ['an e-mail that is none', { email: 'not-an-address' }, /body\.email/],
    ['an unknown field', { shoeSize: 42 }, /unknown field\(s\) 'shoeSize'/],
  ])('refuses to create %s (400), creating nothing', async (_what, overrides, message) => {
    // Prepare
    const userId = typeof overrides.userId === 'string' ? overrides.userId : 'agent-wu';

    // Act
    const res = await api.post('/admin/users', 'admin', {
      userId: 'agent-wu',
      name: '吴代办',
      role: 'agent',
      password: 'a fine long password',
      ...overrides,
    });
    const after = await api.get(`/admin/users/${encodeURIComponent(userId)}`, 'admin');

    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(after.status).not.toBe(200);
  });

  it('refuses an id that is taken (409), leaving that user as they were', async () => {
    // Act
    const res = await addAgent(api, 'agent-wang', '冒名', 'a fine long password');
    const wang = await login(system, 'agent-wang', DEMO_PASSWORD);

    // Assess
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/a user 'agent-wang' exists already/);
    expect(wang.status).toBe(200);
    expect(wang.body.user.name).toBe('王代办');
  });

  it('resets a password: the old one stops working, the new one works', async () => {
    // Prepare
    await addAgent(api, 'agent-sun', '孙代办', 'sun first password');

    // Act
    const reset = await api.call('PATCH', '/admin/users/agent-sun', 'admin', {
      password: 'sun second password',
    });
    const old = await login(system, 'agent-sun', 'sun first password');
    const fresh = await login(system, 'agent-sun', 'sun second password');

    // Assess
    expect(reset.status).toBe(200);
    expect(JSON.stringify(reset.body)).not.toMatch(/password|scrypt/);
    expect(old.status).toBe(401);
    expect(fresh.status).toBe(200);
  });

  it('disables a user: their sign-in and their token are refused at once; enabled again, they sign in again but the old token stays refused', async () => {
    // Prepare
    await addAgent(api, 'agent-qian', '钱代办', 'qian password one');
    const token = (await login(system, 'agent-qian', 'qian password one')).body.token;

    // Act
    const disabled = await api.call('PATCH', '/admin/users/agent-qian', 'admin', {
      disabled: true,
      name: '钱代办（停用）',
    });
    const signInWhileDisabled = await login(system, 'agent-qian', 'qian password one');
    const requestWhileDisabled = await send(system, 'GET', '/projects', bearer(token));
    const enabled = await api.call('PATCH', '/admin/users/agent-qian', 'admin', { disabled: false });
    const oldTokenAfter = await send(system, 'GET', '/projects', bearer(token));
    const signedInAgain = await login(system, 'agent-qian', 'qian password one');
    const requestAfter = await send(system, 'GET', '/projects', bearer(signedInAgain.body.token));

    // Assess
    expect(disabled.body.user).toMatchObject({ name: '钱代办（停用）', disabled: true });
    expect(signInWhileDisabled.status).toBe(401);
    expect(signInWhileDisabled.body.error.message).toBe(
      "the account 'agent-qian' is disabled; ask an admin to enable it",
    );
    expect(requestWhileDisabled.status).toBe(401);
    expect(enabled.body.user.disabled).toBe(false);
    expect(oldTokenAfter.status).toBe(401);
    expect(oldTokenAfter.body.error.code).toBe('AUTH.TOKEN_REVOKED');
    expect(requestAfter.status).toBe(200);
  });

  it('refuses, from the next request on, every token issued before a password reset; tokens issued after it work', async () => {
    // Prepare: two sessions of one user, and their pages read (so both tokens are in the verified-token cache)
    await addAgent(api, 'agent-zhou', '周代办', 'zhou first password');
    const before = [
      (await login(system, 'agent-zhou', 'zhou first password')).body.token,
      (await login(system, 'agent-zhou', 'zhou first password')).body.token,
    ];
    const readBefore = await Promise.all(
      before.map((token) => send(system, 'GET', '/projects', bearer(token))),
    );

    // Act
    await api.call('PATCH', '/admin/users/agent-zhou', 'admin', { password: 'zhou second password' });
    const readAfter = await Promise.all(
      before.map((token) => send(system, 'GET', '/projects', bearer(token))),
    );
    const fresh = (await login(system, 'agent-zhou', 'zhou second password')).body.token;
    const freshRead = await send(system, 'GET', '/projects', bearer(fresh));
    const renamed = await api.call('PATCH', '/admin/users/agent-zhou', 'admin', { name: '周代办（改名）' });
    const afterRename = await send(system, 'GET', '/projects', bearer(fresh));

    // Assess
    expect(readBefore.map((r) => r.status)).toEqual([200, 200]);
    expect(readAfter.map((r) => r.status)).toEqual([401, 401]);
    expect(readAfter[0]?.body.error).toEqual({
      code: 'AUTH.TOKEN_REVOKED',
      message:
        "the token was issued before the account's password was reset or the account was disabled; sign in again (POST /auth/login)",
    });
    expect(freshRead.status).toBe(200);
    expect(renamed.status).toBe(200);
    expect(afterRename.status).toBe(200);
  });

  it('will not let an admin disable their own account (403)', async () => {
    // Act
    const res = await api.call('PATCH', '/admin/users/admin', 'admin', { disabled: true });
    const still = await api.get('/admin/users/admin', 'admin');

    // Assess
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('you cannot disable your own account; another admin can');
    expect(still.body.user.disabled).toBe(false);
  });

  it.each<[string, string, string, unknown, number, RegExp]>([
    ['reading a user who does not exist', 'GET', '/admin/users/nobody', undefined, 404, /no user 'nobody'/],
    [
      'changing a user who does not exist',
      'PATCH',
      '/admin/users/nobody',
      { name: '无名' },
      404,
      /no user 'nobody'/,
    ],
    ['a change that changes nothing', 'PATCH', '/admin/users/agent-li', {}, 400, /say what to change/],
    [
      'a change of role',
      'PATCH',
      '/admin/users/agent-li',
      { role: 'leader' },
      400,
      /unknown field\(s\) 'role'/,
    ],
    ['a page over 100', 'GET', '/admin/users?limit=500', undefined, 400, /query\.limit/],
    [
      'a cursor it never gave out',
      'GET',
      '/admin/users?cursor=bm9wZQ',
      undefined,
      400,
      /cursor: invalid or expired page cursor; start again without it/,
    ],
  ])('answers %s with the refusal that fits', async (_what, method, path, body, status, message) => {
    // Act
    const res = await api.call(method, path, 'admin', body);

    // Assess
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
  });

  it.each([
    ['a leader', 'leader-zhang'],
    ['an agent', 'agent-wang'],
    ['an officer', 'officer-env'],
    ['an investor', 'investor-jinling'],
  ])('refuses %s every user route (403), changing nothing', async (_what, userId) => {
    // Act
    const answers = await Promise.all([
      api.get('/admin/users', userId),
      api.get('/admin/users/agent-li', userId),
      api.post('/admin/users', userId, {
        userId: 'agent-x',
        name: 'x',
        role: 'agent',
        password: 'a fine long password',
      }),
      api.call('PATCH', '/admin/users/agent-li', userId, { disabled: true }),
    ]);
    const li = await api.get('/admin/users/agent-li', 'admin');
    const x = await api.get('/admin/users/agent-x', 'admin');

    // Assess
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403]);
    expect(answers[0]?.body.error.message).toBe('only an admin may do this');
    expect(li.body.user.disabled).toBe(false);
    expect(x.status).toBe(404);
  });

  it('keeps passwords out of every answer it gives about users', async () => {
    // Act
    const bodies = await Promise.all([
      api.get('/admin/users?limit=100', 'admin'),
      api.get('/admin/users/agent-sun', 'admin'),
      send(system, 'GET', '/auth/users'),
      login(system, 'agent-sun', 'sun second password'),
      send(system, 'POST', '/auth/dev-token', {}, { userId: 'agent-sun' }),
    ]);

    // Assess
    for (const { body } of bodies)
      expect(JSON.stringify(body)).not.toMatch(/scrypt|passwordHash|second password/);
  });
});

describe('production mode', () => {
  const adminPassword = 'the first admin password';
  let system: LocalSystem;
  let tableName: string;

  beforeAll(async () => {
    const started = await startTestSystem({ mode: 'production', adminPassword });
    system = started;
    tableName = started.tableName;
  });
  afterAll(async () => {
    await system.stop();
  });

  it('has no dev tokens and no public list of users (404)', async () => {
    // Act
    const devToken = await send(system, 'POST', '/auth/dev-token', {}, { userId: 'admin' });
    const users = await send(system, 'GET', '/auth/users');

    // Assess
    expect(devToken.status).toBe(404);
    expect(users.status).toBe(404);
    expect(system.mode).toBe('production');
  });

  it('starts with the first admin alone, who signs in with DAIBAN_ADMIN_PASSWORD and creates the others', async () => {
    // Act
    const demo = await login(system, 'agent-wang', DEMO_PASSWORD);
    const signedIn = await login(system, FIRST_ADMIN_ID, adminPassword);
    const token = bearer(signedIn.body.token);
    const created = await send(system, 'POST', '/admin/users', token, {
      userId: 'leader-li',
      name: '李主任',
      role: 'leader',
      password: 'leader li password',
    });
    const users = await send(system, 'GET', '/admin/users', token);
    const projects = await send(
      system,
      'GET',
      '/projects',
      bearer((await login(system, 'leader-li', 'leader li password')).body.token),
    );

    // Assess
    expect(demo.status).toBe(401);
    expect(signedIn.status).toBe(200);
    expect(created.status).toBe(201);
    expect(users.body.users.map((u: { userId: string }) => u.userId).sort()).toEqual(['admin', 'leader-li']);
    expect(projects.body.projects).toEqual([]);
  });

  it('starts again on its table without the admin password, keeping the users it has', async () => {
    // Act
    const again = await startTestSystem({ mode: 'production', tableName });
    const signedIn = await login(again, 'leader-li', 'leader li password');
    await again.stop();

    // Assess
    expect(signedIn.status).toBe(200);
  });

  it('refuses to start on an empty table without the first admin password, naming the variable', async () => {
    // Act / Assess
    await expect(startTestSystem({ mode: 'production' })).rejects.toThrow(
      /Production mode on an empty table needs the first admin's password: set DAIBAN_ADMIN_PASSWORD/,
    );
    await expect(startTestSystem({ mode: 'production', adminPassword: 'short' })).rejects.toThrow(
      'DAIBAN_ADMIN_PASSWORD: a password has at least 12 characters',
    );
  });

  it('refuses a demo start on its table, which would add users with the published password', async () => {
    // Act / Assess
    await expect(startTestSystem({ tableName })).rejects.toThrow(
      /This data was set up in production mode since .*--production/,
    );
  });

  it('refuses to start on demo data, whose users sign in with the published password', async () => {
    // Prepare
    const demo = await startTestSystem();
    await demo.stop();

    // Act / Assess
    await expect(
      startTestSystem({ mode: 'production', adminPassword, tableName: demo.tableName }),
    ).rejects.toThrow(/This data was set up in demo mode since .*use another DAIBAN_DATA_DIR/);
  });
});
