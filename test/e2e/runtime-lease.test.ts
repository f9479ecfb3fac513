import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.js';
import { readRecord } from '../../infra/local/dynamodb-record.js';
import { APPROVAL, projectRegistration, submissionOf } from '../support/fixtures.js';
import {
  devToken,
  type RuntimeProcess,
  request,
  spawnRuntime,
  startRuntime,
} from '../support/runtime-process.js';

type StepView = { stepId: string; status: string };
const stepsOf = (view: { stages: Array<{ steps: StepView[] }> }) => view.stages.flatMap((s) => s.steps);

/** Polls until `check` passes or `timeoutMs` runs out (the engine opens steps a moment after a decision). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('one runtime per store (the runtime lease)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'daiban-lease-'));
  const started: RuntimeProcess[] = [];
  let first: RuntimeProcess;
  let base: string;
  let dynamoPort: number;

  beforeAll(async () => {
    const port = await freePort();
    dynamoPort = await freePort();
    base = `http://127.0.0.1:${port}`;
    first = await startRuntime(
      {
        PORT: String(port),
        DYNAMODB_PORT: String(dynamoPort),
        DAIBAN_DATA_DIR: dataDir,
        DAIBAN_SEED_DEMO: 'false',
      },
      ['--clock=simulated'],
    );
    started.push(first);
  });
  afterAll(async () => {
    first?.child.kill('SIGINT');
    await first?.exited;
    for (const runtime of started) runtime.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second runtime on the same data, naming the first, while the first keeps serving its projects', async () => {
    // Prepare: a project whose step 1 (filing, 发改局) is open
    const agent = await devToken(base, 'agent-wang');
    const officer = await devToken(base, 'officer-drc');
    const registered = await request(`${base}/projects`, {
      method: 'POST',
      token: agent,
      body: projectRegistration(),
    });
    const projectId = registered.body.projectId as string;
    const view = () => request(`${base}/projects/${projectId}`, { token: agent }).then((r) => r.body);
    await eventually(view, (v) => stepsOf(v).some((s) => s.stepId === '1' && s.status === 'ready'));

    // Act: a second npm start on the same data folder and DynamoDB port (its own HTTP port)
    const second = spawnRuntime({
      PORT: String(await freePort()),
      DYNAMODB_PORT: String(dynamoPort),
      DAIBAN_DATA_DIR: dataDir,
      DAIBAN_SEED_DEMO: 'false',
    });
    started.push(second);
    const secondExit = await second.exited;

    // Act: the first still serves, and its project still moves on
    const health = await request(`${base}/health`);
    const submitted = await request(`${base}/projects/${projectId}/steps/1/submission`, {
      method: 'POST',
      token: agent,
      body: submissionOf('1'),
    });
    const decided = await request(`${base}/projects/${projectId}/steps/1/decision`, {
      method: 'POST',
      token: officer,
      body: APPROVAL,
    });
    const after = await eventually(view, (v) =>
      stepsOf(v).some((s) => s.stepId === '2' && s.status === 'ready'),
    );

    // Assess
    expect(secondExit).toBe(1);
    expect(second.output()).toContain('Another Daiban runtime is already running on this database');
    expect(second.output()).toMatch(
      new RegExp(`pid ${first.child.pid} on host \\S+, running since \\S+, its lease holds until \\S+`),
    );
    expect(second.output()).not.toContain('Resuming');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect(submitted.status).toBe(200);
    expect(decided.status).toBe(200);
    expect(stepsOf(after).find((s) => s.stepId === '1')?.status).toBe('approved');
    expect(stepsOf(after).find((s) => s.stepId === '2')?.status).toBe('ready');
  });

  it('reports the database down (503) while DynamoDB Local is stopped, and ok once it is back, without a restart', async () => {
    // Prepare
    const javaPid = readRecord(dataDir)?.pid ?? 0;
    expect(javaPid).toBeGreaterThan(0);

    // Act: freeze DynamoDB Local, then let it go on
    process.kill(javaPid, 'SIGSTOP');
    let during: Awaited<ReturnType<typeof request>>;
    let retryAfter: string | null;
    try {
      // (asked a few times: on a loaded machine the first answer can still come from before the stop took hold)
      for (let attempt = 0; ; attempt += 1) {
        const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(10_000) });
        retryAfter = res.headers.get('retry-after');
        during = { status: res.status, body: await res.json() };
        if (during.status === 503 || attempt >= 4) break;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    } finally {
      process.kill(javaPid, 'SIGCONT');
    }
    const after = await eventually(
      () => request(`${base}/health`),
      (r) => r.status === 200,
    );

    // Assess
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ status: 'unavailable', database: 'down', engine: 'ok' });
    expect(retryAfter).toBe('5');
    expect(after.status).toBe(200);
    expect(after.body.database).toBe('ok');
  });

  it('runs on a simulated clock that an admin moves forward with POST /admin/clock', async () => {
    // Prepare
    const admin = await devToken(base, 'admin');
    const before = (await request(`${base}/health`)).body;

    // Act
    const moved = await request(`${base}/admin/clock`, {
      method: 'POST',
      token: admin,
      body: { advanceDays: 30 },
    });
    const after = (await request(`${base}/health`)).body;

    // Assess
    expect(before.clock).toBe('simulated');
    expect(first.output()).toContain('clock             simulated');
    // the clock moved at once; the scheduled job runs at the new time in the background
    expect(moved.status).toBe(202);
    const movedBy = Date.parse(after.time) - Date.parse(before.time);
    expect(movedBy).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(movedBy).toBeLessThan(31 * 86_400_000);
  });
});
