import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import { allSteps, driveProject } from '../support/drive.js';
import { projectRegistration, TEST_DOCUMENT } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

const ORIGIN = 'http://localhost';

describe('a page form sent after the session ended', () => {
  const t = useTestSystem();

  const cookiesOf = (res: Response): Map<string, string> => {
    const jar = new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return jar;
  };
  const header = (jar: Record<string, string>) =>
    Object.entries(jar)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  const post = (path: string, cookie: string, form: Record<string, string>, referer?: string) =>
    t.system.app.request(path, {
      method: 'POST',
      headers: {
        cookie,
        origin: ORIGIN,
        ...(referer ? { referer: `${ORIGIN}${referer}` } : {}),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form).toString(),
    });
  const get = (path: string, cookie = '') =>
    t.system.app.request(path, { headers: cookie ? { cookie } : {} });

  async function signIn(userId: string, password: string, cookie = '', next = '') {
    const res = await post('/sign-in', cookie, { userId, password, next });
    const session = cookiesOf(res).get('daiban_session');
    expect(session, `signed in as ${userId}`).toBeTruthy();
    return { res, session: `daiban_session=${session}` };
  }

  async function stepOneInReview(name: string) {
    const created = await t.api.post('/projects', 'agent-wang', projectRegistration({ name }));
    const projectId = created.body.projectId as string;
    await driveProject(t.system, t.api, projectId, {
      stop: (v) => allSteps(v).some((s) => s.stepId === '1' && s.status === 'in_review'),
    });
    return projectId;
  }

  const decision = (projectId: string) => ({
    projectId,
    stepId: '1',
    partId: '',
    outcome: 'approved_with_conditions',
    conditions: '开工前完成节能评估备案\n竣工前报送能耗监测方案',
    documentNumber: '宁发改备〔2026〕77号',
    documentDate: TEST_DOCUMENT.date,
    comment: '请按<条件>执行 & 报送',
  });

  it('keeps what was typed, says so on the sign-in page, and shows the form filled in once signed in again', async () => {
    // Prepare: the officer's page is open; then the session ends (an admin resets the password: old tokens refused)
    const projectId = await stepOneInReview('会话过期表单项目');
    const { session: stale } = await signIn('officer-drc', DEMO_PASSWORD);
    expect((await get('/app/inbox', stale)).status).toBe(200);
    const reset = await t.api.call('PATCH', '/admin/users/officer-drc', 'admin', {
      password: 'a-new-password-after-reset',
    });
    expect(reset.status).toBe(200);

    // Act: the filled decision form is sent with the ended session, then the officer signs in again
    const sent = await post('/app/inbox/decide', stale, decision(projectId), '/app/inbox');
    const kept = cookiesOf(sent).get('daiban_draft') ?? '';
    const location = sent.headers.get('location') ?? '';
    const signInPage = await (await get(location)).text();
    const again = await signIn(
      'officer-drc',
      'a-new-password-after-reset',
      `daiban_draft=${kept}`,
      new URL(location, ORIGIN).searchParams.get('next') ?? '',
    );
    const jar = { daiban_draft: kept, ...Object.fromEntries(cookiesOf(again.res)) };
    const back = await get(again.res.headers.get('location') ?? '', header(jar));
    const html = await back.text();
    const afterwards = await get('/app/inbox', again.session);
    const view = await t.api.get(`/projects/${projectId}`, 'leader-zhang');

    // Assess: nothing decided, the sign-in page said why, the inbox shows the very form filled in, once
    expect([sent.status, location]).toEqual([303, '/sign-in?expired=kept&next=%2Fapp%2Finbox']);
    expect(kept).not.toBe('');
    expect(signInPage).toContain('登录已过期，表单未提交');
    expect(signInPage).toContain('重新登录后将回到该页面并恢复表单');
    expect(again.res.headers.get('location')).toBe('/app/inbox');
    expect(back.status).toBe(200);
    expect(html).toContain('data-draft="restored"');
    expect(html).toContain('已恢复您在登录过期前填写的表单，请核对后再提交');
    const form =
      /<details open=""><summary>[^<]*<\/summary><form[^>]*action="\/app\/inbox\/decide"[\s\S]*?<\/form>/.exec(
        html,
      )?.[0];
    expect(form).toContain(`value="${projectId}"`);
    expect(form).toMatch(
      /value="approved_with_conditions" checked=""|checked="" [^>]*value="approved_with_conditions"/,
    );
    expect(form).not.toMatch(/<input[^>]*value="approved"[^>]*checked=""/);
    expect(form).toContain('>开工前完成节能评估备案\n竣工前报送能耗监测方案</textarea>');
    expect(form).toContain('value="宁发改备〔2026〕77号"');
    expect(form).toContain('value="请按&lt;条件&gt;执行 &amp; 报送"');
    expect(back.headers.getSetCookie().some((c) => /^daiban_draft=;/.test(c))).toBe(true);
    expect(await afterwards.text()).not.toContain('data-draft');
    expect(allSteps(view.body).find((s) => s.stepId === '1')?.status).toBe('in_review');
  });

  it('keeps the form for the person whose session ended: another person signing in on that browser sees nothing, and it is dropped', async () => {
    // Prepare: officer-wat's session ends (password reset) with a decision typed in
    const projectId = await stepOneInReview('会话过期他人登录项目');
    const { session: stale } = await signIn('officer-wat', DEMO_PASSWORD);
    const reset = await t.api.call('PATCH', '/admin/users/officer-wat', 'admin', {
      password: 'another-password-after-reset',
    });
    expect(reset.status).toBe(200);
    const sent = await post('/app/inbox/decide', stale, decision(projectId), '/app/inbox');
    const kept = cookiesOf(sent).get('daiban_draft') ?? '';

    // Act: someone else signs in on the same browser, with the draft still in it, and opens the same page
    await t.api.call('PATCH', '/admin/users/officer-drc', 'admin', { password: 'drc-password-known' });
    const other = await signIn('officer-drc', 'drc-password-known', `daiban_draft=${kept}`, '/app/inbox');
    const afterSignIn = cookiesOf(other.res).get('daiban_draft');
    const page = await get(
      '/app/inbox',
      header({ daiban_draft: kept, daiban_session: other.session.slice(15) }),
    );
    const html = await page.text();

    // Assess: the draft was dropped at sign-in, and even sent again it is not shown to them
    expect(kept).not.toBe('');
    expect(afterSignIn).toBe('');
    expect(page.status).toBe(200);
    expect(html).not.toContain('data-draft');
    expect(html).not.toContain('宁发改备〔2026〕77号');
    expect(page.headers.getSetCookie().some((c) => /^daiban_draft=;/.test(c))).toBe(true);
  });

  it('with no session token at all, gives the form back to the next person to sign in (within its 30 minutes)', async () => {
    // Prepare
    const projectId = await stepOneInReview('无会话表单项目');
    const sent = await post('/app/inbox/decide', '', decision(projectId), '/app/inbox');
    const kept = cookiesOf(sent).get('daiban_draft') ?? '';

    // Act
    await t.api.call('PATCH', '/admin/users/officer-drc', 'admin', { password: 'drc-password-known' });
    const again = await signIn('officer-drc', 'drc-password-known', `daiban_draft=${kept}`, '/app/inbox');
    const claimed = cookiesOf(again.res).get('daiban_draft') ?? kept;
    const back = await get(
      '/app/inbox',
      header({ daiban_draft: claimed, daiban_session: again.session.slice(15) }),
    );

    // Assess
    expect(kept).not.toBe('');
    expect(await back.text()).toContain('data-draft="restored"');
  });

  it('without a session at all, or from a page it cannot tell, goes back to the form’s page; no page ends on a bare 404', async () => {
    // Act
    const noSession = await post('/app/inbox/decide', '', {
      projectId: 'x',
      stepId: '1',
      outcome: 'approved',
    });
    const noReferer = await post('/app/meetings/m1/attendance', '', { status: 'present' });
    const cookie = (await signIn('officer-env', DEMO_PASSWORD)).session;
    const stray = await get('/app/inbox/decide', cookie);
    const strayHtml = await stray.text();

    // Assess
    expect(noSession.headers.get('location')).toBe('/sign-in?expired=kept&next=%2Fapp%2Finbox');
    expect(noReferer.headers.get('location')).toBe('/sign-in?expired=kept&next=%2Fapp%2Fmeetings%2Fm1');
    expect(stray.status).toBe(404);
    expect(stray.headers.get('content-type')).toContain('text/html');
    expect(strayHtml).toContain('页面不存在');
    expect(strayHtml).toContain('href="/app"');
  });
});
