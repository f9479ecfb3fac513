import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { MIN_SIGNING_KEY_BYTES, type SigningKeySource } from '../../shared/auth/signing-key.port.js';
import { UnavailableError } from '../../shared/domain/errors.js';

export type SecretsManagerSigningKeyOptions = {
  client: SecretsManagerClient;
  /** the secret's ARN (the stack hands it to the API function as `SIGNING_KEY_SECRET_ARN`) */
  secretId: string;
  /** how long a read key is used before it is read again: a rotation takes effect within this time (5 min) */
  cacheMs?: number;
  /** the shortest time between two reads forced by a token that did not verify (10 s) */
  refreshIntervalMs?: number;
  now?: () => number;
};

/**
 * The token-signing key on AWS: the current version (`AWSCURRENT`) of a Secrets Manager secret the stateful stack
 * generates (64 letters and digits; its UTF-8 bytes are the HS256 key). Read once per Lambda process, then again
 * every `cacheMs`, and at most every `refreshIntervalMs` when a token signed with a newer key arrives (another
 * process read the rotated key first). After a rotation (`put-secret-value`), tokens signed with the old key are
 * refused by every process within `cacheMs`.
 *
 * @example new SessionTokens(new SecretsManagerSigningKey({ client: new SecretsManagerClient({}), secretId }))
 */
export class SecretsManagerSigningKey implements SigningKeySource {
  readonly #options: Required<Omit<SecretsManagerSigningKeyOptions, 'client' | 'secretId'>> &
    SecretsManagerSigningKeyOptions;
  #cached: { key: Uint8Array; version: string; readAt: number } | undefined;
  #reading: Promise<Uint8Array> | undefined;
  #lastForcedRead = Number.NEGATIVE_INFINITY;

  constructor(options: SecretsManagerSigningKeyOptions) {
    this.#options = { cacheMs: 5 * 60_000, refreshIntervalMs: 10_000, now: Date.now, ...options };
  }

  async current(): Promise<Uint8Array> {
    const cached = this.#cached;
    if (cached && this.#options.now() - cached.readAt < this.#options.cacheMs) return cached.key;
    return this.#read();
  }

  async refresh(): Promise<boolean> {
    const now = this.#options.now();
    if (now - this.#lastForcedRead < this.#options.refreshIntervalMs) return false;
    this.#lastForcedRead = now;
    const before = this.#cached?.version;
    await this.#read();
    return this.#cached?.version !== before;
  }

  /** One read at a time: concurrent requests of a cold process share it. */
  #read(): Promise<Uint8Array> {
    this.#reading ??= this.#fetch().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #fetch(): Promise<Uint8Array> {
    const { client, secretId, now } = this.#options;
    let result: GetSecretValueCommandOutput;
    try {
      result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    } catch (error) {
      // a sign-in or a signed-in request cannot be checked now: 503 (try again), never a 500
      throw new UnavailableError(
        'AUTH.KEY_UNAVAILABLE',
        `the sign-in key could not be read (${error instanceof Error ? error.name : 'error'}); try again in a few seconds`,
      );
    }
    const text = result.SecretString?.trim() ?? '';
    const key = new TextEncoder().encode(text);
    if (key.length < MIN_SIGNING_KEY_BYTES) {
      throw new Error(
        `the signing-key secret ${secretId} holds ${key.length} bytes; it needs ${MIN_SIGNING_KEY_BYTES}+ (put a random value: see docs/deploy-aws.md, "Rotating the signing key")`,
      );
    }
    const version = result.VersionId ?? text;
    // the same version keeps the same bytes object, so tokens verified with it stay remembered
    const unchanged = this.#cached?.version === version;
    this.#cached = { key: unchanged && this.#cached ? this.#cached.key : key, version, readAt: now() };
    return this.#cached.key;
  }
}
