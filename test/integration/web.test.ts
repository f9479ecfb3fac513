import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { formatProjectCode } from '../../shared/domain/project-code.js';
import { chinaDate } from '../../shared/domain/working-days.js';
import { allSteps, driveProject } from '../support/drive.js';
import { APPROVAL, projectRegistration, submissionOf, TEST_DOCUMENT } from '../support/fixtures.js';
import { startTestSystem, useTestSystem } from '../support/local-system.js';
import { pageSession } from '../support/page-session.js';

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

  it('prints the 一次性告知书 with numbered rows and a way to resubmit a person can follow, and the 受理通知书 with the materials received by name', async () => {
    // Prepare
    const { projectId } = await projectWaitingOnSupplement();
    const documents = (await t.api.get(`/projects/${projectId}/documents`, 'agent-wang')).body
      .documents as Array<{
      docId: string;
      kind: string;
    }>;
    const notice = documents.find((d) => d.kind === 'supplement_notice');
    await t.api.post(`/projects/${projectId}/steps/7/resubmission`, 'agent-wang', {
      supplied: ['公众参与说明', '大气环境影响预测'],
    });

    // Act
    const noticeJson = await t.api.get(`/projects/${projectId}/documents/${notice?.docId}`, 'agent-wang');
    const noticePage = String(
      (await t.api.get(`/projects/${projectId}/documents/${notice?.docId}?format=html`, 'agent-wang')).body,
    );
    const acceptance = await t.api.get(`/app/projects/${projectId}/steps/7/acceptance`, 'agent-wang');
    const acceptancePage = String(acceptance.body);

    // Assess
    expect(noticeJson.body.document.fields.materials.map((m: { no: number }) => m.no)).toEqual([1, 2]);
    expect(noticePage).toContain('序号');
    expect(noticePage).not.toContain('POST /');
    expect(noticePage).toContain('一次提交补正');
    expect(acceptance.status).toBe(200);
    expect(acceptancePage).toContain('已收材料');
    expect(acceptancePage).not.toContain('需补正材料');
    expect(acceptancePage).not.toMatch(/eia-report|[a-z]+-[a-z]+-?[a-z]*、/);
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

    const notForRole = await page('/app/admin', cookie);
    const audit = await t.api.get(
      `/admin/audit?date=${chinaDate(t.system.ctx.clock.now())}&limit=100`,
      'admin',
    );

    // Assess
    expect(forged.status).toBe(403);
    expect(allSteps(view.body).find((s) => s.stepId === '1')?.status).toBe('in_review');
    // page refusals go to the audit trail as the API's do: the forged form and a page not for the role
    expect(notForRole.status).toBe(403);
    const denials = audit.body.denials as Array<{ code: string; path: string; userId: string }>;
    expect(denials.some((d) => d.code === 'PAGE.CROSS_SITE_FORM' && d.path === '/app/inbox/decide')).toBe(
      true,
    );
    expect(denials.some((d) => d.code === 'PAGE.NOT_FOR_ROLE' && d.userId === 'officer-drc')).toBe(true);
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
      documentDate: TEST_DOCUMENT.date,
    });
    await t.system.engine.settled();
    const view = await t.api.get(`/projects/${projectId}`, 'leader-zhang');

    // Assess
    expect(refused.status).toBe(400);
    expect(refusedPage).toContain('附加条件：至少填写一项');
    expect(refusedPage).toContain('<details open=""');
    expect([accepted.status, accepted.headers.get('location')]).toEqual([303, '/app/inbox']);
    expect(allSteps(view.body).find((s) => s.stepId === '1')?.status).toBe('approved');
  });

  it('lets the convener reschedule and cancel a meeting from its page, showing the reason for a refusal', async () => {
    // Prepare: a meeting on a step in review, a day ahead
    const created = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '改期演示项目' }),
    );
    const projectId = created.body.projectId as string;
    await driveProject(t.system, t.api, projectId, { leave: ['7'] });
    const meeting = await t.api.post('/meetings', 'leader-zhang', {
      title: '改期演示联审会',
      agenda: [{ projectId, stepId: '7' }],
      scheduledAt: new Date(t.system.ctx.clock.now().getTime() + 86_400_000).toISOString(),
      place: '三楼会议室',
    });
    const meetingId = meeting.body.meeting.meetingId as string;
    const cookie = await signIn('leader-zhang');

    // Act
    const toPast = await post(`/app/meetings/${meetingId}/reschedule`, cookie, {
      scheduledAt: '2026-01-05T09:30',
      reason: '提前',
    });
    const cancelled = await post(`/app/meetings/${meetingId}/cancellation`, cookie, {
      reason: '部门已直接办结',
    });
    const stored = (await t.api.get(`/meetings/${meetingId}`, 'leader-zhang')).body.meeting;

    // Assess
    expect(toPast.status).toBe(400);
    expect(await toPast.text()).toContain('会议时间必须在将来');
    expect(cancelled.status).toBe(303);
    expect(stored).toMatchObject({ status: 'cancelled', cancelled: { reason: '部门已直接办结' } });
  });

  it('lets the admin create a user, reset their password and disable them on the administration page', async () => {
    // Prepare
    const cookie = await signIn('admin');

    // Act
    const created = await post('/app/admin/users', cookie, {
      userId: 'officer-page',
      name: '页面新建经办人',
      role: 'officer',
      departmentId: 'ENV',
      password: 'page-made-password-1',
    });
    const tooShort = await post('/app/admin/users/officer-page', cookie, { password: 'short' });
    const reset = await post('/app/admin/users/officer-page', cookie, { password: 'page-reset-password-2' });
    const withNew = await signInForm({ userId: 'officer-page', password: 'page-reset-password-2', next: '' });
    const disabled = await post('/app/admin/users/officer-page', cookie, { disabled: 'true' });
    const afterDisable = await signInForm({
      userId: 'officer-page',
      password: 'page-reset-password-2',
      next: '',
    });
    const asOfficer = await post('/app/admin/users', await signIn('officer-drc'), {
      userId: 'x-nope',
      name: 'x',
      role: 'admin',
      password: 'page-made-password-1',
    });

    // Assess
    expect(created.status).toBe(303);
    expect(tooShort.status).toBe(400);
    expect(reset.status).toBe(303);
    expect(withNew.headers.get('set-cookie') ?? '').toMatch(/daiban_session=/);
    expect(disabled.status).toBe(303);
    expect(afterDisable.headers.get('set-cookie') ?? '').not.toMatch(/daiban_session=[^;]/);
    expect(asOfficer.status).toBe(403);
    const profile = (await t.api.get('/admin/users/officer-page', 'admin')).body.user;
    expect(profile).toMatchObject({ role: 'officer', departmentId: 'ENV', disabled: true });
  });

  it('lets the admin change the SLA policy on the administration page, applied at once', async () => {
    // Prepare
    const cookie = await signIn('admin');
    const policy = (await t.api.get('/sla-policy')).body.policy;
    const page = await (await t.system.app.request('/app/admin', { headers: { cookie } })).text();

    // Act
    const broken = await post('/app/admin/sla-policy', cookie, { policy: '{"yellowDaysLeft": ' });
    const saved = await post('/app/admin/sla-policy', cookie, {
      policy: JSON.stringify({ ...policy, yellowDaysLeft: 2 }),
    });
    const after = (await t.api.get('/sla-policy')).body.policy;
    await post('/app/admin/sla-policy', cookie, { policy: JSON.stringify(policy) });

    // Assess
    expect(page).toContain('时限监察规则');
    expect(broken.status).toBe(400);
    expect(saved.status).toBe(303);
    expect(after.yellowDaysLeft).toBe(2);
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

describe('the security headers of the pages', () => {
  const t = useTestSystem();
  const styleHashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

  /** Every page kind: public, sign-in, each signed-in role's, the weekly report and a printable document. */
  async function pages(): Promise<Array<[string, Response]>> {
    const projectId = (await t.api.post('/projects', 'agent-wang', projectRegistration())).body.projectId;
    await driveProject(t.system, t.api, projectId, {
      stop: (v) => allSteps(v).some((s) => s.stepId === '1' && s.status === 'approved'),
    });
    await t.system.engine.settled();
    // a supplement notice (补正通知书): a printable document
    await t.api.post(`/projects/${projectId}/steps/7/submission`, 'agent-wang', submissionOf('7'));
    await t.api.post(`/projects/${projectId}/steps/7/decision`, 'officer-env', {
      outcome: 'supplement',
      missingMaterials: [{ name: '公众参与说明', reason: '未附公示截图' }],
    });
    const docId = (await t.api.get(`/projects/${projectId}/documents`, 'agent-wang')).body.documents[0].docId;
    const week = (await t.api.post('/admin/reports/weekly', 'admin', {})).body.report.week;
    const cookieOf = async (userId: string) =>
      `daiban_session=${(await t.api.post('/auth/login', undefined, { userId, password: DEMO_PASSWORD })).body.token}`;
    const leader = await cookieOf('leader-zhang');
    const agent = await cookieOf('agent-wang');
    const paths: Array<[string, string | undefined]> = [
      ['/', undefined],
      ['/guide', undefined],
      ['/sign-in', undefined],
      ['/lookup', undefined],
      ['/app/dashboard', leader],
      ['/app/reports/weekly', leader],
      [`/reports/weekly/${week}?format=html`, leader],
      ['/app/work', agent],
      [`/app/projects/${projectId}`, agent],
      [`/projects/${projectId}/documents/${docId}?format=html`, agent],
      ['/no-such-page', undefined],
    ];
    return Promise.all(
      paths.map(
        async ([path, cookie]) =>
          [path, await t.system.app.request(path, { headers: cookie ? { cookie } : {} })] as [
            string,
            Response,
          ],
      ),
    );
  }

  it('sends a strict Content-Security-Policy that allows each page its own styles and nothing else, on every page', async () => {
    // Act
    const answers = await pages();

    // Assess
    const styles = new Set<string>();
    for (const [path, res] of answers) {
      const csp = res.headers.get('content-security-policy') ?? '';
      const html = await res.text();
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("script-src 'none'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("form-action 'self'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(html, path).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
      for (const [, style] of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)) {
        expect(csp, `${path}: a <style> the policy does not allow`).toContain(styleHashOf(style ?? ''));
        styles.add(style ?? '');
      }
    }
    expect(styles.size).toBe(3); // the site's, the weekly report's, the printable document's
    expect(
      answers.filter(([, res]) => res.status !== 200).map(([path, res]) => `${path} ${res.status}`),
    ).toEqual(['/no-such-page 404']);
  });

  it('forbids framing, sniffing and sending the address to other sites, on pages and on the API', async () => {
    // Act
    const signIn = await t.system.app.request('/sign-in');
    const api = await t.system.app.request('/projects');

    // Assess
    for (const res of [signIn, api]) {
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    expect(api.status).toBe(401);
  });
});

describe('the efficiency complaint pages (行政效能投诉)', () => {
  const t = useTestSystem();

  const { signIn, page, post } = pageSession(t);

  /** A project of 金陵 whose filing (step 1, the development and reform bureau) is open. */
  async function projectWithStepOneOpen(name: string) {
    const created = await t.api.post('/projects', 'agent-wang', projectRegistration({ name }));
    await t.system.engine.settled();
    return created.body.projectId as string;
  }

  /** Files a complaint on step 1 through the project page's form; returns its id (as the office lists it). */
  async function fileOnPage(projectId: string, cookie: string) {
    const filed = await post(`/app/projects/${projectId}/complaints`, cookie, {
      step: '1',
      category: 'shifting_responsibility',
      description: '窗口称须先到自然资源局开具证明，与办事指南不符',
    });
    expect([filed.status, filed.headers.get('location')]).toEqual([303, `/app/projects/${projectId}`]);
    const listed = await t.api.get('/complaints', 'efficiency-office');
    const complaint = listed.body.complaints.find((c: { projectId: string }) => c.projectId === projectId);
    return { complaintId: complaint.complaintId as string, number: complaint.number as string };
  }

  it('files a complaint from the project page, showing the form again with the reason when it is refused', async () => {
    // Prepare
    const projectId = await projectWithStepOneOpen('投诉表单项目');
    const investor = await signIn('investor-jinling');

    // Act
    const form = await page(`/app/projects/${projectId}`, investor);
    const refused = await post(`/app/projects/${projectId}/complaints`, investor, {
      step: '1',
      category: 'delay',
      description: '太慢',
    });
    const refusedPage = await refused.text();
    const { number } = await fileOnPage(projectId, investor);
    const after = await page(`/app/projects/${projectId}`, investor);

    // Assess
    expect(form.text).toContain(`action="/app/projects/${projectId}/complaints"`);
    expect(refused.status).toBe(400);
    expect(refusedPage).toContain('描述：至少 10 个字');
    expect(refusedPage).toContain('太慢');
    expect(number).toMatch(/^效能投诉〔\d{4}〕第\d{4}号$/);
    expect(after.text).toContain(number);
    expect(after.text).toContain('已投诉');
  });

  it('shows an investor only their own complaints, and a department never who complained', async () => {
    // Prepare
    const projectId = await projectWithStepOneOpen('投诉可见性项目');
    const { number } = await fileOnPage(projectId, await signIn('investor-jinling'));

    // Act
    const own = await page('/app/complaints', await signIn('investor-jinling'));
    const other = await page('/app/complaints', await signIn('investor-qinhuai'));
    const department = await page('/app/complaints', await signIn('officer-drc'));
    const elsewhere = await page('/app/complaints', await signIn('officer-env'));
    const office = await page('/app/complaints', await signIn('efficiency-office'));

    // Assess
    expect([own.status, own.text.includes(number)]).toEqual([200, true]);
    expect(other.text).not.toContain(number);
    expect([department.status, department.text.includes(number)]).toEqual([200, true]);
    expect(department.text).not.toContain('金陵智能 投资方');
    expect(department.text).not.toContain('investor-jinling');
    expect(elsewhere.text).not.toContain(number);
    expect(office.text).toContain('金陵智能 投资方');
    expect(office.text).toContain('data-handle="acknowledge"');
  });

  it('lets the efficiency office acknowledge, investigate and close a complaint through its forms, and no one else', async () => {
    // Prepare
    const projectId = await projectWithStepOneOpen('投诉办结项目');
    const { complaintId, number } = await fileOnPage(projectId, await signIn('investor-jinling'));
    const office = await signIn('efficiency-office');
    const investor = await signIn('investor-jinling');

    // Act
    const byInvestor = await post(`/app/complaints/${complaintId}/acknowledge`, investor, {});
    const tooEarly = await post(`/app/complaints/${complaintId}/close`, office, {
      finding: 'upheld',
      actionTaken: '约谈窗口负责人',
    });
    const acknowledged = await post(`/app/complaints/${complaintId}/acknowledge`, office, { note: '已受理' });
    const investigating = await post(`/app/complaints/${complaintId}/investigate`, office, {});
    const noFinding = await post(`/app/complaints/${complaintId}/close`, office, {
      actionTaken: '约谈窗口负责人',
    });
    const noFindingPage = await noFinding.text();
    const closed = await post(`/app/complaints/${complaintId}/close`, office, {
      finding: 'upheld',
      actionTaken: '约谈窗口负责人，责令当场受理',
    });
    const seen = await t.api.get(`/complaints/${complaintId}`, 'investor-jinling');
    const department = await page('/app/complaints', await signIn('officer-drc'));
    const figures = await page('/app/reports/complaints', office);
    const figuresForInvestor = await page('/app/reports/complaints', investor);
    const weekly = await page('/app/reports/weekly', office);

    // Assess
    expect(byInvestor.status).toBe(403);
    expect(tooEarly.status).toBe(409);
    expect([acknowledged.status, investigating.status]).toEqual([303, 303]);
    expect(noFinding.status).toBe(400);
    expect(noFindingPage).toContain('请选择调查结论');
    expect(noFindingPage).toContain('约谈窗口负责人');
    expect([closed.status, closed.headers.get('location')]).toEqual([303, '/app/complaints']);
    expect(seen.body.complaint).toMatchObject({ status: 'closed', finding: 'upheld', closedOnTime: true });
    expect(department.text).toContain('约谈窗口负责人，责令当场受理');
    expect(department.text).toContain(number);
    expect(figures.status).toBe(200);
    expect(figures.text).toContain('data-department="DRC"');
    expect(figures.text).toMatch(/data-testid="complaint-on-time">100%/);
    expect(figuresForInvestor.status).toBe(403);
    expect(weekly.status).toBe(200);
  });
});

describe('容缺, 告知承诺 and approval documents on the pages', () => {
  const t = useTestSystem();

  const { signIn, page, post } = pageSession(t);

  /** Filing approved (step 1); the site selection (2) accepted without the power of attorney (容缺). */
  async function projectWithDeferredMaterial(name: string) {
    const created = await t.api.post('/projects', 'agent-wang', projectRegistration({ name }));
    const projectId = created.body.projectId as string;
    await t.system.engine.settled();
    await t.api.post(`/projects/${projectId}/steps/1/submission`, 'agent-wang', submissionOf('1'));
    await t.api.post(`/projects/${projectId}/steps/1/decision`, 'officer-drc', APPROVAL);
    await t.system.engine.settled();
    await t.api.post(`/projects/${projectId}/steps/2/submission`, 'agent-wang', {
      materials: submissionOf('2').materials.filter((m) => m !== 'power-of-attorney'),
    });
    return { projectId, code: created.body.code as string };
  }

  it('lists the approvals with their documents and the deferred material, which the agent supplies on the page', async () => {
    // Prepare
    const { projectId } = await projectWithDeferredMaterial('容缺页面项目');
    const agent = await signIn('agent-wang');

    // Act
    const investorView = await page(`/app/projects/${projectId}`, await signIn('investor-jinling'));
    const before = await page(`/app/projects/${projectId}`, agent);
    const nothingTicked = await post(`/app/projects/${projectId}/steps/2/deferred`, agent, {});
    const byInvestor = await post(
      `/app/projects/${projectId}/steps/2/deferred`,
      await signIn('investor-jinling'),
      {
        supplied: 'power-of-attorney',
      },
    );
    const supplied = await post(`/app/projects/${projectId}/steps/2/deferred`, agent, {
      supplied: 'power-of-attorney',
    });
    const after = await page(`/app/projects/${projectId}`, agent);

    // Assess
    expect(investorView.text).toContain(TEST_DOCUMENT.number);
    expect(investorView.text).toContain(`/projects/${projectId}/approvals.csv`);
    expect(investorView.text).toContain('授权委托书及代办人身份证明');
    expect(investorView.text).not.toContain(`/app/projects/${projectId}/steps/2/deferred`);
    expect(before.text).toContain(`action="/app/projects/${projectId}/steps/2/deferred"`);
    expect(nothingTicked.status).toBe(400);
    expect(byInvestor.status).toBe(403);
    expect([supplied.status, supplied.headers.get('location')]).toEqual([303, `/app/projects/${projectId}`]);
    expect(after.text).toContain('容缺材料已全部补交');
    expect(after.text).not.toContain(`action="/app/projects/${projectId}/steps/2/deferred"`);
  });

  it('shows the national project code, with the provisional one it replaced', async () => {
    // Prepare
    const created = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '赋码页面项目' }),
    );
    const projectId = created.body.projectId as string;
    const national = formatProjectCode({
      year: 2026,
      regionCode: '320115',
      industryCode: '47',
      typeCode: '01',
      serial: 45678,
    });
    const before = await page(`/app/projects/${projectId}`, await signIn('agent-wang'));
    await t.api.put(`/projects/${projectId}/code`, 'officer-drc', { code: national });

    // Act
    const after = await page(`/app/projects/${projectId}`, await signIn('investor-jinling'));

    // Assess
    expect(before.text).toContain('临时码');
    expect(after.text).toContain(`data-testid="project-code">${national}`);
    expect(after.text).toContain('全国投资项目平台赋码');
    expect(after.text).toContain(created.body.code);
  });

  it('shows the department an approval on commitment due for verification, verified through its form', async () => {
    // Prepare
    const { projectId, code } = await projectWithDeferredMaterial('告知承诺页面项目');
    await t.api.post(`/projects/${projectId}/steps/8/submission`, 'agent-wang', {
      materials: submissionOf('8').materials.filter((m) => m !== 'swc-review-opinion'),
      commitment: { signatory: '张明（法定代表人）', signedOn: chinaDate(t.system.ctx.clock.now()) },
    });
    await t.api.post(`/projects/${projectId}/steps/8/decision`, 'officer-wat', APPROVAL);
    await t.system.engine.settled();
    const officer = await signIn('officer-wat');

    // Act
    const inbox = await page('/app/inbox', officer);
    const elsewhere = await page('/app/inbox', await signIn('officer-env'));
    const noFindings = await post('/app/inbox/verify', officer, { projectId, stepId: '8', result: 'passed' });
    const verified = await post('/app/inbox/verify', officer, {
      projectId,
      stepId: '8',
      result: 'passed',
      findings: '现场核查水土保持措施与承诺一致',
    });
    const after = await page('/app/inbox', officer);
    const project = await page(`/app/projects/${projectId}`, await signIn('agent-wang'));

    // Assess
    expect(inbox.text).toContain(`data-verify="${code}:8"`);
    expect(inbox.text).toContain('水土保持方案技术评审意见');
    expect(elsewhere.text).not.toContain(`data-verify="${code}:8"`);
    expect(noFindings.status).toBe(400);
    expect(await noFindings.text()).toContain('<details open=""');
    expect([verified.status, verified.headers.get('location')]).toEqual([303, '/app/inbox']);
    expect(after.text).not.toContain(`data-verify="${code}:8"`);
    expect(project.text).toContain('核查通过');
  });

  it('carries a large project’s EIA to the city in a batch and records its approval, all on the agent’s pages', async () => {
    // Prepare
    const created = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '组批页面项目', attributes: { eiaReportBook: true } }),
    );
    const projectId = created.body.projectId as string;
    await driveProject(t.system, t.api, projectId, {
      stop: (v) => allSteps(v).some((s) => s.stepId === '7' && s.status === 'ready'),
    });
    const agent = await signIn('agent-wang');

    // Act
    const workbench = await page('/app/work', agent);
    const byInvestor = await page('/app/batches', await signIn('investor-jinling'));
    const assembled = await post('/app/batches', agent, {
      departmentId: 'ENV_CITY',
      item: `${projectId}:7`,
    });
    const batchId = (await t.api.get('/batches', 'agent-wang')).body.batches[0].batchId as string;
    const carried = await post(`/app/batches/${batchId}/carried`, agent, { carriedAt: '' });
    const inReview = allSteps((await t.api.get(`/projects/${projectId}`, 'agent-wang')).body).find(
      (s) => s.stepId === '7',
    )?.status;
    const noNumber = await post(`/app/batches/${batchId}/collection`, agent, {
      itemId: '1',
      'number-1': '',
      'date-1': TEST_DOCUMENT.date,
    });
    const collected = await post(`/app/batches/${batchId}/collection`, agent, {
      itemId: '1',
      'number-1': '宁环建〔2026〕118号',
      'date-1': TEST_DOCUMENT.date,
    });
    await t.system.engine.settled();
    const project = await page(`/app/projects/${projectId}`, agent);

    // Assess
    expect(workbench.text).toContain('data-batchable="ENV_CITY"');
    expect(byInvestor.status).toBe(403);
    expect([assembled.status, carried.status]).toEqual([303, 303]);
    expect(inReview).toBe('in_review');
    expect(noNumber.status).toBe(400);
    expect(await noNumber.text()).toContain('<details open=""');
    expect([collected.status, collected.headers.get('location')]).toEqual([303, '/app/batches']);
    expect(project.text).toContain('宁环建〔2026〕118号');
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
