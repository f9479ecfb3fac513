import { sign, verify } from 'hono/jwt';
import { UnauthenticatedError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { User } from '../domain/project.js';
import { principalFromClaims } from './claims.js';

/**
 * HS256 tokens for the local runtime only (on AWS, Cognito issues tokens and API Gateway verifies them).
 * They carry the same claims Cognito would, so the principal mapping is shared.
 */
export class DevTokens {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds = 12 * 3600,
  ) {}

  async issue(user: User, now: Date = new Date()): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return sign(
      {
        sub: user.userId,
        name: user.name,
        'custom:role': user.role,
        ...(user.departmentId ? { 'custom:departmentId': user.departmentId } : {}),
        ...(user.enterpriseId ? { 'custom:enterpriseId': user.enterpriseId } : {}),
        iat,
        exp: iat + this.ttlSeconds,
        iss: 'daiban-local',
      },
      this.secret,
      'HS256',
    );
  }

  async verify(token: string): Promise<Principal> {
    let claims: Record<string, unknown>;
    try {
      claims = (await verify(token, this.secret, 'HS256')) as Record<string, unknown>;
    } catch {
      throw new UnauthenticatedError(
        'the bearer token is invalid or expired; get a new one from POST /auth/dev-token',
      );
    }
    return principalFromClaims(claims);
  }
}
