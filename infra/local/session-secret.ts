import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file, in the runtime's data folder, that holds the secret the local runtime signs session tokens with. */
export const SESSION_SECRET_FILE = 'session-secret';
const SECRET_BYTES = 32;

export type SessionSecret = { secret: Uint8Array; path: string; created: boolean };

/**
 * The installation's token-signing secret: 32 random bytes made on the first start and kept in
 * `<dataDir>/session-secret` (mode 0600, base64url), read again on every later start, so tokens outlive a restart
 * but not a new data folder. Another file there that is not 32+ bytes of base64url stops the start, naming it.
 * Delete the file to sign everyone out (a new secret is made at the next start).
 *
 * @example const { secret, created } = loadSessionSecret('.daiban/dynamodb');
 */
export function loadSessionSecret(dataDir: string): SessionSecret {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, SESSION_SECRET_FILE);
  const fresh = randomBytes(SECRET_BYTES).toString('base64url');
  try {
    // 'wx': only if there is none yet, so two starts at once never write two secrets
    writeFileSync(path, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
    return { secret: Buffer.from(fresh, 'base64url'), path, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Kept by someone else's hands: readable by others is tightened, not refused (the owner is the one starting).
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const text = readFileSync(path, 'utf8').trim();
  const secret = Buffer.from(text, 'base64url');
  if (!/^[A-Za-z0-9_-]+$/.test(text) || secret.length < SECRET_BYTES) {
    throw new Error(
      `${path} is not a session secret (${SECRET_BYTES}+ random bytes, base64url). Delete it to have a new one made at the next start (everyone signed in is signed out).`,
    );
  }
  return { secret, path, created: false };
}
