import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { formatProjectCode } from '../../shared/domain/project-code.js';
import { chinaDate } from '../../shared/domain/working-days.js';
import { allSteps, driveProject } from '../support/drive.js';
import { projectRegistration, submissionOf } from '../support/fixtures.js';
import { startTestSystem, useTestSystem } from '../support/local-system.js';

const ORIGIN = 'http://localhost';

describe('the public progress lookup, the workbench and the weekly report (API)', () => {
  const t = useTestSystem();

  /** A project whose EIA (step 7) waits on a supplement listing two materials at once. */
  async function projectWaitingOnSupplement() {
    const created = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '补正演示项目' }),
    );
    const projectId = created.body.projectId as string;
    await driveProject(t.system, t.api, projectId, {
      stop: (v) => allSteps(v).some((s) => s.stepId === '7' && s.status === 'ready'),
    });
    await t.api.post(`/projects/${projectId}/steps/7/submission`, 'agent-wang', submissionOf('7'));
    await t.api.post(`/projects/${projectId}/steps/7/decision`, 'officer-env', {
      outcome: 'supplement',
      missingMaterials: [
        { name: '公众参与说明', reason: '未附公示截图' },
        { name: '大气环境影响预测', reason: '缺少预测章节' },
      ],
    });
    return { projectId, code: created.body.code as string };
  }

  it('shows anyone a project’s stages and step statuses by its code, and nothing internal', async () => {
    // Prepare
    const { code } = await projectWaitingOnSupplement();

    // Act
    const found = await t.api.get(`/public/projects/${code}`);
    const malformed = await t.api.get(`/public/projects/${code.slice(0, 23)}0`);
    const unknown = await t.api.get(
      `/public/projects/${formatProjectCode({ year: 2020, regionCode: '320115', industryCode: '39', typeCode: '01', serial: 1 })}`,
    );

    // Assess
    expect(found.status).toBe(200);
    expect(found.body.code).toBe(code);
    const step7 = found.body.stages[0].steps.find((s: { stepId: string }) => s.stepId === '7');
    expect(step7).toEqual({
      stepId: '7',
      name: expect.any(String),
      nameEn: expect.any(String),
      departmentName: expect.any(String),
      departmentNameEn: expect.any(String),
      status: 'supplement_requested',
    });
    const keys = new Set<string>();
    JSON.stringify(found.body, (key, value) => {
      keys.add(key);
      return value;
    });
    for (const internal of [
      'enterpriseName',
      'enterpriseId',
      'agentId',
      'missingMaterials',
      'dueDate',
      'clock',
    ]) {
      expect(keys.has(internal)).toBe(false);
    }
    expect(JSON.stringify(found.body)).not.toContain('公众参与说明');
    expect([malformed.status, malformed.body.error.message]).toEqual([
      400,
      expect.stringContaining('check character'),
    ]);
    expect(unknown.status).toBe(404);
  });

  it("lists what is due from the agent, the supplement notice's full list included, and refuses investors", async () => {
    // Prepare
    const { projectId } = await projectWaitingOnSupplement();

    // Act
    const work = await t.api.get('/me/work', 'agent-wang');
    const investor = await t.api.get('/me/work', 'investor-jinling');

    // Assess
    expect(work.status).toBe(200);
    const supplement = work.body.todo.find(
      (i: { projectId: string; kind: string }) => i.projectId === projectId && i.kind === 'supplement',
    );
    expect(supplement.stepId).toBe('7');
    expect(supplement.materials.map((m: { name: string }) => m.name)).toEqual([
      '公众参与说明',
      '大气环境影响预测',
    ]);
    expect(work.body.workload.todo).toBe(work.body.todo.length);
    expect(investor.status).toBe(403);
  });

  it('generates a week’s report once per week, for leaders to read as JSON and CSV, and not for departments', async () => {
    // Prepare
    await projectWaitingOnSupplement();
    const week = '2026-W47';

    // Act
    const first = await t.api.post('/admin/reports/weekly', 'admin', { week });
    const again = await t.api.post('/admin/reports/weekly', 'admin', { week });
    const list = await t.api.get('/reports/weekly', 'leader-zhang');
    const json = await t.api.get(`/reports/weekly/${week}`, 'leader-zhang');
    const csv = await t.api.get(`/reports/weekly/${week}?format=csv`, 'leader-zhang');
    const officer = await t.api.get(`/reports/weekly/${week}`, 'officer-env');
    const byLeader = await t.api.post('/admin/reports/weekly', 'leader-zhang', { week });
    const badWeek = await t.api.get('/reports/weekly/2026-W99', 'leader-zhang');

    // Assess
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(list.body.reports.filter((r: { week: string }) => r.week === week)).toHaveLength(1);
    expect(json.body.report).toMatchObject({ week, from: '2026-11-16', to: '2026-11-22' });
    expect(Object.keys(json.body.report.caseKinds).sort()).toEqual([
      'instant',
      'joint',
      'promised',
      'returned',
      'supplement',
    ]);
    expect(csv.status).toBe(200);
    expect(String(csv.body)).toContain('即办件');
    expect(officer.status).toBe(403);
    expect(byLeader.status).toBe(403);
    expect(badWeek.status).toBe(400);
  });
});

