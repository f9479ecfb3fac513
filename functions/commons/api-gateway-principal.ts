import type { Context } from 'hono';
import type { LocalSignIn } from '../../shared/app/sign-in.js';
import type { Principal } from '../../shared/domain/principal.js';
import { authenticateWith } from '../http/session-token.js';

/**
 * The `authenticate` of the API on AWS, in both partitions: the product's own sign-in, as locally. API Gateway has
 * no authorizer (Cognito user pools do not exist in the China regions); the request's bearer token (or the pages'
 * session cookie) is verified here, in the function: the HS256 signature with the key from Secrets Manager, issuer,
 * audience and expiry, then the user is read from the table (still there, enabled, same role). The claims of an
 * API Gateway JWT authorizer are never read: a request carrying them but no token of ours is refused.
 * `onIdentified` hears of each verified caller (the handler adds them to its log lines).
 *
 * @example createApp({ ctx, authenticate: principalFromBearerToken(signIn), accounts: { signIn, passwords } })
 */
export function principalFromBearerToken(
  signIn: LocalSignIn,
  onIdentified: (principal: Principal) => void = () => undefined,
): (c: Context) => Promise<Principal> {
  return authenticateWith(async (token) => {
    const principal = await signIn.identify(token);
    onIdentified(principal);
    return principal;
  });
}
