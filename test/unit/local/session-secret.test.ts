import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSessionSecret, SESSION_SECRET_FILE } from '../../../infra/local/session-secret.js';

describe("the installation's token-signing secret", () => {
  const folders: string[] = [];
  const folder = () => {
    const path = mkdtempSync(join(tmpdir(), 'daiban-secret-'));
    folders.push(path);
    return join(path, 'data');
  };
  afterEach(() => {
    for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
  });

  it('is made on the first start: 32 random bytes in the data folder, readable by its owner only', () => {
    // Prepare
    const dataDir = folder();

    // Act
    const first = loadSessionSecret(dataDir);

    // Assess
    expect(first.created).toBe(true);
    expect(first.path).toBe(join(dataDir, SESSION_SECRET_FILE));
    expect(first.secret.length).toBe(32);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
  });

  it('is read again, unchanged, on every later start', () => {
    // Prepare
    const dataDir = folder();
    const first = loadSessionSecret(dataDir);
    const text = readFileSync(first.path, 'utf8');

    // Act
    const second = loadSessionSecret(dataDir);

    // Assess
    expect(second.created).toBe(false);
    expect(Buffer.from(second.secret).equals(Buffer.from(first.secret))).toBe(true);
    expect(readFileSync(first.path, 'utf8')).toBe(text);
  });

  it('is different for another data folder', () => {
    // Act
    const one = loadSessionSecret(folder());
    const other = loadSessionSecret(folder());

    // Assess
    expect(Buffer.from(one.secret).equals(Buffer.from(other.secret))).toBe(false);
  });

  it('tightens a secret file others may read back to its owner only', () => {
    // Prepare
    const dataDir = folder();
    const { path } = loadSessionSecret(dataDir);
    chmodSync(path, 0o644);

    // Act
    loadSessionSecret(dataDir);

    // Assess
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('stops the start, naming the file, when the file holds something else', () => {
    // Prepare
    const dataDir = folder();
    const { path } = loadSessionSecret(dataDir);
    writeFileSync(path, 'short\n');

    // Act / Assess
    expect(() => loadSessionSecret(dataDir)).toThrow(`${path} is not a session secret`);
  });
});
