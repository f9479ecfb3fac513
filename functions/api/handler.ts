import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { handle } from 'hono/aws-lambda';
import type { AppContext } from '../../shared/app/context.js';
import { LocalSignIn } from '../../shared/app/sign-in.js';
import type { SweepJobStarter } from '../../shared/app/sweep-requests.js';
import { ScryptPasswordHasher } from '../../shared/auth/scrypt-password-hasher.js';
import { SessionTokens } from '../../shared/auth/session-tokens.js';
import type { SigningKeySource } from '../../shared/auth/signing-key.port.js';
import type { Principal } from '../../shared/domain/principal.js';
import { createApp } from '../app.js';
import { principalFromBearerToken } from '../commons/api-gateway-principal.js';
import { observedAwsContext } from '../commons/aws-context.js';
import { keysOfApiRequest, observed, principalKey } from '../commons/observability.js';
import { SecretsManagerSigningKey } from '../commons/secrets-manager-signing-key.js';
import { eventBridgeSweepStarter } from '../commons/sweep-job-starter.js';

/** How long a session token lasts on AWS (as locally): one hour. */
export const TOKEN_TTL_SECONDS = 3600;

/**
 * The API Lambda for a context: the Hono app behind API Gateway (HTTP API, payload 2.0), with the product's own
 * sign-in as locally: `POST /auth/login` (user id and password from the table, scrypt) issues a token signed with
 * `keys`, every protected route verifies it, and an admin manages users at `/admin/users`. No dev tokens.
 */
export const createApiHandler = (
  ctx: AppContext,
  keys: SigningKeySource,
  onIdentified?: (principal: Principal) => void,
  /** starts the scheduled job's function for a sweep an admin asked for (see `eventBridgeSweepStarter`) */
  startSweepJob?: SweepJobStarter,
) => {
  const passwords = new ScryptPasswordHasher();
  const tokens = new SessionTokens(keys, { ttlSeconds: TOKEN_TTL_SECONDS });
  const signIn = new LocalSignIn({ store: ctx.store, passwords, tokens, log: ctx.log });
  return handle(
    createApp({
      ctx,
      authenticate: principalFromBearerToken(signIn, onIdentified),
      accounts: { signIn, passwords },
      ...(startSweepJob ? { startSweepJob } : {}),
    }),
  );
};

/** The signing key from the secret the stack made (`SIGNING_KEY_SECRET_ARN`), read when first needed. */
function signingKeyFromEnvironment(client: SecretsManagerClient): SigningKeySource {
  const secretId = process.env.SIGNING_KEY_SECRET_ARN;
  if (!secretId) {
    throw new Error(
      'Daiban Lambda environment is invalid: SIGNING_KEY_SECRET_ARN is required (the token-signing secret)',
    );
  }
  return new SecretsManagerSigningKey({ client, secretId });
}

const { ctx, obs, clients } = await observedAwsContext();
const api = createApiHandler(
  ctx,
  signingKeyFromEnvironment(clients.secretsManager ?? new SecretsManagerClient({})),
  // every later log line of the invocation names the verified caller
  (principal) => obs.logger.appendKeys(principalKey(principal)),
  process.env.EVENT_BUS_NAME && clients.eventBridge
    ? eventBridgeSweepStarter(clients.eventBridge, process.env.EVENT_BUS_NAME)
    : undefined,
);
export const handler = observed(obs, keysOfApiRequest, (event: Parameters<typeof api>[0], context) =>
  api(event, context),
);
