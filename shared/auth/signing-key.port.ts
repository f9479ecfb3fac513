/**
 * Where the key that signs and verifies session tokens comes from. Locally: a fixed secret kept in the data folder
 * ({@link staticSigningKey}); on AWS: a Secrets Manager secret the stack generates, read once per process and again
 * when it may have been rotated (`functions/commons/secrets-manager-signing-key.ts`). A token signed with an older
 * key is refused once the source hands out the new one.
 */
export interface SigningKeySource {
  /** The key tokens are signed and verified with now (32+ bytes). */
  current(): Promise<Uint8Array>;
  /**
   * A token's signature did not verify with {@link current}: the key may have been rotated since it was read. The
   * source may read it again (sparingly: anyone can send a bad token) and says whether the key changed.
   */
  refresh?(): Promise<boolean>;
}

/** The shortest key accepted: HS256 wants at least 256 bits. */
export const MIN_SIGNING_KEY_BYTES = 32;

/** A key that never changes (the local runtime's file secret; tests). */
export function staticSigningKey(secret: Uint8Array): SigningKeySource {
  if (secret.length < MIN_SIGNING_KEY_BYTES) {
    throw new Error(`the session secret must have at least ${MIN_SIGNING_KEY_BYTES} bytes`);
  }
  const key = Promise.resolve(secret);
  return { current: () => key };
}
