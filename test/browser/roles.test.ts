import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import { seedDemoProjects } from '../../infra/local/seed-demo.js';
import { seedWeeklyReports } from '../../infra/local/seed-weekly-reports.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { SettableClock, systemClock } from '../../shared/app/clock.js';
import type { ProjectRow } from '../../shared/domain/list-rows.js';
import { localDate, localDateTime } from '../../shared/domain/local-time.js';
import { chinaDate } from '../../shared/domain/working-days.js';
import { startTestSystem } from '../support/local-system.js';
import { checkPage, requireChromium, type ServedPages, servePages } from './browser.js';

/**
 * Each role's main task end to end, in headless Chromium against the seeded demo served over HTTP, as a person
 * would do it, each signing in on the sign-in page: the public lookup by code; the agent answers a supplement notice; the officer decides the step; the
 * investor sees it approved; the leader convenes a meeting, takes attendance and minutes it; the admin reads the
 * weekly report. Every page visited passes axe-core with no serious or critical violation; screenshots are kept.
 */
/**
 * Run in the page (a string: the tests compile without the DOM's types): how far the page is wider than the screen,
 * and the first texts shown smaller than 10 px (an SVG's text at its size on screen, after the chart is scaled).
 */
const PHONE_LAYOUT = `(() => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || !node.textContent.trim()) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right < 0) continue;
    const scale = element instanceof SVGElement && element.ownerSVGElement ? element.ownerSVGElement.getScreenCTM().a : 1;
    const size = Number.parseFloat(getComputedStyle(element).fontSize) * scale;
    if (size < 10) small.push(node.textContent.trim().slice(0, 20) + ' ' + size.toFixed(1) + 'px');
  }
  return { overflow: document.documentElement.scrollWidth - window.innerWidth, small: small.slice(0, 5) };
})()`;

