import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ZodError } from 'zod';
import type { IssuedToken } from '../../shared/auth/session-tokens.js';
import { DomainError, ForbiddenError, NotFoundError } from '../../shared/domain/errors.js';
import type { Principal } from '../../shared/domain/principal.js';
import type { ApiDeps } from '../http/env.js';
import type { Lang } from '../http/i18n.js';
import { type RefusalStatus, refusalStatus } from '../http/refusal-status.js';
import { SESSION_COOKIE } from '../http/session-token.js';
import { describeZodError } from '../http/zod-problems.js';
import { refusalText } from './refusal-text.js';

const LANG_COOKIE = 'daiban_lang';
const FLASH_COOKIE = 'daiban_flash';

/**
 * Who is signed in: the API's own `authenticate` (locally the `daiban_session` cookie or a bearer token, verified by
 * `LocalSignIn.identify`), so a page and the API know a session the same way; undefined if no one (or a token that
 * no longer holds: expired, its user disabled or changed).
 */
export async function principalOfRequest(deps: ApiDeps, c: Context): Promise<Principal | undefined> {
  try {
    return await deps.authenticate(c);
  } catch {
    return undefined;
  }
}

/** How long a browser keeps a session's cookie after its token expired (a working day). */
const ENDED_SESSION_KEPT_SECONDS = 12 * 3600;

const secure = (c: Context) => new URL(c.req.url).protocol === 'https:';

/**
 * Keeps a session token from `LocalSignIn` in the HttpOnly `daiban_session` cookie for as long as the token lasts.
 * SameSite=Lax: a link from elsewhere (a notification's e-mail) opens the page signed in, while a form posted from
 * another site carries no cookie, and the API takes the cookie on a POST only with this site's Origin anyway.
 * The cookie outlives its token by {@link ENDED_SESSION_KEPT_SECONDS}: an expired token lets no one in, but a form
 * posted with it is kept for the very user whose session it was (form-draft.ts), not for whoever signs in next.
 */
export function startSession(c: Context, token: IssuedToken): void {
  setCookie(c, SESSION_COOKIE, token.token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: secure(c),
    maxAge: token.expiresIn + ENDED_SESSION_KEPT_SECONDS,
  });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secure(c) });
}

/** The page's language: `?lang=` (remembered in a cookie), else the cookie, else Chinese. */
export function languageOf(c: Context): Lang {
  const asked = c.req.query('lang');
  if (asked === 'en' || asked === 'zh') {
    setCookie(c, LANG_COOKIE, asked, { path: '/', sameSite: 'Lax', maxAge: 365 * 86400 });
    return asked;
  }
  return getCookie(c, LANG_COOKIE) === 'en' ? 'en' : 'zh';
}

/** A one-time message shown on the next page (after a form's redirect). */
export function setFlash(c: Context, message: string): void {
  setCookie(c, FLASH_COOKIE, encodeURIComponent(message.slice(0, 300)), {
    path: '/',
    sameSite: 'Lax',
    httpOnly: true,
    maxAge: 60,
  });
}

export function takeFlash(c: Context): string | undefined {
  const value = getCookie(c, FLASH_COOKIE);
  if (!value) return undefined;
  deleteCookie(c, FLASH_COOKIE, { path: '/' });
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * CSRF protection of the forms: besides the SameSite=Lax cookie, a POST must come from a page of this very site
 * (its Origin, or failing that Sec-Fetch-Site: same-origin). A form posted from another site changes nothing.
 */
export function isSameOrigin(c: Context): boolean {
  const own = new URL(c.req.url).origin;
  const origin = c.req.header('origin');
  if (origin) return origin === own;
  return c.req.header('sec-fetch-site') === 'same-origin';
}

/** A path to go back to after signing in: only a path of this site. */
export function safeNext(next: string | undefined): string | undefined {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\')) return undefined;
  return next.slice(0, 500);
}

export type { RefusalStatus };

/**
 * An error as a page shows it: its HTTP status and a message a person can act on (never internals), in the page's
 * language where the refusal has a Chinese wording (refusal-text.ts).
 */
export function refusalOf(error: unknown, lang: Lang = 'en'): { status: RefusalStatus; message: string } {
  const refusal = refusalAsWritten(error, lang);
  return { status: refusal.status, message: refusalText(lang, error, refusal.status, refusal.message) };
}

function refusalAsWritten(error: unknown, lang: Lang): { status: RefusalStatus; message: string } {
  if (error instanceof DomainError) {
    return { status: refusalStatus(error), message: error.message };
  }
  if (isZodError(error)) return { status: 400, message: describeZodError(error, 'form', lang) };
  throw error;
}

const isZodError = (error: unknown): error is ZodError =>
  typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'ZodError';

/** A refusal of the access policy (a 403, or a 404 hiding an object), as the audit trail keeps it; else undefined. */
export function deniedBy(
  error: unknown,
): { action: string; code: string; as: 'forbidden' | 'not_found' } | undefined {
  if (!(error instanceof ForbiddenError || error instanceof NotFoundError)) return undefined;
  if (error.deniedAction === undefined) return undefined;
  return {
    action: error.deniedAction,
    code: error.code,
    as: error instanceof ForbiddenError ? 'forbidden' : 'not_found',
  };
}
