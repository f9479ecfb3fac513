import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SessionTokens } from '../../../shared/auth/session-tokens.js';
import { type SigningKeySource, staticSigningKey } from '../../../shared/auth/signing-key.port.js';
import { UnauthenticatedError } from '../../../shared/domain/errors.js';
import type { User } from '../../../shared/domain/project.js';

const agent: User = { userId: 'agent-wang', name: '王代办', role: 'agent' };

/** A key source like the AWS one: a current key an operator can rotate, read again on `refresh`. */
function rotatingKeys() {
  const state = {
    stored: randomBytes(32) as Uint8Array,
    read: undefined as Uint8Array | undefined,
    refreshes: 0,
  };
  state.read = state.stored;
  const source: SigningKeySource = {
    current: async () => state.read as Uint8Array,
    refresh: async () => {
      state.refreshes += 1;
      const changed = state.read !== state.stored;
      state.read = state.stored;
      return changed;
    },
  };
  return { state, source };
}

describe('session tokens with a signing key source (Secrets Manager on AWS)', () => {
  it('refuses a token signed with the old key once the source hands out the new one, even one verified before', async () => {
    // Prepare
    const { state, source } = rotatingKeys();
    const tokens = new SessionTokens(source);
    const { token } = await tokens.issue(agent);
    expect((await tokens.verify(token)).userId).toBe('agent-wang');

    // Act: rotated, and this process has read the new key
    state.stored = randomBytes(32);
    state.read = state.stored;
    const verifying = tokens.verify(token);

    // Assess
    await expect(verifying).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(tokens.verify(token)).rejects.toThrow(/signed with another key/);
    expect((await tokens.verify((await tokens.issue(agent)).token)).userId).toBe('agent-wang');
  });

  it('reads the key again when a token was signed with a newer key than the one this process holds', async () => {
    // Prepare: another process read the rotated key first and signed with it
    const { state, source } = rotatingKeys();
    const mine = new SessionTokens(source);
    state.stored = randomBytes(32);
    const theirs = new SessionTokens(staticSigningKey(state.stored));
    const { token } = await theirs.issue(agent);

    // Act
    const principal = await mine.verify(token);

    // Assess
    expect(principal.userId).toBe('agent-wang');
    expect(state.refreshes).toBe(1);
  });

  it('refuses a forged token after one refresh that changed nothing', async () => {
    // Prepare
    const { state, source } = rotatingKeys();
    const tokens = new SessionTokens(source);
    const forged = await new SessionTokens(randomBytes(32)).issue(agent);

    // Act + Assess
    await expect(tokens.verify(forged.token)).rejects.toThrow(/signed with another key/);
    expect(state.refreshes).toBe(1);
  });

  it('refuses a key shorter than 32 bytes', () => {
    expect(() => new SessionTokens(randomBytes(16))).toThrow(/at least 32 bytes/);
    expect(() => staticSigningKey(randomBytes(31))).toThrow(/at least 32 bytes/);
  });
});
