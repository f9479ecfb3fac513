import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.js';

type Runtime = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

/** Starts `npm start`'s entry point as a real process and waits until it serves. */
async function startRuntime(env: Record<string, string>): Promise<Runtime> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!output.includes('is running at')) {
    if (child.exitCode !== null) throw new Error(`the runtime exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the runtime did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, output: () => output, exited };
}

async function json(url: string, init?: RequestInit): Promise<any> {
  const res = await fetch(url, init);
  return res.json();
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

describe('the embedded runtime (npm start)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'daiban-runtime-'));
  const running: Runtime[] = [];
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
    const { token } = await json(`${base}/auth/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'leader-zhang' }),
    });
    const seeded = await json(`${base}/projects`, { headers: { authorization: `Bearer ${token}` } });
    first.child.kill('SIGINT');
    const firstExit = await first.exited;
    const dynamoAfterStop = await answers(`http://127.0.0.1:${dynamoPort}`);

    // Act: the second start resumes from the same data and seeds nothing
    const second = await startRuntime(env);
    running.push(second);
    const again = await json(`${base}/projects`, { headers: { authorization: `Bearer ${token}` } });
    second.child.kill('SIGINT');
    const secondExit = await second.exited;

    // Assess
    expect(first.output()).toContain('Seeding the demo');
    const projects = seeded.projects as Array<{ status: string; currentStageIndex: number; code: string }>;
    expect(projects).toHaveLength(5);
    expect(projects.filter((p) => p.status === 'completed')).toHaveLength(1);
    expect(new Set(projects.filter((p) => p.status === 'active').map((p) => p.currentStageIndex))).toEqual(
      new Set([0, 1, 2]),
    );
    for (const project of projects) expect(project.code).toHaveLength(24);
    expect(firstExit).toBe(0);
    expect(dynamoAfterStop).toBe(false);
    expect(second.output()).not.toContain('Seeding the demo');
    expect(second.output()).toContain('Resumed 4 project(s) in flight');
    expect(again.projects).toEqual(projects);
    expect(secondExit).toBe(0);
  });
});
