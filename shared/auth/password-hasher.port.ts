/**
 * Hashes and checks passwords for the product's sign-in (locally and on AWS). The stored string names its
 * algorithm and parameters, so they can be raised later without losing the users who signed up before.
 * Adapter: `ScryptPasswordHasher`.
 */
export interface PasswordHasher {
  /** A new hash of the password with a fresh random salt. */
  hash(password: string): Promise<string>;
  /** Whether the password matches the stored hash (compared in constant time); false for a hash it cannot read. */
  verify(password: string, stored: string): Promise<boolean>;
  /** Spends the time a `verify` takes, for a user who does not exist: timing must not tell who exists. */
  verifyNone(password: string): Promise<false>;
  /** Whether a stored hash was made with weaker parameters than new ones (it is re-hashed at the next sign-in). */
  needsRehash(stored: string): boolean;
}
