import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.js';
import { RECORD_FILE, readRecord } from '../../infra/local/dynamodb-record.js';
import { isRunning } from '../../infra/local/processes.js';
import {
  answers,
  devToken,
  type RuntimeProcess,
  request,
  spawnRuntime,
  startRuntime,
} from '../support/runtime-process.js';

describe('the embedded runtime (npm start)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'daiban-runtime-'));
  const running: RuntimeProcess[] = [];
  afterAll(() => {
    for (const runtime of running) runtime.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('comes up with a seeded demo, stops everything on Ctrl-C, and resumes from its data', async () => {
    // Prepare
    const port = await freePort();
    const dynamoPort = await freePort();
    const env = { PORT: String(port), DYNAMODB_PORT: String(dynamoPort), DAIBAN_DATA_DIR: dataDir };
    const base = `http://127.0.0.1:${port}`;

    // Act: first start seeds the demo
    const first = await startRuntime(env);
    running.push(first);
    const token = await devToken(base, 'leader-zhang');
    const seeded = await request(`${base}/projects`, { token });
    const lightsProject = (seeded.body.projects as Array<{ projectId: string; name: string }>).find(
      (p) => p.name === '长江数据中心一期',
    );
    const lights = await request(`${base}/projects/${lightsProject?.projectId}`, { token });
    const lightsDocuments = await request(`${base}/projects/${lightsProject?.projectId}/documents`, {
      token,
    });
    const meetings = await request(`${base}/meetings`, { token });
    const javaPid = readRecord(dataDir)?.pid;
    first.child.kill('SIGINT');
    const firstExit = await first.exited;
    const dynamoAfterStop = await answers(`http://127.0.0.1:${dynamoPort}`);
    const recordAfterStop = existsSync(join(dataDir, RECORD_FILE));

    // Act: the second start resumes from the same data and seeds nothing
    const second = await startRuntime(env);
    running.push(second);
    const again = await request(`${base}/projects`, { token });
    await second.waitFor('project(s) in flight in');
    second.child.kill('SIGINT');
    const secondExit = await second.exited;

    // Assess
    expect(first.output()).toContain('Seeding the demo');
    const projects = seeded.body.projects as Array<{
      status: string;
      currentStageIndex: number;
      code: string;
    }>;
    expect(projects).toHaveLength(6);
    expect(projects.filter((p) => p.status === 'completed')).toHaveLength(1);
    expect(new Set(projects.filter((p) => p.status === 'active').map((p) => p.currentStageIndex))).toEqual(
      new Set([0, 1, 2]),
    );
    for (const project of projects) expect(project.code).toHaveLength(24);
    // the demo shows every light of 限时办结: deemed approved with its notice, red, yellow; and a meeting convened
    const step = (id: string) =>
      (
        lights.body.stages as Array<{
          steps: Array<{ stepId: string; status: string; clock: { light: string } | null }>;
        }>
      )
        .flatMap((s) => s.steps)
        .find((s) => s.stepId === id);
    expect(step('6')?.status).toBe('deemed_approved');
    expect(step('7')?.clock?.light).toBe('red');
    expect(step('8')?.clock?.light).toBe('yellow');
    expect(lightsDocuments.body.documents.map((d: { kind: string }) => d.kind)).toContain(
      'deemed_approval_notice',
    );
    expect(meetings.body.meetings).toHaveLength(1);
    expect(firstExit).toBe(0);
    expect(javaPid).toBeTypeOf('number');
    expect(isRunning(javaPid ?? 0)).toBe(false);
    expect(dynamoAfterStop).toBe(false);
    expect(recordAfterStop).toBe(false);
    expect(second.output()).not.toContain('Seeding the demo');
    expect(second.output()).toContain('Resumed 5 project(s) in flight');
    expect(again.body.projects).toEqual(projects);
    expect(secondExit).toBe(0);
  });

  it('stops at once with a clear message when its HTTP port is in use, before starting anything', async () => {
    // Prepare: another program holds the port
    const port = await freePort();
    const other: Server = createServer();
    await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
    const dynamoPort = await freePort();
    const folder = mkdtempSync(join(tmpdir(), 'daiban-port-'));

    try {
      // Act
      const runtime = spawnRuntime({
        PORT: String(port),
        DYNAMODB_PORT: String(dynamoPort),
        DAIBAN_DATA_DIR: folder,
      });
      running.push(runtime);
      const code = await runtime.exited;

      // Assess
      expect(code).toBe(1);
      expect(runtime.output()).toContain(
        `port ${port} is in use: another Daiban or another program; set PORT`,
      );
      expect(runtime.output()).not.toContain('Starting DynamoDB Local');
      expect(runtime.output()).not.toContain('Resuming');
      expect(await answers(`http://127.0.0.1:${dynamoPort}`)).toBe(false);
    } finally {
      other.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
