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
  // The authorizer also accepts the client's access tokens, but only the ID token carries the user's name and
  // custom attributes (user id, department, enterprise): say so rather than fail on a missing attribute.
  if (claims.token_use !== undefined && claims.token_use !== 'id') {
    throw new UnauthenticatedError(
      'send the Cognito ID token, not the access token: the API reads the user from it',
    );
  }
  return principalFromClaims(claims);
}