describe('the pages', () => {
  const t = useTestSystem();

  const signInForm = (form: Record<string, string>, path = '/sign-in') =>
    t.system.app.request(path, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  /** Signs in with a demo user's password on the sign-in page; returns the session cookie. */
  async function signIn(userId: string): Promise<string> {
    const res = await signInForm({ userId, password: DEMO_PASSWORD, next: '' });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/daiban_session=[^;]+;.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    return cookie.split(';')[0] ?? '';
  }

  const page = (path: string, cookie?: string) =>
    t.system.app.request(path, { headers: cookie ? { cookie } : {} });
  const post = (path: string, cookie: string, form: Record<string, string>, origin = ORIGIN) =>
    t.system.app.request(path, {
      method: 'POST',
      headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  it('sends a visitor to sign in, then to the page of their role', async () => {
    // Prepare
    const cookie = await signIn('officer-env');

    // Act
    const anonymous = await page('/app/inbox');
    const home = await page('/app', cookie);
    const inbox = await page('/app/inbox', cookie);

    // Assess
    expect([anonymous.status, anonymous.headers.get('location')]).toEqual([
      303,
      '/sign-in?next=%2Fapp%2Finbox',
    ]);
    expect(home.headers.get('location')).toBe('/app/inbox');
    expect(inbox.status).toBe(200);
    expect(await inbox.text()).toContain('生态环境局');
  });

  it('signs in with a password through the API’s sign-in, one session cookie the API takes as well', async () => {
    // Prepare
    const wrong = await signInForm({ userId: 'officer-env', password: 'not-the-password', next: '' });
    const cookie = await signIn('officer-env');

    // Act
    const api = await page('/departments/ENV/inbox', cookie);
    const signedOut = await post('/sign-out', cookie, {});
    const cleared = signedOut.headers.get('set-cookie') ?? '';

    // Assess
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie') ?? '').not.toContain('daiban_session');
    expect(await wrong.text()).toContain('用户名或密码错误');
    expect(api.status).toBe(200);
    expect(cleared).toMatch(/daiban_session=;.*Max-Age=0/i);
  });

  it('offers the demo users in demo mode, each signing in without a password', async () => {
    // Prepare
    const signInPage = await (await page('/sign-in')).text();

    // Act
    const res = await signInForm({ userId: 'leader-zhang', next: '' }, '/sign-in/demo');

    // Assess
    expect(signInPage).toContain('data-user="leader-zhang"');
    expect([res.status, res.headers.get('location')]).toEqual([303, '/app/dashboard']);
    expect(res.headers.get('set-cookie') ?? '').toMatch(/daiban_session=[^;]+;/);
  });

  it('refuses a form posted from another site, changing nothing', async () => {
    // Prepare
    const created = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '跨站演示项目' }),
    );
    const projectId = created.body.projectId as string;
    await driveProject(t.system, t.api, projectId, {
      stop: (v) => allSteps(v).some((s) => s.stepId === '1' && s.status === 'in_review'),
    });
    const cookie = await signIn('officer-drc');

    // Act
    const forged = await post(
      '/app/inbox/decide',
      cookie,
      { projectId, stepId: '1', outcome: 'approved' },
      'https://evil.example',
    );
    const view = await t.api.get(`/projects/${projectId}`, 'leader-zhang');

    // Assess
    expect(forged.status).toBe(403);
    expect(allSteps(view.body).find((s) => s.stepId === '1')?.status).toBe('in_review');
  });

  it('shows the decision form again with the reason when a decision is refused, and decides once it is right', async () => {
    // Prepare
    const created = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '决定演示项目' }),
    );
    const projectId = created.body.projectId as string;
    await driveProject(t.system, t.api, projectId, {
      stop: (v) => allSteps(v).some((s) => s.stepId === '1' && s.status === 'in_review'),
    });
    const cookie = await signIn('officer-drc');

    // Act
    const refused = await post('/app/inbox/decide', cookie, {
      projectId,
      stepId: '1',
      partId: '',
      outcome: 'approved_with_conditions',
      conditions: '',
    });
    const refusedPage = await refused.text();
    const accepted = await post('/app/inbox/decide', cookie, {
      projectId,
      stepId: '1',
      partId: '',
      outcome: 'approved_with_conditions',
      conditions: '开工前完成节能评估备案',
      documentNumber: '宁发改备〔2026〕12号',
      documentDate: '2026-03-02',
    });
    await t.system.engine.settled();
    const view = await t.api.get(`/projects/${projectId}`, 'leader-zhang');

    // Assess
    expect(refused.status).toBe(400);
    expect(refusedPage).toContain('list at least one condition');
    expect(refusedPage).toContain('<details open=""');
    expect([accepted.status, accepted.headers.get('location')]).toEqual([303, '/app/inbox']);
    expect(allSteps(view.body).find((s) => s.stepId === '1')?.status).toBe('approved');
  });

  it("keeps an investor to their own enterprise's projects, as the API does", async () => {
    // Prepare
    const created = await t.api.post('/projects', 'agent-wang', projectRegistration({ name: '金陵项目' }));
    const projectId = created.body.projectId as string;
    const own = await signIn('investor-jinling');
    const other = await signIn('investor-qinhuai');

    // Act
    const mine = await page(`/app/projects/${projectId}`, own);
    const theirs = await page(`/app/projects/${projectId}`, other);
    const today = chinaDate(t.system.ctx.clock.now());
    const audit = await t.api.get(`/admin/audit?date=${today}`, 'admin');

    // Assess
    expect(mine.status).toBe(200);
    expect(await mine.text()).toContain('<svg');
    expect(theirs.status).toBe(404);
    expect(await theirs.text()).not.toContain('金陵项目');
    expect(audit.body.denials).toContainEqual(
      expect.objectContaining({
        userId: 'investor-qinhuai',
        path: `/app/projects/${projectId}`,
        as: 'not_found',
      }),
    );
  });
});

describe('the sign-in page in production mode', () => {
  const ADMIN_PASSWORD = 'a-long-admin-password-1';
  let system: LocalSystem;
  beforeAll(async () => {
    system = await startTestSystem({ mode: 'production', adminPassword: ADMIN_PASSWORD });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('lists no users and signs no one in without a password', async () => {
    // Prepare
    const form = (path: string, fields: Record<string, string>) =>
      system.app.request(path, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });

    // Act
    const signInPage = await (await system.app.request('/sign-in')).text();
    const demo = await form('/sign-in/demo', { userId: 'admin' });
    const admin = await form('/sign-in', { userId: 'admin', password: ADMIN_PASSWORD });

    // Assess
    expect(signInPage).toContain('name="password"');
    expect(signInPage).not.toContain('data-user=');
    expect(demo.status).toBe(404);
    expect(demo.headers.get('set-cookie') ?? '').not.toContain('daiban_session');
    expect([admin.status, admin.headers.get('location')]).toEqual([303, '/app/admin']);
  });
});
