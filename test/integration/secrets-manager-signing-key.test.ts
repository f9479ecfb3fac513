import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { SecretsManagerSigningKey } from '../../functions/commons/secrets-manager-signing-key.js';

const SECRET_ID =
  'arn:aws-cn:secretsmanager:cn-northwest-1:444455556666:secret:Daiban-prod-SigningKey-AbCdEf';

/** A SecretsManagerClient answering GetSecretValue in process with the secret's current value and version. */
function fakeClient(secret: {
  value: string;
  version: string;
  reads: number;
  down?: boolean;
}): SecretsManagerClient {
  const client = new SecretsManagerClient({
    region: 'cn-northwest-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
  client.middlewareStack.add(
    () => async () => {
      secret.reads += 1;
      if (secret.down) throw Object.assign(new Error('no answer'), { name: 'InternalServiceError' });
      return {
        output: { $metadata: { httpStatusCode: 200 }, SecretString: secret.value, VersionId: secret.version },
        response: {},
      };
    },
    { step: 'initialize', name: 'answerInsteadOfSending' },
  );
  return client;
}

/** The key 'a1'… (version v1) read through the fake client, on a clock the test moves (`clock.now += ms`). */
function keyReadOnAClock() {
  const secret = { value: 'a1'.repeat(32), version: 'v1', reads: 0 };
  const clock = { now: 0 };
  const keys = new SecretsManagerSigningKey({
    client: fakeClient(secret),
    secretId: SECRET_ID,
    now: () => clock.now,
  });
  return { secret, keys, clock };
}

describe('the signing key from Secrets Manager', () => {
  it('is read once per process, then again when its cache lapses (a rotation takes effect)', async () => {
    // Prepare
    const { secret, keys, clock } = keyReadOnAClock();

    // Act
    const [first, concurrent] = await Promise.all([keys.current(), keys.current()]);
    clock.now += 60_000;
    const cached = await keys.current();
    secret.value = 'b2'.repeat(32);
    secret.version = 'v2';
    clock.now += 5 * 60_000;
    const rotated = await keys.current();

    // Assess
    expect(secret.reads).toBe(2);
    expect(concurrent).toBe(first);
    expect(cached).toBe(first);
    expect(new TextDecoder().decode(rotated)).toBe('b2'.repeat(32));
  });

  it('reads again on refresh at most every 10 seconds, and says whether the key changed', async () => {
    // Prepare
    const { secret, keys, clock } = keyReadOnAClock();
    await keys.current();

    // Act
    const unchanged = await keys.refresh();
    secret.version = 'v2';
    secret.value = 'c3'.repeat(32);
    const tooSoon = await keys.refresh();
    clock.now += 10_000;
    const changed = await keys.refresh();

    // Assess
    expect([unchanged, tooSoon, changed]).toEqual([false, false, true]);
    expect(secret.reads).toBe(3);
  });

  it('refuses a secret shorter than 32 bytes, naming it', async () => {
    // Prepare
    const secret = { value: 'short', version: 'v1', reads: 0 };
    const keys = new SecretsManagerSigningKey({ client: fakeClient(secret), secretId: SECRET_ID });

    // Act + Assess
    await expect(keys.current()).rejects.toThrow(/Daiban-prod-SigningKey.*needs 32\+/);
  });

  it('answers 503 (try again), not 500, when Secrets Manager does not answer', async () => {
    // Prepare
    const secret = { value: 'a1'.repeat(32), version: 'v1', reads: 0, down: true };
    const keys = new SecretsManagerSigningKey({ client: fakeClient(secret), secretId: SECRET_ID });

    // Act + Assess
    await expect(keys.current()).rejects.toMatchObject({
      name: 'UnavailableError',
      code: 'AUTH.KEY_UNAVAILABLE',
    });
  });
});
