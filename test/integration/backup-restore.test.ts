import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runBackup, runRestore } from '../../infra/local/backup-cli.js';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { DATA_LAYOUT } from '../../shared/store/layout-upgrade.js';
import { decodeSnapshot, type RawItem, stableScan } from '../../shared/store/snapshot.js';
import { projectRegistration, submissionOf } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';
import { devToken, request, StartedRuntimes } from '../support/runtime-process.js';

const str = (item: RawItem, name: string) => item[name]?.S ?? '';

/** The in-flight projects of a snapshot, and whether each has what its registration wrote in one transaction. */
function projectsOf(items: readonly RawItem[]) {
  const projects = items.filter((i) => str(i, 'PK').startsWith('PROJECT#') && str(i, 'SK') === 'PROJECT');
  return projects.map((p) => {
    const projectId = str(p, 'projectId');
    const own = items.filter((i) => str(i, 'PK') === `PROJECT#${projectId}`);
    return {
      projectId,
      status: str(p, 'status'),
      hasCode: items.some((i) => str(i, 'PK') === `CODE#${str(p, 'code')}`),
      steps: own.filter((i) => str(i, 'SK').startsWith('STEP#')).length,
      registered: own.some((i) => str(i, 'SK').startsWith('EVENT#')),
    };
  });
}

describe('backup and restore', () => {
  const folders: string[] = [];
  const systems: LocalSystem[] = [];
  const runtimes = new StartedRuntimes();
  afterAll(async () => {
    await runtimes.stopAll();
    for (const system of systems) await system.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  const tempFolder = (name: string) => {
    const folder = mkdtempSync(join(tmpdir(), `daiban-${name}-`));
    folders.push(folder);
    return folder;
  };

  it('snapshots the table while projects register, and a runtime on the restored folder resumes every project in flight', async () => {
    // Prepare: one project whose filing (step 1) is under review, one just registered
    const source = await startTestSystem();
    systems.push(source);
    const api = new ApiClient(source);
    const first = (await api.post('/projects', 'agent-wang', projectRegistration())).body.projectId as string;
    await source.caughtUp();
    await api.post(`/projects/${first}/steps/1/submission`, 'agent-wang', submissionOf('1'));
    await api.post('/projects', 'agent-li', projectRegistration({ agentId: 'agent-li' }));

    // Act: a backup taken while eight more registrations are being written
    const registrations = Array.from({ length: 8 }, (_, i) =>
      api.post('/projects', 'agent-wang', projectRegistration({ name: `并发登记项目${i + 1}` })),
    );
    const during = source.backup();
    const [snapshot, answers] = await Promise.all([during, Promise.all(registrations)]);
    await source.caughtUp();
    const folder = join(tempFolder('restore'), 'data');
    const file = join(tempFolder('snapshot'), 'daiban.jsonl.gz');
    writeFileSync(file, snapshot.bytes);
    const restored = await runRestore(['--file', file, '--data-dir', folder]);
    const again = await runRestore(['--file', file, '--data-dir', folder]).catch((e: Error) => e.message);
    const { runtime, port, base } = await runtimes.resumeOnDataFolder(folder, { DAIBAN_SEED_DEMO: 'false' });
    const token = await devToken(base, 'leader-zhang');
    const listed = await request(`${base}/projects?status=active`, { token });
    const waiting = await request(`${base}/projects/${first}`, { token });
    // the restored runtime backs itself up through its route (npm run backup's default)
    const second = await runBackup(['--out', join(tempFolder('again'), 'again.jsonl.gz')], {
      PORT: String(port),
    });
    runtime.child.kill('SIGINT');
    const exit = await runtime.exited;

    // Assess: every registration is in the snapshot whole or not at all, and all of them resumed
    const { header, items } = decodeSnapshot(snapshot.bytes);
    const projects = projectsOf(items);
    const inFlight = projects.filter((p) => p.status === 'active' || p.status === 'returned');
    expect(answers.every((a) => a.status === 201)).toBe(true);
    expect(header).toMatchObject({
      format: 'daiban-snapshot',
      layout: DATA_LAYOUT,
      itemCount: items.length,
      consistency: 'write-barrier',
    });
    expect(projects.length).toBeGreaterThanOrEqual(2);
    for (const project of projects) {
      // (a registration writes no step items: its steps are derived from the chain until its handlers open one)
      expect(project).toMatchObject({ hasCode: true, registered: true });
    }
    expect(items.some((i) => str(i, 'SK') === 'SETTING' && str(i, 'PK') === 'SETTING#runtime-lease')).toBe(
      false,
    );
    expect(restored.items).toBe(items.length);
    expect(again).toContain('is not empty');
    expect(runtime.output()).toContain(`Resumed ${inFlight.length} project(s) in flight`);
    expect((listed.body.projects as Array<{ projectId: string }>).map((p) => p.projectId).sort()).toEqual(
      inFlight.map((p) => p.projectId).sort(),
    );
    const filing = (waiting.body.stages as Array<{ steps: Array<{ stepId: string; status: string }> }>)
      .flatMap((s) => s.steps)
      .find((s) => s.stepId === '1');
    expect(filing?.status).toBe('in_review');
    expect(second.header).toMatchObject({ layout: DATA_LAYOUT, consistency: 'write-barrier' });
    expect(exit).toBe(0);
  }, 240_000);

  it('reads a quiet table directly by scanning until two scans agree, and refuses a damaged file', async () => {
    // Prepare
    const source = await startTestSystem();
    systems.push(source);
    const api = new ApiClient(source);
    await api.post('/projects', 'agent-wang', projectRegistration());
    await source.caughtUp();
    const endpoint = inject('dynamoEndpoint');
    const folder = tempFolder('direct');

    // Act
    const direct = await runBackup([
      '--endpoint',
      endpoint,
      '--table',
      source.tableName,
      '--out',
      join(folder, 'direct.jsonl.gz'),
    ]);
    const viaRuntime = await source.backup();
    const target = `restored-${Date.now()}`;
    await runRestore(['--file', direct.file, '--endpoint', endpoint, '--table', target]);
    const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
    const copied = await stableScan(client, target);
    client.destroy();
    const text = gunzipSync(readFileSync(direct.file)).toString('utf8');
    const damaged = join(folder, 'damaged.jsonl.gz');
    writeFileSync(damaged, gzipSync(text.replace('智能装备产业园一期', '智能装备产业园二期')));
    const refused = await runRestore([
      '--file',
      damaged,
      '--endpoint',
      endpoint,
      '--table',
      `${target}-x`,
    ]).catch((e: Error) => e.message);
    const intoFull = await runRestore([
      '--file',
      direct.file,
      '--endpoint',
      endpoint,
      '--table',
      target,
    ]).catch((e: Error) => e.message);

    // Assess
    const fromFile = decodeSnapshot(readFileSync(direct.file));
    expect(direct.header.consistency).toBe('stable-scan');
    expect(fromFile.items).toEqual(decodeSnapshot(viaRuntime.bytes).items);
    expect(copied).toEqual(fromFile.items);
    expect(refused).toContain('does not match the sha256');
    expect(intoFull).toContain('is not empty');
  }, 60_000);
});
