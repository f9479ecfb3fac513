import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { startTestSystem } from '../support/local-system.js';
import { checkPage, requireChromium, type ServedPages, servePages } from './browser.js';

/**
 * The admin publishes a changed chain through the page, in headless Chromium over HTTP as a person would: from the
 * administration page to the version in force, a cycle made in the table and named in the preview, the fix and its
 * critical path, then publishing. Every page passes axe-core; screenshots are kept.
 */
describe('chain authoring in a browser', () => {
  let system: LocalSystem;
  let served: ServedPages | undefined;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    requireChromium();
    system = await startTestSystem();
    served = await servePages(system);
    ({ browser, base } = served);
  }, 240_000);

  afterAll(async () => {
    await served?.close();
    await system?.stop();
  });

  async function signedIn(userId: string): Promise<Page> {
    // bypassCSP: the test injects axe-core into each page (the pages themselves run no script)
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.fill('#userId', userId);
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((url) => !url.pathname.startsWith('/sign-in')),
      page.click('#sign-in button[type="submit"]'),
    ]);
    return page;
  }

  /** The table row of a step: its prerequisites cell. */
  const prerequisitesOf = (page: Page, stepId: string) =>
    page
      .locator('tr', { has: page.locator(`input[name="row.id"][value="${stepId}"]`) })
      .locator('input[name="row.prerequisites"]');

  it('admin: makes a cycle, sees it named, fixes it, sees the critical path and publishes', async () => {
    // Prepare
    const inForce = (await system.ctx.store.getChain('industrial-enterprise'))?.version ?? 0;
    const page = await signedIn('admin');
    await page.goto(`${base}/app/admin`);
    await Promise.all([
      page.waitForURL(/\/app\/admin\/chains\/author/),
      page.click('a[href="/app/admin/chains/author"]'),
    ]);
    await checkPage(page, 'admin-chain-author');

    // Act: step 15 waits for step 16, which waits for 15
    await prerequisitesOf(page, '15').fill('3, 5, 16');
    await Promise.all([page.waitForURL(/\/table$/), page.click('button:has-text("预览修改")')]);
    await checkPage(page, 'admin-chain-cycle');
    // biome-ignore lint/performance/useDomNodeTextContent: what a person reads is the rendered text
    const cycle = await page.locator('body').innerText();
    await prerequisitesOf(page, '15').fill('3, 5');
    await page.click('button:has-text("预览修改")');
    await page.waitForSelector('#path-h');
    await checkPage(page, 'admin-chain-fixed');
    // biome-ignore lint/performance/useDomNodeTextContent: what a person reads is the rendered text
    const fixed = await page.locator('body').innerText();
    await Promise.all([
      page.waitForURL(/\/app\/admin\/chains\/author\?chain=/),
      page.click(`button:has-text("发布第 ${inForce + 1} 版")`),
    ]);
    // biome-ignore lint/performance/useDomNodeTextContent: what a person reads is the rendered text
    const published = await page.locator('body').innerText();

    // Assess
    expect(cycle).toContain('步骤 15（建设工程设计方案审查）与步骤 16（建设工程规划许可证）互为前置');
    expect(cycle).not.toContain(`发布第 ${inForce + 1} 版`);
    expect(fixed).toMatch(/按承诺时限，关键路径共 \d+ 个工作日/);
    expect(fixed).toContain('校验通过');
    expect(published).toContain(`已发布第 ${inForce + 1} 版`);
    expect((await system.ctx.store.getChain('industrial-enterprise'))?.version).toBe(inForce + 1);
    expect(await system.engine.hasChain(`industrial-enterprise@${inForce + 1}`)).toBe(true);
  }, 120_000);
});
