import { createHash } from 'node:crypto';
import { secureHeaders } from 'hono/secure-headers';
import { DOCUMENT_STYLE } from '../http/document-page.js';
import { WEEKLY_STYLE } from '../http/weekly-report-document.js';
import { STYLE } from './layout.js';

/** The CSP source that allows one exact `<style>` text. */
export const styleHash = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Every style element the pages carry: the site's, the weekly report's and the printable document's (all static
 * text; no page has a script, an inline event handler or a `style` attribute). A new `<style>` must be added here,
 * or browsers ignore it (test/integration/web.test.ts checks every page's).
 */
export const PAGE_STYLES = [STYLE, WEEKLY_STYLE, DOCUMENT_STYLE] as const;

/**
 * The headers every answer carries (hono's `secureHeaders`, tightened): a Content-Security-Policy of this origin
 * only (styles by hash, no scripts anywhere, forms posted only here, never framed), `X-Frame-Options: DENY`,
 * `Referrer-Policy: same-origin`, `X-Content-Type-Options: nosniff`.
 */
export const securityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'none'"],
      styleSrc: ["'self'", ...PAGE_STYLES.map(styleHash)],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
    xContentTypeOptions: 'nosniff',
  });
