import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDataPrivate } from '../../../infra/local/private-data.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('the data folder, private to the user running the service', () => {
  const folders: string[] = [];
  const folder = () => {
    const path = mkdtempSync(join(tmpdir(), 'daiban-private-'));
    folders.push(path);
    return join(path, 'data');
  };
  afterEach(() => {
    for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
  });

  it('is made with mode 0700 when missing', () => {
    // Prepare
    const dataDir = folder();

    // Act
    const tightened = makeDataPrivate(dataDir);

    // Assess
    expect(modeOf(dataDir)).toBe(0o700);
    expect(tightened).toEqual([]);
  });

  it('tightens a folder an older version left open: the folder and its folders 0700, its files 0600', () => {
    // Prepare: a DynamoDB Local database file and a record as an older start left them
    const dataDir = folder();
    mkdirSync(join(dataDir, 'nested'), { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'shared-local-instance.db'), 'table', { mode: 0o644 });
    writeFileSync(join(dataDir, 'nested', 'dynamodb-local.json'), '{}', { mode: 0o664 });
    writeFileSync(join(dataDir, 'session-secret'), 'x', { mode: 0o600 });

    // Act
    const tightened = makeDataPrivate(dataDir);

    // Assess
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, 'nested'))).toBe(0o700);
    expect(modeOf(join(dataDir, 'shared-local-instance.db'))).toBe(0o600);
    expect(modeOf(join(dataDir, 'nested', 'dynamodb-local.json'))).toBe(0o600);
    expect(tightened.sort()).toEqual(
      [
        dataDir,
        join(dataDir, 'nested'),
        join(dataDir, 'nested', 'dynamodb-local.json'),
        join(dataDir, 'shared-local-instance.db'),
      ].sort(),
    );
  });

  it('makes the files a child process writes later private too (the umask the runtime sets)', () => {
    // Prepare
    const dataDir = folder();
    makeDataPrivate(dataDir);
    const file = join(dataDir, 'written-by-a-child.db');

    // Act: a process that sets the runtime's umask, then starts a child that writes a file with default modes
    const script = `import { spawnSync } from 'node:child_process';
import { privateUmask } from ${JSON.stringify(join(import.meta.dirname, '../../../infra/local/private-data.ts'))};
privateUmask();
spawnSync('sh', ['-c', 'echo table > "$0"', ${JSON.stringify(file)}]);`;
    const run = spawnSync(join(import.meta.dirname, '../../../node_modules/.bin/tsx'), ['-e', script], {
      encoding: 'utf8',
    });

    // Assess
    expect(run.stderr).toBe('');
    expect(modeOf(file)).toBe(0o600);
  });
});