describe('the pages in a browser, role by role', () => {
  let system: LocalSystem;
  let served: ServedPages | undefined;
  let browser: Browser;
  let base: string;
  const projects = new Map<string, ProjectRow>();
  const clock = new SettableClock(systemClock);
  /**
   * The pages are used at 20:00 UTC some 200 days after the demo's data: 04:00 Beijing time the next day, after
   * every due date the demo holds. A page that shows the UTC date of anything done now shows a date it cannot
   * otherwise show.
   */
  const testNow = new Date(Date.now() + 200 * 86_400_000);
  testNow.setUTCHours(20, 0, 0, 0);
  const utcToday = testNow.toISOString().slice(0, 10);
  const check = (page: Page, name: string) => checkPage(page, name, [utcToday]);

  beforeAll(async () => {
    requireChromium();
    system = await startTestSystem({ clock });
    await seedDemoProjects(system, clock);
    await seedWeeklyReports(system.ctx, 3);
    for (const project of (await system.ctx.store.listProjects({}, { limit: 20 })).items)
      projects.set(project.name, project);
    clock.freeze(testNow);
    expect(localDate(testNow)).not.toBe(utcToday);
    served = await servePages(system);
    ({ browser, base } = served);
  }, 240_000);

  afterAll(async () => {
    await served?.close();
    await system?.stop();
  });

  const project = (name: string): ProjectRow => {
    const found = projects.get(name);
    if (!found) throw new Error(`the demo has no project ${name}`);
    return found;
  };

  /**
   * A fresh browser session signed in on the sign-in page: with the demo user's password (the same sign-in as
   * POST /auth/login), or by picking them from demo mode's list.
   */
  async function signedIn(
    userId: string,
    width = 1280,
    via: 'password' | 'demo list' = 'password',
  ): Promise<Page> {
    // bypassCSP: the test injects axe-core into each page (the pages themselves run no script: script-src 'none')
    const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await check(page, 'sign-in');
    const leftSignIn = page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    if (via === 'demo list') {
      await Promise.all([leftSignIn, page.click(`button[data-user="${userId}"]`)]);
    } else {
      await page.fill('#userId', userId);
      await page.fill('#password', DEMO_PASSWORD);
      await Promise.all([leftSignIn, page.click('#sign-in button[type="submit"]')]);
    }
    const cookies = await context.cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly])).toContainEqual(['daiban_session', true]);
    return page;
  }

  it('public: finds a project’s progress by its code, without signing in', async () => {
    // Prepare
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    await page.goto(`${base}/`);
    await check(page, 'public-home-phone');
    const code = project('长江数据中心一期').code;

    // Act
    await page.fill('#code', code);
    await Promise.all([page.waitForURL(/\/lookup\?code=/), page.click('form[action="/lookup"] button')]);

    // Assess
    expect(await page.locator('h1').textContent()).toBe('长江数据中心一期');
    expect(await page.locator('td[data-step="7"]').textContent()).toBe('审查中');
    await check(page, 'public-lookup-phone');
    await page.goto(`${base}/guide/industrial-enterprise`);
    await check(page, 'public-guide');
  });

  it('agent: answers the one-time supplement notice from the workbench', async () => {
    // Prepare
    const page = await signedIn('agent-wang', 390);
    const code = project('秦淮新材料研发中心').code;
    await check(page, 'agent-workbench-phone');
    const todo = page.locator(`li[data-todo="${code}:7"]`);
    // compact: every item one line, its form folded; nothing ticked for the agent
    expect(await page.locator('li.todo details[open]').count()).toBe(0);
    expect(await page.locator('li.todo input[type="checkbox"]:checked').count()).toBe(0);
    await todo.locator('summary').click();
    const supplied = todo.locator('input[name="supplied"]');
    expect(await supplied.count()).toBe(2);
    for (const box of await supplied.all()) await box.check();

    // Act
    await Promise.all([page.waitForURL(`${base}/app/work`), todo.locator('button[type="submit"]').click()]);

    // Assess
    expect(await page.locator('p.flash').textContent()).toContain('第 7 项已补正');
    expect(await page.locator(`li[data-todo="${code}:7"]`).count()).toBe(0);
  });

  it('officer: decides the step in the department inbox, the session expiring while the form is filled in', async () => {
    // Prepare
    const page = await signedIn('officer-env');
    const code = project('秦淮新材料研发中心').code;
    await check(page, 'officer-inbox');
    const form = page.locator(`form[data-decide="${code}:7"]`);
    await form.locator('xpath=ancestor::details').locator('summary').click();
    await form.locator('input[value="approved_with_conditions"]').check();
    await form.locator('textarea[name="conditions"]').fill('施工期噪声昼间不超过70分贝');
    await form.locator('input[name="documentNumber"]').fill('宁环建〔2026〕118号');
    // the session ends meanwhile (its cookie no longer holds a valid token)
    const context = page.context();
    const session = (await context.cookies()).find((c) => c.name === 'daiban_session');
    await context.addCookies([{ name: 'daiban_session', value: 'expired', url: base, httpOnly: true }]);
    expect(session).toBeDefined();

    // Act: sent, the sign-in page says why; signed in again, the inbox shows the form filled in, sent once more
    await Promise.all([
      page.waitForURL(/\/sign-in\?expired=kept/),
      form.locator('button[type="submit"]').click(),
    ]);
    const said = await page.locator('p[data-expired="kept"]').textContent();
    await check(page, 'sign-in-expired');
    await page.fill('#userId', 'officer-env');
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL(`${base}/app/inbox`), page.click('#sign-in button[type="submit"]')]);
    const restored = {
      notice: await page.locator('p[data-draft="restored"]').textContent(),
      open: await form.locator('xpath=ancestor::details').getAttribute('open'),
      outcome: await form.locator('input[value="approved_with_conditions"]').isChecked(),
      conditions: await form.locator('textarea[name="conditions"]').inputValue(),
      number: await form.locator('input[name="documentNumber"]').inputValue(),
    };
    await check(page, 'officer-inbox-restored');
    await Promise.all([page.waitForURL(`${base}/app/inbox`), form.locator('button[type="submit"]').click()]);
    await system.engine.settled();
    expect(said).toContain('登录已过期，表单未提交');
    expect(restored).toEqual({
      notice: expect.stringContaining('已恢复您在登录过期前填写的表单'),
      open: '',
      outcome: true,
      conditions: '施工期噪声昼间不超过70分贝',
      number: '宁环建〔2026〕118号',
    });

    // Assess
    expect(await page.locator('p.flash').textContent()).toContain('第 7 项');
    expect(await page.locator(`form[data-decide="${code}:7"]`).count()).toBe(0);
    await check(page, 'officer-inbox-after');
    await page.goto(`${base}/app/projects/${project('秦淮新材料研发中心').projectId}`);
    expect(await page.locator('tr[data-step="7"] td.status').textContent()).toBe('已批准');
  });

  it('investor: sees the step approved on the project’s timeline, with its Gantt picture', async () => {
    // Prepare
    const page = await signedIn('investor-qinhuai');

    // Act
    await page.click('a:text("秦淮新材料研发中心")');

    // Assess
    expect(await page.locator('tr[data-step="7"] td.status').textContent()).toBe('已批准');
    expect(await page.locator('figure svg[role="img"]').count()).toBe(1);
    // the demo's site selection accepted under 容缺, its soil and water plan approved on a commitment
    expect(await page.locator('[data-deferred="2"]').textContent()).toContain('授权委托书及代办人身份证明');
    expect(await page.locator('tr[data-commitment="8"]').textContent()).toContain('待核查');
    expect(await page.locator('[data-testid="projected-completion"]').textContent()).toMatch(
      /\d{4}-\d{2}-\d{2}|已于/,
    );
    await check(page, 'investor-project-gantt');
  });

  it('leader: convenes a joint review meeting on a yellow step, takes attendance and minutes it', async () => {
    // Prepare
    const page = await signedIn('leader-zhang');
    await check(page, 'leader-dashboard');
    const lights = project('长江数据中心一期');
    await page.click('#convene >> xpath=ancestor::details >> summary');

    // Act
    await page.check(`input[name="item"][value="${lights.projectId}|8|"]`);
    await page.fill('#m-title', '长江数据中心一期 水保方案协调会');
    // an hour from now (local time, as the form takes it); the clock then moves past its start
    await page.fill(
      '#m-when',
      localDateTime(new Date(testNow.getTime() + 3_600_000).toISOString()).replace(' ', 'T'),
    );
    await page.fill('#m-place', '区政务服务中心三楼联审会议室');
    await Promise.all([page.waitForURL(/\/app\/meetings\//), page.click('#convene button[type="submit"]')]);
    // the meeting has started
    clock.freeze(new Date(testNow.getTime() + 2 * 3_600_000));
    await check(page, 'leader-meeting');
    await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/attendance"] button')]);
    expect(await page.locator('p.flash').textContent()).toContain('已点名');
    await page.selectOption('select[name="outcome-1"]', 'approved');
    await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/minutes"] button')]);
    await system.engine.settled();

    // Assess
    expect(await page.locator('p.flash').textContent()).toMatch(/会议纪要已印发：联审纪要〔\d{4}〕第\d{4}号/);
    await page.click('a:text("会议纪要（可打印）")');
    expect(await page.locator('h1').textContent()).toBe('会议纪要');
    // issued now: its footer is today's local date, and so is the year of its number
    expect(await page.locator('.issuer').textContent()).toContain(localDate(testNow));
    expect(await page.locator('.number').textContent()).toContain(`〔${localDate(testNow).slice(0, 4)}〕`);
    await check(page, 'meeting-minutes-a4');
  });

  it('efficiency office: investigates the open complaint and closes it with a finding, then reads the figures', async () => {
    // Prepare
    const page = await signedIn('efficiency-office');
    await check(page, 'efficiency-complaints');
    const investigate = page.locator('form[data-handle="investigate"]');
    await investigate.locator('xpath=ancestor::details').locator('summary').click();
    await Promise.all([page.waitForURL(`${base}/app/complaints`), investigate.locator('button').click()]);
    expect(await page.locator('p.flash').textContent()).toContain('已开始调查核实');
    const closing = page.locator('form[data-handle="close"]');
    await closing.locator('xpath=ancestor::details').locator('summary').click();

    // Act
    await closing.locator('input[value="not_upheld"]').check();
    await closing
      .locator('textarea[name="actionTaken"]')
      .fill('经核查，第三方评估报告系法定要求，已向代办员说明依据');
    await Promise.all([page.waitForURL(`${base}/app/complaints`), closing.locator('button').click()]);

    // Assess
    expect(await page.locator('p.flash').textContent()).toContain('已办结');
    expect(await page.locator('form[data-handle]').count()).toBe(0);
    await check(page, 'efficiency-complaints-closed');
    // the demo's complaints were filed within the last two weeks: the months from a month ago to this one hold them
    const month = (daysAgo: number) => chinaDate(new Date(Date.now() - daysAgo * 86_400_000)).slice(0, 7);
    await page.goto(`${base}/app/reports/complaints?from=${month(31)}&to=${month(0)}`);
    expect(await page.locator('tr[data-department="ENV"]').count()).toBe(1);
    await check(page, 'efficiency-complaint-figures');
  });

  it('admin: reads the weekly report, and the administration page', async () => {
    // Prepare
    const page = await signedIn('admin', 1280, 'demo list');
    await check(page, 'admin');

    // Act
    await page.goto(`${base}/app/reports/weekly`);
    await check(page, 'weekly-reports');
    await page.locator('table a').first().click();

    // Assess
    expect(await page.locator('h1').textContent()).toBe('重点项目代办周报');
    await check(page, 'weekly-report-a4');
  });

  it('admin: creates a user, resets their password and saves the SLA policy on the administration page', async () => {
    // Prepare
    const page = await signedIn('admin');
    await page.goto(`${base}/app/admin`);

    // Act
    await page.fill('#nu-id', 'officer-browser');
    await page.fill('#nu-name', '浏览器测试窗口');
    await page.selectOption('#nu-role', 'officer');
    await page.fill('#nu-dept', 'ENV');
    await page.fill('#nu-pw', 'browser-officer-pass-1');
    await Promise.all([
      page.waitForURL(`${base}/app/admin`),
      page.click('form[action="/app/admin/users"] button'),
    ]);
    const created = await page.locator('p.flash').textContent();
    await page.fill('#pw-officer-browser', 'browser-officer-pass-2');
    await Promise.all([
      page.waitForURL(`${base}/app/admin`),
      page.click('form[action="/app/admin/users/officer-browser"]:has(#pw-officer-browser) button'),
    ]);
    const reset = await page.locator('p.flash').textContent();
    await Promise.all([
      page.waitForURL(`${base}/app/admin`),
      page.click('form[action="/app/admin/sla-policy"] button'),
    ]);
    const policy = await page.locator('p.flash').textContent();

    // Assess
    expect(created).toContain('officer-browser');
    expect(reset).toBeTruthy();
    expect(policy).toContain('时限监察规则已保存并生效');
    expect(await page.locator('tr:has-text("officer-browser")').textContent()).toContain('生态环境局');
    await check(page, 'admin-users-sla');
  });

  /**
   * Each role's first page at 390 px, as on a phone: nothing wider than the screen (wide tables and charts scroll
   * in their own frame) and no text smaller than 10 px (a chart keeps its size rather than shrinking its words).
   */
  it.each([
    ['agent-wang', '/app/work'],
    ['officer-env', '/app/inbox'],
    ['investor-qinhuai', undefined],
    ['leader-zhang', '/app/dashboard'],
    ['efficiency-office', '/app/complaints'],
    ['admin', '/app/admin'],
  ])('phone width: %s reads their page at 390 px', async (userId, path) => {
    // Prepare
    const page = await signedIn(userId, 390);

    // Act
    if (path) await page.goto(`${base}${path}`);
    else await page.goto(`${base}/app/projects/${project('秦淮新材料研发中心').projectId}`);
    const layout = (await page.evaluate(PHONE_LAYOUT)) as { overflow: number; small: string[] };

    // Assess
    expect(layout).toEqual({ overflow: 0, small: [] });
    await check(page, `phone-${userId}`);
  });
});
