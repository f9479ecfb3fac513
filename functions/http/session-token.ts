import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { UnauthenticatedError } from '../../shared/domain/errors.js';
import type { Principal } from '../../shared/domain/principal.js';

/** The cookie a web page keeps the session token in (HttpOnly, SameSite=Strict, set by the web front). */
export const SESSION_COOKIE = 'daiban_session';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * The session token a request carries: the `Authorization: Bearer` header, or else the `daiban_session` cookie.
 * The cookie counts only on GET and HEAD, or when the request's `Origin` is this server's own (a same-origin form
 * post): a browser sends cookies with requests other sites make, and those must not act as the user.
 * An `Authorization` header that is not a bearer token is refused rather than passed over for the cookie.
 */
export function sessionTokenOf(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
    if (!match?.[1]) {
      throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
    }
    return match[1];
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (!cookie) return undefined;
  if (SAFE_METHODS.has(c.req.method) || c.req.header('origin') === new URL(c.req.url).origin) return cookie;
  throw new UnauthenticatedError(
    `the ${SESSION_COOKIE} cookie is accepted on GET, and on other requests only from this site's own pages; send Authorization: Bearer <token>`,
  );
}

/**
 * The local runtime's `authenticate`: the request's session token (header or cookie), then `identify` (verify the
 * token, check the user still exists and is enabled). The same on AWS (`principalFromBearerToken`).
 *
 * @example createApp({ ctx, authenticate: authenticateWith((token) => signIn.identify(token)) })
 */
export function authenticateWith(identify: (token: string) => Promise<Principal>) {
  return async (c: Context): Promise<Principal> => {
    const token = sessionTokenOf(c);
    if (token === undefined) {
      throw new UnauthenticatedError(
        'sign in: POST /auth/login {"userId", "password"}, then send Authorization: Bearer <token>',
      );
    }
    return identify(token);
  };
}
