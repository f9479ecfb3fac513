import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { listenHttp } from '../../infra/local/http-listener.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { timeProblems } from '../support/local-dates.js';

/** Debian's Chromium (`.ci/run` installs it: apt-get install chromium). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Fails (never skips) when the browser is missing, saying how to get it: these tests are part of `npm test` and CI.
 * Never downloads a browser.
 */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the browser tests need Debian's Chromium at ${CHROMIUM} and it is not there: install it ` +
        '(apt-get install chromium; .ci/run does) or set CHROMIUM_PATH to a Chromium executable',
    );
  }
}

/** Screenshots of each role's pages, kept as test artifacts (git ignores the folder). */
export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'browser');

/**
 * Headless Chromium on this machine's closed network: no background traffic, no sandbox (CI runs as root). Each
 * launch gets a fresh profile: Playwright passes its own new temporary `--user-data-dir` and deletes it on close.
 */
export function launchBrowser(): Promise<Browser> {
  requireChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A system's app served over HTTP on a free local port (`base`), and a browser to read it with. */
export type ServedPages = { base: string; browser: Browser; close(): Promise<void> };

/** Serves the system's app over HTTP as `npm start` does and launches the browser; `close` closes both. */
export async function servePages(system: LocalSystem): Promise<ServedPages> {
  const http = await listenHttp({ port: 0, host: '127.0.0.1' });
  http.serve(system.app.fetch);
  try {
    const browser = await launchBrowser();
    return {
      base: `http://127.0.0.1:${http.port}`,
      browser,
      async close() {
        await browser.close();
        http.close();
      },
    };
  } catch (error) {
    http.close();
    throw error;
  }
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

type AxeViolation = { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> };

/**
 * Runs axe-core on the page: no serious or critical violation may remain (each named with where it is), and keeps a
 * full-page screenshot as an artifact. Its text shows time as people read it: no raw ISO timestamp, and none of
 * `utcDates` (the UTC dates of the clock's instants where the local date differs).
 */
export async function checkPage(page: Page, name: string, utcDates: readonly string[] = []): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  // biome-ignore lint/performance/useDomNodeTextContent: what a person reads is the rendered text
  const text = await page.locator('body').innerText();
  expect(timeProblems(text, utcDates), `time shown on ${name}`).toEqual([]);
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    // in the page: axe-core's global, run over the whole document
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run()).violations;
  });
  if (process.env.DAIBAN_AXE_VERBOSE)
    console.log(name, JSON.stringify((violations as AxeViolation[]).map((v) => [v.impact, v.id])));
  const serious = (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => JSON.stringify(n.target))
          .join(', ')}`,
    );
  expect(serious, `accessibility of ${name}`).toEqual([]);
}
