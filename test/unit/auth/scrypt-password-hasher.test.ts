import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HASHING,
  DEFAULT_SCRYPT,
  ScryptPasswordHasher,
} from '../../../shared/auth/scrypt-password-hasher.js';
import { UnavailableError } from '../../../shared/domain/errors.js';

/** Cheap parameters: the same code path, a few milliseconds a hash. */
const cheap = new ScryptPasswordHasher({ ln: 10, r: 8, p: 1 });

describe('password hashes (scrypt)', () => {
  it('hashes with the default parameters, named in the stored string with a salt and the key', async () => {
    // Act
    const stored = await new ScryptPasswordHasher().hash('correct horse battery');

    // Assess
    expect(DEFAULT_SCRYPT).toEqual({ ln: 15, r: 8, p: 1 });
    expect(stored).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  it('gives the same password a different salt, and so a different hash, every time', async () => {
    // Act
    const first = await cheap.hash('daiban-demo');
    const second = await cheap.hash('daiban-demo');

    // Assess
    expect(first).not.toBe(second);
    expect(first.split('$')[3]).not.toBe(second.split('$')[3]);
  });

  it('accepts the right password and refuses a wrong one', async () => {
    // Prepare
    const stored = await cheap.hash('correct horse battery');

    // Act / Assess
    expect(await cheap.verify('correct horse battery', stored)).toBe(true);
    expect(await cheap.verify('correct horse batterY', stored)).toBe(false);
    expect(await cheap.verify('', stored)).toBe(false);
  });

  it('checks a hash with the parameters stored in it, not the ones it would hash with now', async () => {
    // Prepare
    const stored = await cheap.hash('correct horse battery');

    // Act
    const right = await new ScryptPasswordHasher({ ln: 11, r: 8, p: 1 }).verify(
      'correct horse battery',
      stored,
    );

    // Assess
    expect(right).toBe(true);
  });

  it('treats the same password typed with full-width characters as the same password (NFKC)', async () => {
    // Prepare
    const stored = await cheap.hash('password 2026 ok');

    // Act / Assess
    expect(await cheap.verify('password ２０２６ ok', stored)).toBe(true);
  });

  it.each([
    ['not a hash at all', 'plaintext'],
    ['another algorithm', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g'],
    [
      'a cost that would take gigabytes',
      '$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g',
    ],
    ['a truncated key', '$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFz'],
  ])('refuses any password against a stored hash it cannot read: %s', async (_what, stored) => {
    // Act / Assess
    expect(await cheap.verify('correct horse battery', stored)).toBe(false);
  });

  it('asks for a re-hash of a hash weaker than what it makes now', async () => {
    // Prepare
    const weak = await cheap.hash('correct horse battery');
    const stronger = new ScryptPasswordHasher({ ln: 11, r: 8, p: 1 });

    // Act / Assess
    expect(stronger.needsRehash(weak)).toBe(true);
    expect(cheap.needsRehash(weak)).toBe(false);
    expect(cheap.needsRehash('plaintext')).toBe(true);
  });

  it('spends a hash on a user who does not exist, and says no', async () => {
    // Act / Assess
    expect(await cheap.verifyNone('anything at all')).toBe(false);
  });

  it('runs at most two hashes at once in the process, queues a bounded number and refuses the rest (503, retry soon)', async () => {
    // Prepare
    const hasher = new ScryptPasswordHasher({ ln: 10, r: 8, p: 1 });
    const stored = await hasher.hash('correct horse battery');

    // Act: 50 checks at once
    const pending = Array.from({ length: 50 }, (_, i) =>
      i % 2 === 0 ? hasher.verify(`guess ${i}`, stored) : hasher.verifyNone(`guess ${i}`),
    );
    const atOnce = hasher.load;
    const settled = await Promise.allSettled(pending);

    // Assess
    expect(DEFAULT_HASHING).toEqual({ maxConcurrent: 2, maxWaiting: 32 });
    expect(atOnce).toMatchObject({ running: 2, waiting: 32 });
    expect(hasher.load).toEqual({ running: 0, waiting: 0, peak: 2 });
    const refused = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(refused).toHaveLength(16);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(UnavailableError);
      expect(reason).toMatchObject({ code: 'AUTH.BUSY', retryAfterSeconds: 2 });
    }
    expect(settled.filter((r) => r.status === 'fulfilled').map((r) => r.value)).toEqual(
      Array(34).fill(false),
    );
  });
});
