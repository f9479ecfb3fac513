import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../infra/local/backup-cli.js';
import { DATA_LAYOUT } from '../../shared/store/layout-upgrade.js';
import { decodeSnapshot } from '../../shared/store/snapshot.js';
import { devToken, request, StartedRuntimes } from '../support/runtime-process.js';

/**
 * `test/fixtures/previous-release-data.tar.gz` is a data folder (DAIBAN_DATA_DIR) made by the release before
 * backups (commit 0f76d63): its `npm start` seeded the demo on an empty folder (its demo projects, most of them in flight)
 * and was stopped with Ctrl-C; the token-signing secret was left out. See test/fixtures/README.md.
 */
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'previous-release-data.tar.gz');

describe('starting this version on a data folder of the previous release', () => {
  const folders: string[] = [];
  const runtimes = new StartedRuntimes();
  afterAll(async () => {
    await runtimes.stopAll();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('upgrades the table in place and resumes every project in flight', async () => {
    // Prepare: the old folder, unpacked where nothing else runs
    const folder = mkdtempSync(join(tmpdir(), 'daiban-previous-'));
    folders.push(folder);
    const untar = spawnSync('tar', ['-xzf', FIXTURE, '-C', folder], { encoding: 'utf8' });

    // Act
    const { runtime, port, base } = await runtimes.resumeOnDataFolder(folder);
    const token = await devToken(base, 'leader-zhang');
    const listed = await request(`${base}/projects?limit=100`, { token });
    const inFlight = (listed.body.projects as Array<{ projectId: string; status: string }>).filter(
      (p) => p.status === 'active' || p.status === 'returned',
    );
    const views = await Promise.all(
      inFlight.map((p) => request(`${base}/projects/${p.projectId}`, { token })),
    );
    const backup = await runBackup(['--out', join(folder, 'after-upgrade.jsonl.gz')], { PORT: String(port) });
    runtime.child.kill('SIGINT');
    const exit = await runtime.exited;

    // Assess
    const { items } = decodeSnapshot(readFileSync(backup.file));
    expect(untar.status).toBe(0);
    expect(runtime.output()).not.toContain('Seeding the demo');
    expect(runtime.output()).toContain(`Resumed ${inFlight.length} project(s) in flight`);
    expect(views.map((v) => v.status)).toEqual(views.map(() => 200));
    expect(views.length).toBeGreaterThan(0);
    expect(backup.header.layout).toBe(DATA_LAYOUT);
    // no item left in an older layout (layout 1 kept a project's handovers under ASSIGNMENT#)
    expect(items.filter((i) => (i.SK?.S ?? '').startsWith('ASSIGNMENT#'))).toEqual([]);
    expect(exit).toBe(0);
  }, 240_000);
});
