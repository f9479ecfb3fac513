import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { readRecord } from '../../infra/local/dynamodb-record.js';
import {
  assertConsistent,
  driveAll,
  FAULT_CHAIN,
  registerProjects,
  sleep,
  Users,
} from '../support/fault-users.js';
import { clearedAfterAll, startFaultRuntime } from '../support/runtime-leftovers.js';

/**
 * The spine under faults, with `npm start`'s runtime as a real process and the test as its users: projects advance
 * while the runtime is killed (SIGKILL) at random moments and started again, or while DynamoDB Local is stopped
 * and started again under a runtime that keeps running. Every project must complete, every decision must be
 * recorded exactly once, and nothing may wait forever.
 */

describe('the spine under faults', () => {
  const leftovers = clearedAfterAll();
  const { dataDirs, dynamos } = leftovers;
  const start = (dataDir: string, port: number, dynamoPort: number, env: Record<string, string> = {}) =>
    startFaultRuntime(leftovers, { dataDir, port, dynamoPort }, env);

  it('completes every project, each decision recorded once, though the runtime is killed five times', {
    timeout: 300_000,
  }, async () => {
    // Prepare: a runtime, the fault chain, 50 projects
    const dataDir = mkdtempSync(join(tmpdir(), 'daiban-kill-'));
    dataDirs.push(dataDir);
    const [port, dynamoPort] = [await freePort(), await freePort()];
    let runtime = await start(dataDir, port, dynamoPort);
    const users = new Users(`http://127.0.0.1:${port}`);
    expect((await users.call('POST', '/chains', 'admin', FAULT_CHAIN)).status).toBe(201);
    const projects = await registerProjects(users, 50);

    // Act: drive the projects while killing the runtime at random moments, five times, starting it again each time
    const statuses: number[] = [];
    const driving = driveAll(users, projects, statuses, Date.now() + 240_000);
    for (let kill = 0; kill < 5; kill += 1) {
      await sleep(1500 + Math.random() * 2500);
      runtime.child.kill('SIGKILL');
      await runtime.exited;
      runtime = await start(dataDir, port, dynamoPort);
    }
    const done = await driving;

    // Assess
    expect(done.size).toBe(projects.length);
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    await assertConsistent(users, projects);
  });

  it('answers 503 while DynamoDB Local is stopped, writes nothing half, and completes every project without a restart', {
    timeout: 300_000,
  }, async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'daiban-outage-'));
    dataDirs.push(dataDir);
    const [port, dynamoPort] = [await freePort(), await freePort()];
    // the test brings DynamoDB Local back itself: the runtime's own restart (see dynamodb-outage.test.ts) waits longer
    // (and the audit takes a project waiting on nothing as stuck after 20 s, not the default 300 s: an outage can
    // leave one so, and the test waits for every project to move)
    const runtime = await start(dataDir, port, dynamoPort, {
      DAIBAN_DYNAMODB_RESTART_DELAY_MS: '600000',
      DAIBAN_STUCK_AFTER_SECONDS: '20',
    });
    const users = new Users(`http://127.0.0.1:${port}`);
    expect((await users.call('POST', '/chains', 'admin', FAULT_CHAIN)).status).toBe(201);
    const projects = await registerProjects(users, 30);

    // Act: drive; after a while stop DynamoDB Local (kill it), keep asking for 6 s, start it again on its data
    const statuses: number[] = [];
    const driving = driveAll(users, projects, statuses, Date.now() + 240_000);
    await sleep(3000);
    const record = readRecord(dataDir);
    if (!record) throw new Error('the runtime recorded no DynamoDB Local');
    process.kill(record.pid, 'SIGKILL');
    const during: number[] = [];
    const health: number[] = [];
    const outageEnds = Date.now() + 6000;
    while (Date.now() < outageEnds) {
      during.push((await users.call('GET', `/projects/${projects[0]}`, 'leader-zhang')).status);
      health.push((await users.call('GET', '/health', 'leader-zhang')).status);
      await sleep(300);
    }
    dynamos.push(await startDynamoDbLocal({ port: dynamoPort, dataDir }));
    const done = await driving;

    // Assess
    expect(new Set(during)).toEqual(new Set([503]));
    expect(new Set(health)).toEqual(new Set([503]));
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    expect(done.size).toBe(projects.length);
    expect(runtime.child.exitCode).toBeNull(); // the same runtime, never restarted
    await assertConsistent(users, projects);
  });
});
