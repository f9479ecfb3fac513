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
  /** how long the table remembers a user id's failures after its last one (default a day; DynamoDB's TTL) */
  rememberSeconds?: number;
};

export const DEFAULT_FAILED_SIGN_IN_POLICY: FailedSignInPolicy = {
  waitFromFailure: 5,
  lockSeconds: 30,
  maxLockSeconds: 900,
  maxTracked: 10_000,
  rememberSeconds: 86_400,
};

/** The wait a user id's `count`-th failure in a row starts (0 before the policy's first wait). */
function waitAfterFailure(count: number, policy: FailedSignInPolicy): number {
  const over = count - policy.waitFromFailure + 1;
  return over > 0 ? Math.min(policy.maxLockSeconds, policy.lockSeconds * 2 ** Math.min(over - 1, 20)) : 0;
}

/**
 * How a sign-in counts failures: {@link StoredFailedSignIns} in the table (every process, both runtimes: the
 * default), or {@link FailedSignIns} in one process's memory.
 */
export interface SignInAttempts {
  /** Whole seconds this user id must still wait before a sign-in is checked (0: none). */
  waitFor(userId: string): number | Promise<number>;
  /** Counts a failure; returns the wait it starts (0 for the first four). */
  failed(userId: string): number | Promise<number>;
  /** Forgets the failures of a user id that signed in. */
  succeeded(userId: string): void | Promise<void>;
}

/**
 * Failed sign-ins per user id, in one process's memory: the fifth failure in a row makes that user id wait 30 s,
 * each further one 60 s, 120 s, … up to 15 minutes, during which its sign-ins are refused without checking the
 * password. A success forgets the failures. Unknown user ids are counted like known ones, so the wait does not
 * tell who exists either. Only where one process sees every attempt; the sign-in counts in the table by default
 * ({@link StoredFailedSignIns}), as on AWS each Lambda process would otherwise count its own.
 */
export class FailedSignIns implements SignInAttempts {
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
    const wait = waitAfterFailure(count, this.policy);
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

/** The setting that holds a user id's failures: `{ count, until, forgetAt }` (epoch ms). */
export const failedSignInsSetting = (userId: string): string => `sign-in-failures#${userId}`;

/** How often a failure is counted again when other processes counted one of the same user id meanwhile. */
const COUNT_TRIES = 8;

/**
 * Failed sign-ins per user id in the table, so the wait holds whichever process (Lambda instance, local runtime)
 * the next attempt reaches: the same policy as {@link FailedSignIns}. Each failure is a conditional write of the
 * user id's record (the revision read must still be the stored one: two processes counting at once both count),
 * with a TTL: DynamoDB deletes the record a day after the last failure, and until it does a record past
 * `forgetAt` counts as none. A success deletes it. A flood of made-up ids costs table items that expire, bounded
 * by the API's throttle, not memory.
 */
export class StoredFailedSignIns implements SignInAttempts {
  constructor(
    private readonly store: DaibanStore,
    private readonly policy: FailedSignInPolicy = DEFAULT_FAILED_SIGN_IN_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  async waitFor(userId: string): Promise<number> {
    const stored = await this.read(userId);
    return stored ? Math.max(0, Math.ceil((stored.until - this.now()) / 1000)) : 0;
  }

  async failed(userId: string): Promise<number> {
    const rememberSeconds = this.policy.rememberSeconds ?? 86_400;
    let wait = 0;
    for (let attempt = 0; attempt < COUNT_TRIES; attempt++) {
      const stored = await this.read(userId);
      const count = (stored?.count ?? 0) + 1;
      wait = waitAfterFailure(count, this.policy);
      const now = this.now();
      const written = await this.store.putSetting(
        failedSignInsSetting(userId),
        { count, until: now + wait * 1000, forgetAt: now + rememberSeconds * 1000 },
        { expectedRevision: stored?.revision ?? null, ttlSeconds: rememberSeconds },
      );
      if (written) return wait;
    }
    // every try lost to another process counting the same user id: those counted, and the wait they started holds
    return wait;
  }

  async succeeded(userId: string): Promise<void> {
    await this.store.deleteSetting(failedSignInsSetting(userId));
  }

  /** The stored failures and their revision; a record past `forgetAt` (not yet deleted by its TTL) counts none. */
  private async read(
    userId: string,
  ): Promise<{ count: number; until: number; revision: number } | undefined> {
    const setting = await this.store.getSetting(failedSignInsSetting(userId));
    if (!setting) return undefined;
    const { count, until, forgetAt } = setting.value;
    const live = typeof forgetAt === 'number' && forgetAt > this.now();
    return {
      count: live ? Number(count) || 0 : 0,
      until: live ? Number(until) || 0 : 0,
      revision: setting.revision,
    };
  }
}

export type LocalSignInDeps = {
  store: DaibanStore;
  passwords: PasswordHasher;
  tokens: SessionTokens;
  log: Logger;
  /** where failures are counted: the table by default ({@link StoredFailedSignIns}) */
  attempts?: SignInAttempts;
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
  private readonly attempts: SignInAttempts;

  constructor(private readonly deps: LocalSignInDeps) {
    this.attempts = deps.attempts ?? new StoredFailedSignIns(deps.store);
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
    // the wait, the user and the password hash are read at once: a refused sign-in costs no hash, but no extra round
    const [wait, user, credential] = await Promise.all([
      this.attempts.waitFor(input.userId),
      store.getUser(input.userId),
      store.getCredential(input.userId),
    ]);
    if (wait > 0) {
      throw new TooManyAttemptsError(
        'AUTH.TOO_MANY_ATTEMPTS',
        `too many failed sign-ins for this user id; try again in ${wait} s`,
        wait,
      );
    }
    const right =
      user && credential
        ? await passwords.verify(input.password, credential.passwordHash)
        : await passwords.verifyNone(input.password);
    if (!right || !user || !credential) {
      const locked = await this.attempts.failed(input.userId);
      if (locked > 0)
        log.warn('sign-ins of a user id wait after repeated failures', {
          userId: input.userId,
          waitSeconds: locked,
        });
      throw new UnauthenticatedError(WRONG, 'AUTH.SIGN_IN_FAILED');
    }
    await this.attempts.succeeded(input.userId);
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

  /** Whose session a token was, even expired (see `SessionTokens.subjectEvenIfExpired`); never signs anyone in. */
  ownerOfToken(token: string): Promise<string | undefined> {
    return this.deps.tokens.subjectEvenIfExpired(token);
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
