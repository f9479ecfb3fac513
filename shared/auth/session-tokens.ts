import { decodeJwt, errors, jwtVerify, SignJWT } from 'jose';
import { UnauthenticatedError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { User } from '../domain/project.js';
import { principalFromClaims } from './claims.js';
import { type SigningKeySource, staticSigningKey } from './signing-key.port.js';

/** Who signs the local runtime's tokens and for what: a token of another issuer or audience is refused. */
export const LOCAL_ISSUER = 'daiban-local';
export const LOCAL_AUDIENCE = 'daiban-api';
/** A token longer than this is refused before any parsing (ours are well under 1 KB). */
const MAX_TOKEN_LENGTH = 4096;
const SIGN_IN_AGAIN = 'sign in again (POST /auth/login)';

export type IssuedToken = { token: string; expiresAt: string; expiresIn: number };

/**
 * The local runtime's session tokens: HS256 JWTs signed and verified with `jose`, with the installation's secret
 * (32+ random bytes kept in its data folder). They carry the claims a Cognito ID token carries (`sub`, `name`,
 * `custom:role`, `custom:departmentId`, `custom:enterpriseId`, `token_use: id`), so `principalFromClaims` maps both.
 * Their lifetime is real time even when the runtime runs on a simulated clock. On AWS the API function issues and
 * verifies them the same way, with a key from Secrets Manager (a {@link SigningKeySource} instead of the bytes):
 * after the key is rotated, tokens signed with the old one are refused.
 *
 * @example const tokens = new SessionTokens(secret, { ttlSeconds: 3600 });
 * const { token } = await tokens.issue(user); const principal = await tokens.verify(token);
 */
export class SessionTokens {
  readonly ttlSeconds: number;
  private readonly now: () => Date;

  /**
   * Tokens whose signature and claims held, until they expire (as an API Gateway authorizer caches its answers): a
   * signed-in user's next requests are not verified again (an HMAC by WebCrypto each time). Bounded; the oldest go
   * first. A user disabled or reset meanwhile is still refused: the caller checks the user on every request.
   */
  private readonly verified = new Map<
    string,
    { claims: Record<string, unknown>; exp: number; key: Uint8Array }
  >();
  private readonly keys: SigningKeySource;

  /** `now`: the real time by default (tests hand in another to see a token expire). */
  constructor(
    secret: Uint8Array | SigningKeySource,
    options: { ttlSeconds?: number; now?: () => Date } = {},
  ) {
    this.keys = secret instanceof Uint8Array ? staticSigningKey(secret) : secret;
    this.ttlSeconds = options.ttlSeconds ?? 3600;
    this.now = options.now ?? (() => new Date());
  }

  /** A token for this user, valid `ttlSeconds` from now. */
  async issue(user: User): Promise<IssuedToken> {
    const iat = Math.floor(this.now().getTime() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = await new SignJWT({
      name: user.name,
      'custom:role': user.role,
      ...(user.departmentId ? { 'custom:departmentId': user.departmentId } : {}),
      ...(user.enterpriseId ? { 'custom:enterpriseId': user.enterpriseId } : {}),
      token_use: 'id',
      ...(user.tokensValidFrom !== undefined ? { [TOKENS_VALID_FROM_CLAIM]: user.tokensValidFrom } : {}),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.userId)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(await this.keys.current());
    return { token, expiresAt: new Date(exp * 1000).toISOString(), expiresIn: this.ttlSeconds };
  }

  /**
   * The principal a token names, once its signature (HS256 with this installation's secret, no other algorithm),
   * issuer, audience and expiry hold. Whether the user still exists and is enabled is the caller's to check.
   * Throws `UnauthenticatedError` saying what is wrong.
   */
  async verify(token: string): Promise<Principal> {
    return (await this.verifySession(token)).principal;
  }

  /**
   * As {@link verify}, with the user's `tokensValidFrom` the token was issued under (0: none yet), for the caller to
   * compare with the user's own: a password reset or a disable since then moved it on.
   */
  async verifySession(token: string): Promise<{ principal: Principal; tokensValidFrom: number }> {
    const claims = await this.claims(token);
    const from = claims[TOKENS_VALID_FROM_CLAIM];
    return { principal: principalFromClaims(claims), tokensValidFrom: typeof from === 'number' ? from : 0 };
  }

  /**
   * Whose session a token was: its `sub` when it is one of this installation's tokens (signature, issuer, audience),
   * expired or not; undefined for anything else. Only to tie a form kept after a session ended to the person whose
   * session it was (functions/web/form-draft.ts), never to let anyone in.
   */
  async subjectEvenIfExpired(token: string): Promise<string | undefined> {
    if (token.length > MAX_TOKEN_LENGTH) return undefined;
    try {
      const { iat } = decodeJwt(token);
      if (typeof iat !== 'number') return undefined;
      // verified as of the moment it was issued: every check but the expiry holds
      const { payload } = await jwtVerify(token, await this.keys.current(), {
        algorithms: ['HS256'],
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat'],
        currentDate: new Date(iat * 1000),
      });
      return typeof payload.sub === 'string' ? payload.sub : undefined;
    } catch {
      return undefined;
    }
  }

  private async claims(token: string): Promise<Record<string, unknown>> {
    if (token.length > MAX_TOKEN_LENGTH) {
      throw new UnauthenticatedError(`the token is malformed (over ${MAX_TOKEN_LENGTH} characters)`);
    }
    let key = await this.keys.current();
    const known = this.verified.get(token);
    // a token verified with a key since rotated is verified again (and refused)
    if (known && known.key === key && known.exp * 1000 > this.now().getTime()) return known.claims;
    let claims: Record<string, unknown>;
    try {
      claims = await this.verifyWith(token, key);
    } catch (error) {
      // signed with a key newer than the one this process read: read it again, once
      if (!(error instanceof errors.JWSSignatureVerificationFailed) || !(await this.keys.refresh?.())) {
        throw new UnauthenticatedError(refusal(error));
      }
      key = await this.keys.current();
      try {
        claims = await this.verifyWith(token, key);
      } catch (again) {
        throw new UnauthenticatedError(refusal(again));
      }
    }
    this.remember(token, claims, key);
    return claims;
  }

  private async verifyWith(token: string, key: Uint8Array): Promise<Record<string, unknown>> {
    const verified = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat'],
      currentDate: this.now(),
    });
    return verified.payload as Record<string, unknown>;
  }

  private remember(token: string, claims: Record<string, unknown>, key: Uint8Array): void {
    if (typeof claims.exp !== 'number') return;
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, { claims, exp: claims.exp, key });
  }
}

/** The claim that carries the user's `tokensValidFrom` at issue (absent while the user has none). */
const TOKENS_VALID_FROM_CLAIM = 'daiban:tvf';

/** How many verified tokens a process keeps (a few hundred people signed in, with room to spare). */
const VERIFIED_TOKENS_KEPT = 2000;

/** What was wrong with a token, in words a person can act on (never the token itself). */
function refusal(error: unknown): string {
  if (error instanceof errors.JWTExpired) {
    const exp = typeof error.payload.exp === 'number' ? new Date(error.payload.exp * 1000).toISOString() : '';
    return `the token expired${exp ? ` at ${exp}` : ''}; ${SIGN_IN_AGAIN}`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return `the token is not signed with HS256 (unsigned tokens, alg "none", are refused); ${SIGN_IN_AGAIN}`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return `the token's signature does not verify: it was signed with another key or changed after it was issued; ${SIGN_IN_AGAIN}`;
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `the token's "${error.claim}" claim does not hold (${error.reason}): it was not issued by this installation; ${SIGN_IN_AGAIN}`;
  }
  return `the token is malformed: expected a JWT (header.payload.signature, base64url); ${SIGN_IN_AGAIN}`;
}
