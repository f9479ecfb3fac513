import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.js';
import { RECORD_FILE, readRecord } from '../../infra/local/dynamodb-record.js';
import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import { isRunning } from '../../infra/local/processes.js';
import { SESSION_SECRET_FILE } from '../../infra/local/session-secret.js';
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
    const signedIn = await request(`${base}/auth/login`, {
      method: 'POST',
      body: { userId: 'agent-wang', password: DEMO_PASSWORD },
    });
    const javaPid = readRecord(dataDir)?.pid;
    first.child.kill('SIGINT');
    const firstExit = await first.exited;
    const dynamoAfterStop = await answers(`http://127.0.0.1:${dynamoPort}`);
    const recordAfterStop = existsSync(join(dataDir, RECORD_FILE));

    // Act: the second start resumes from the same data and seeds nothing
    const second = await startRuntime(env);
    running.push(second);
    const again = await request(`${base}/projects`, { token });
    const sameSession = await request(`${base}/me/notifications`, { token: signedIn.body.token });
    await second.waitFor('project(s) in flight in');
    second.child.kill('SIGINT');
    const secondExit = await second.exited;

    // Assess
    expect(first.output()).toContain('in DEMO mode');
    expect(first.output()).toContain(
      `made a new token-signing secret in ${join(dataDir, SESSION_SECRET_FILE)}`,
    );
    expect(statSync(join(dataDir, SESSION_SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(signedIn.status).toBe(200);
    expect(first.output()).toContain('Seeding the demo');
    const projects = seeded.body.projects as Array<{
      status: string;
      currentStageIndex: number;
      code: string;
    }>;
    expect(projects).toHaveLength(8);
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
    // the secret made by the first start signs and verifies for the second: a token outlives a restart
    expect(second.output()).not.toContain('made a new token-signing secret');
    expect(sameSession.status).toBe(200);
    expect(second.output()).toContain('Resumed 7 project(s) in flight');
    expect(again.body.projects).toEqual(projects);
    expect(secondExit).toBe(0);
  }, 180_000); // two starts, the first seeding the demo: over a minute on a busy two-core machine

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

  it('in production mode, wants the first admin password on empty data, then serves no demo and no dev tokens', async () => {
    // Prepare
    const port = await freePort();
    const dynamoPort = await freePort();
    const folder = mkdtempSync(join(tmpdir(), 'daiban-production-'));
    const env = { PORT: String(port), DYNAMODB_PORT: String(dynamoPort), DAIBAN_DATA_DIR: folder };
    const base = `http://127.0.0.1:${port}`;

    try {
      // Act: without the password it refuses; with it, it starts
      const refused = spawnRuntime(env, ['--production']);
      running.push(refused);
      const refusedCode = await refused.exited;
      const started = await startRuntime({ ...env, DAIBAN_ADMIN_PASSWORD: 'first admin password' }, [
        '--production',
      ]);
      running.push(started);
      const devToken = await request(`${base}/auth/dev-token`, { method: 'POST', body: { userId: 'admin' } });
      const demoUser = await request(`${base}/auth/login`, {
        method: 'POST',
        body: { userId: 'agent-wang', password: DEMO_PASSWORD },
      });
      const admin = await request(`${base}/auth/login`, {
        method: 'POST',
        body: { userId: 'admin', password: 'first admin password' },
      });
      const projects = await request(`${base}/projects`, { token: admin.body.token });
      started.child.kill('SIGINT');
      const startedExit = await started.exited;

      // Assess
      expect(refusedCode).toBe(1);
      expect(refused.output()).toContain('set DAIBAN_ADMIN_PASSWORD');
      expect(started.output()).toContain('in production mode');
      expect(started.output()).not.toContain('Seeding the demo');
      expect(started.output()).not.toContain('first admin password');
      expect(devToken.status).toBe(404);
      expect(demoUser.status).toBe(401);
      expect(admin.status).toBe(200);
      expect(projects.body.projects).toEqual([]);
      expect(startedExit).toBe(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
