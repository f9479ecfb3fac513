import type { Context } from 'hono';
import { principalFromClaims } from '../../shared/auth/claims.js';
import { UnauthenticatedError } from '../../shared/domain/errors.js';
import type { Principal } from '../../shared/domain/principal.js';

type Claims = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The JWT claims API Gateway's JWT authorizer verified (HTTP API, payload 2.0), or undefined. */
export function jwtClaimsOf(lambdaEnv: unknown): Claims | undefined {
  if (!isRecord(lambdaEnv) || !isRecord(lambdaEnv.event)) return undefined;
  const requestContext = lambdaEnv.event.requestContext;
  if (!isRecord(requestContext) || !isRecord(requestContext.authorizer)) return undefined;
  const jwt = requestContext.authorizer.jwt;
  return isRecord(jwt) && isRecord(jwt.claims) ? jwt.claims : undefined;
}

/**
 * The `authenticate` of the API on AWS. API Gateway has already verified the Cognito token (signature, issuer,
 * audience, expiry) before the Lambda runs; the app only maps its claims to a principal. Array claims such as
 * `cognito:groups` arrive as the string "[agent]", which `principalFromClaims` understands.
 *
 * @example createApp({ ctx, authenticate: principalFromApiGateway })
 */
export async function principalFromApiGateway(c: Context): Promise<Principal> {
  const claims = jwtClaimsOf(c.env);
  if (!claims) {
    throw new UnauthenticatedError('sign in: send Authorization: Bearer <Cognito ID token>');
  }
  return principalFromClaims(claims);
}
