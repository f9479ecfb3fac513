import { z } from 'zod';
import type { PasswordHasher } from '../auth/password-hasher.port.js';
import type { IssuedToken, SessionTokens } from '../auth/session-tokens.js';
import { TooManyAttemptsError, UnauthenticatedError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { User } from '../domain/project.js';
import { PASSWORD_MAX_LENGTH, type UserSummary, userSummary } from '../domain/user-accounts.js';
import { CommitConflictError, type DaibanStore } from '../store/store.port.js';
import type { Logger } from './logger.js';

/** A sign-in: bounded, but not held to the password policy (checking a short password costs the same). */
export const SignInInputSchema = z.strictObject({
  userId: z.string().min(1).max(64),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
export type SignInInput = z.infer<typeof SignInInputSchema>;

export type SignedIn = IssuedToken & { user: UserSummary };

/** One answer for an unknown user and a wrong password, so a sign-in never tells who exists. */
const WRONG = 'wrong user id or password';

export type FailedSignInPolicy = {
  /** the consecutive failure of one user id that starts the first wait (5: the fifth; a sixth try waits) */
  waitFromFailure: number;
  /** the wait after the next failure, doubled with each further one, up to `maxLockSeconds` */
  lockSeconds: number;
  maxLockSeconds: number;
  /** user ids remembered at most (the oldest are forgotten first): a flood of made-up ids costs bounded memory */
  maxTracked: number;
};

export const DEFAULT_FAILED_SIGN_IN_POLICY: FailedSignInPolicy = {
  waitFromFailure: 5,
  lockSeconds: 30,
  maxLockSeconds: 900,
  maxTracked: 10_000,
};

/**
 * Failed sign-ins per user id, in memory (locally one runtime per table sees every attempt; on AWS each Lambda
 * process counts its own, and the API's stage throttle bounds the rest): the fifth failure in a row makes that user
 * id wait 30 s, each further one 60 s, 120 s, … up to 15 minutes, during which
 * its sign-ins are refused without checking the password. A success forgets the failures. Unknown user ids are
 * counted like known ones, so the wait does not tell who exists either.
 */
export class FailedSignIns {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly policy: FailedSignInPolicy = DEFAULT_FAILED_SIGN_IN_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whole seconds this user id must still wait before a sign-in is checked (0: none). */
  waitFor(userId: string): number {
    const entry = this.failures.get(userId);
    return entry ? Math.max(0, Math.ceil((entry.until - this.now()) / 1000)) : 0;
  }

  /** Counts a failure; returns the wait it starts (0 for the first four). */
  failed(userId: string): number {
    const count = (this.failures.get(userId)?.count ?? 0) + 1;
    const over = count - this.policy.waitFromFailure + 1;
    const wait =
      over > 0
        ? Math.min(this.policy.maxLockSeconds, this.policy.lockSeconds * 2 ** Math.min(over - 1, 20))
        : 0;
    this.failures.delete(userId); // re-inserted last: the map's order is the order of last failure
    this.failures.set(userId, { count, until: this.now() + wait * 1000 });
    while (this.failures.size > this.policy.maxTracked) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
    return wait;
  }

  succeeded(userId: string): void {
    this.failures.delete(userId);
  }
}

export type LocalSignInDeps = {
  store: DaibanStore;
  passwords: PasswordHasher;
  tokens: SessionTokens;
  log: Logger;
  attempts?: FailedSignIns;
};

/**
 * The product's sign-in, locally and on AWS (where the API function runs it; no Cognito): a user id and
 * password for a short-lived token, and the identity a token stands for. `identify` takes the token string, so an
 * `Authorization: Bearer` header and a session cookie lead to the same principal.
 *
 * @example const signIn = new LocalSignIn({ store, passwords, tokens, log });
 * const { token } = await signIn.signIn({ userId: 'admin', password }); await signIn.identify(token);
 */
export class LocalSignIn {
  private readonly attempts: FailedSignIns;

  constructor(private readonly deps: LocalSignInDeps) {
    this.attempts = deps.attempts ?? new FailedSignIns();
  }

  /** How long a token lasts, in seconds. */
  get ttlSeconds(): number {
    return this.deps.tokens.ttlSeconds;
  }

  /**
   * A token for the user whose password this is. An unknown user and a wrong password get the same 401 after the
   * same work; a disabled user is told so only once the password was right.
   */
  async signIn(input: SignInInput): Promise<SignedIn> {
    const { store, passwords, log } = this.deps;
    const wait = this.attempts.waitFor(input.userId);
    if (wait > 0) {
      throw new TooManyAttemptsError(
        'AUTH.TOO_MANY_ATTEMPTS',
        `too many failed sign-ins for this user id; try again in ${wait} s`,
        wait,
      );
    }
    const [user, credential] = await Promise.all([
      store.getUser(input.userId),
      store.getCredential(input.userId),
    ]);
    const right =
      user && credential
        ? await passwords.verify(input.password, credential.passwordHash)
        : await passwords.verifyNone(input.password);
    if (!right || !user || !credential) {
      const locked = this.attempts.failed(input.userId);
      if (locked > 0)
        log.warn('sign-ins of a user id wait after repeated failures', {
          userId: input.userId,
          waitSeconds: locked,
        });
      throw new UnauthenticatedError(WRONG, 'AUTH.SIGN_IN_FAILED');
    }
    this.attempts.succeeded(input.userId);
    if (user.disabled) {
      throw new UnauthenticatedError(
        `the account '${user.userId}' is disabled; ask an admin to enable it`,
        'AUTH.USER_DISABLED',
      );
    }
    if (passwords.needsRehash(credential.passwordHash)) {
      await this.rehash(user, input.password, credential.passwordHash);
    }
    return { ...(await this.deps.tokens.issue(user)), user: userSummary(user) };
  }

  /**
   * The principal a token stands for: the token verifies (see `SessionTokens.verify`), and its user still exists,
   * is enabled, and has the role, department and enterprise the token names. One read of the user per request.
   */
  async identify(token: string): Promise<Principal> {
    const { principal, tokensValidFrom } = await this.deps.tokens.verifySession(token);
    const user = await this.deps.store.getUser(principal.userId);
    if (!user) {
      throw new UnauthenticatedError(
        `the token's user '${principal.userId}' does not exist (any more); sign in as a known user`,
        'AUTH.UNKNOWN_USER',
      );
    }
    if (user.disabled) {
      throw new UnauthenticatedError(
        `the account '${user.userId}' is disabled; ask an admin to enable it`,
        'AUTH.USER_DISABLED',
      );
    }
    if ((user.tokensValidFrom ?? 0) !== tokensValidFrom) {
      throw new UnauthenticatedError(
        "the token was issued before the account's password was reset or the account was disabled; sign in again (POST /auth/login)",
        'AUTH.TOKEN_REVOKED',
      );
    }
    if (
      user.role !== principal.role ||
      user.departmentId !== principal.departmentId ||
      user.enterpriseId !== principal.enterpriseId
    ) {
      throw new UnauthenticatedError(
        'the account changed since this token was issued; sign in again (POST /auth/login)',
      );
    }
    return principal;
  }

  /** A token for a user, without a password: demo mode's `POST /auth/dev-token` only. */
  issue(user: User): Promise<IssuedToken> {
    return this.deps.tokens.issue(user);
  }

  /** Stored with weaker parameters than new hashes: hashed again now that the password is known to be right. */
  private async rehash(user: User, password: string, previous: string): Promise<void> {
    try {
      const passwordHash = await this.deps.passwords.hash(password);
      await this.deps.store.commit([
        {
          op: 'put_credential',
          credential: { userId: user.userId, passwordHash, setAt: new Date().toISOString(), setBy: 'rehash' },
          expect: { passwordHash: previous },
        },
      ]);
    } catch (error) {
      // an admin reset the password meanwhile (theirs stands), or the write failed: the sign-in still succeeds
      if (!(error instanceof CommitConflictError)) {
        this.deps.log.warn('could not re-hash a password with the current parameters', {
          userId: user.userId,
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
    }
  }
}
