import { randomBytes } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, SessionTokens } from '../../../shared/auth/session-tokens.js';
import { UnauthenticatedError } from '../../../shared/domain/errors.js';
import type { User } from '../../../shared/domain/project.js';

const secret = randomBytes(32);
const officer: User = { userId: 'officer-env', name: '生态环境局窗口', role: 'officer', departmentId: 'ENV' };

/** A token signed the way ours are, with these claims changed. */
const signed = (claims: Record<string, unknown>, key: Uint8Array = secret, alg = 'HS256') =>
  new SignJWT({ name: officer.name, 'custom:role': 'officer', 'custom:departmentId': 'ENV', ...claims })
    .setProtectedHeader({ alg })
    .setSubject(officer.userId)
    .setIssuer(String(claims.iss ?? LOCAL_ISSUER))
    .setAudience(String(claims.aud ?? LOCAL_AUDIENCE))
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);

async function refusalOf(token: string): Promise<string> {
  try {
    await new SessionTokens(secret).verify(token);
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthenticatedError);
    return (error as Error).message;
  }
  throw new Error('the token was accepted');
}

describe('session tokens (jose, HS256, the installation secret)', () => {
  it("carries Cognito's claims, so the principal comes out as the shared mapping makes it", async () => {
    // Prepare
    const tokens = new SessionTokens(secret, {
      ttlSeconds: 600,
      now: () => new Date('2026-03-02T09:00:00Z'),
    });

    // Act
    const issued = await tokens.issue(officer);
    const principal = await new SessionTokens(secret, {
      now: () => new Date('2026-03-02T09:09:00Z'),
    }).verify(issued.token);

    // Assess
    expect(issued.expiresAt).toBe('2026-03-02T09:10:00.000Z');
    expect(issued.expiresIn).toBe(600);
    expect(principal).toEqual({
      userId: 'officer-env',
      role: 'officer',
      name: '生态环境局窗口',
      departmentId: 'ENV',
    });
  });

  it('refuses a token past its expiry, saying when it expired', async () => {
    // Prepare
    const issued = await new SessionTokens(secret, {
      ttlSeconds: 3600,
      now: () => new Date('2026-03-02T08:00:00Z'),
    }).issue(officer);

    // Act / Assess
    await expect(
      new SessionTokens(secret, { now: () => new Date('2026-03-02T09:00:01Z') }).verify(issued.token),
    ).rejects.toThrow('the token expired at 2026-03-02T09:00:00.000Z; sign in again (POST /auth/login)');
  });

  it('keeps refusing a token it verified before, once that token has expired', async () => {
    // Prepare: one process verifies the token while it is valid, then time passes its expiry
    let now = new Date('2026-03-02T08:00:00Z');
    const tokens = new SessionTokens(secret, { ttlSeconds: 3600, now: () => now });
    const issued = await tokens.issue(officer);
    const first = await tokens.verify(issued.token);
    const again = await tokens.verify(issued.token);

    // Act
    now = new Date('2026-03-02T09:00:01Z');

    // Assess
    expect(again).toEqual(first);
    await expect(tokens.verify(issued.token)).rejects.toThrow(
      'the token expired at 2026-03-02T09:00:00.000Z',
    );
  });

  it('never takes a changed token for one it verified before', async () => {
    // Prepare
    const tokens = new SessionTokens(secret, { now: () => new Date('2026-03-02T08:00:00Z') });
    const issued = await tokens.issue(officer);
    await tokens.verify(issued.token);
    const [header, payload, signature] = issued.token.split('.');
    const forged = `${header}.${payload}.${signature?.slice(0, -2)}AA`;

    // Act / Assess
    await expect(tokens.verify(forged)).rejects.toThrow("the token's signature does not verify");
  });

  const tampered = async () => {
    const [header, payload, signature] = (await signed({})).split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, 'custom:role': 'admin' })).toString('base64url');
    return `${header}.${forged}.${signature}`;
  };

  it.each<[string, () => Promise<string>, RegExp]>([
    [
      'an unsigned token (alg "none")',
      async () =>
        new UnsecuredJWT({ sub: 'admin', 'custom:role': 'admin', name: 'x' })
          .setIssuer(LOCAL_ISSUER)
          .setAudience(LOCAL_AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('1h')
          .encode(),
      /not signed with HS256/,
    ],
    ['a token signed with another key', () => signed({}, randomBytes(32)), /signature does not verify/],
    ['a token whose payload was changed after signing', tampered, /signature does not verify/],
    ['a token of another algorithm', () => signed({}, secret, 'HS512'), /not signed with HS256/],
    ['a token of another issuer', () => signed({ iss: 'someone-else' }), /"iss" claim does not hold/],
    ['a token for another audience', () => signed({ aud: 'another-api' }), /"aud" claim does not hold/],
    ['something that is not a JWT', async () => 'abc.def.ghi', /malformed/],
    ['a token far too long', async () => `${'a'.repeat(5000)}.b.c`, /malformed \(over 4096 characters\)/],
  ])('refuses %s', async (_what, make, message) => {
    // Act
    const refusal = await refusalOf(await make());

    // Assess
    expect(refusal).toMatch(message);
    expect(refusal).toMatch(/sign in again|malformed/);
  });

  it('refuses a signing secret shorter than 32 bytes', () => {
    // Act / Assess
    expect(() => new SessionTokens(randomBytes(16))).toThrow('at least 32 bytes');
  });

  it('names whose session an expired token was, but only for a token of this installation', async () => {
    // Prepare
    const issued = await new SessionTokens(secret, {
      ttlSeconds: 600,
      now: () => new Date('2026-03-02T09:00:00Z'),
    }).issue(officer);
    const later = new SessionTokens(secret, { now: () => new Date('2026-03-03T09:00:00Z') });

    // Act
    const owner = await later.subjectEvenIfExpired(issued.token);
    const otherKey = await later.subjectEvenIfExpired(await signed({}, randomBytes(32)));
    const otherIssuer = await later.subjectEvenIfExpired(await signed({ iss: 'someone-else' }));
    const garbage = await later.subjectEvenIfExpired('not.a.token');
    const refused = await later.verify(issued.token).catch((error: Error) => error.message);

    // Assess
    expect([owner, otherKey, otherIssuer, garbage]).toEqual(['officer-env', undefined, undefined, undefined]);
    expect(refused).toContain('the token expired');
  });
});
