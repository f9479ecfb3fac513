import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.js';
import { readRecord } from '../../infra/local/dynamodb-record.js';
import {
  assertConsistent,
  describeProjects,
  driveAll,
  FAULT_CHAIN,
  registerProjects,
  sleep,
  Users,
} from '../support/fault-users.js';
import { clearedAfterAll, startFaultRuntime } from '../support/runtime-leftovers.js';

/**
 * Issue 18, part 5, "nothing stays stuck": DynamoDB Local dies under a burst of decisions and stays away for a
 * minute; the runtime, never restarted, starts it again by itself, and every project moves on to the end (none
 * left active with nothing open and nothing waiting). Its own file, so that it runs beside the other fault tests.
 */
describe('the runtime through a DynamoDB Local outage', () => {
  const leftovers = clearedAfterAll();
  const { dataDirs } = leftovers;

  it('moves every project on after DynamoDB Local dies under a burst of decisions, the runtime restarting it by itself', {
    timeout: 480_000,
  }, async () => {
    // Prepare: a runtime that waits `outageMs` before it restarts a DynamoDB Local that died (that wait is the
    // outage), and whose audit renews an execution waiting on nothing after 15 s (300 s by default); 40 projects.
    // The outage is the 60 s (DAIBAN_FAULT_OUTAGE_MS=<ms> changes it, e.g. to study a run): the task
    // handlers' retries and the outbox's first re-sends fall inside it.
    const outageMs = Number(process.env.DAIBAN_FAULT_OUTAGE_MS ?? 60_000);
    const dataDir = mkdtempSync(join(tmpdir(), 'daiban-restart-'));
    dataDirs.push(dataDir);
    const [port, dynamoPort] = [await freePort(), await freePort()];
    const runtime = await startFaultRuntime(
      leftovers,
      { dataDir, port, dynamoPort },
      { DAIBAN_DYNAMODB_RESTART_DELAY_MS: String(outageMs), DAIBAN_STUCK_AFTER_SECONDS: '15' },
    );
    const users = new Users(`http://127.0.0.1:${port}`);
    expect((await users.call('POST', '/chains', 'admin', FAULT_CHAIN)).status).toBe(201);
    const projects = await registerProjects(users, 40);

    // Act: a burst of decisions on every project; DynamoDB Local dies in the middle of it (SIGKILL), and nobody
    // but the runtime starts it again
    const statuses: number[] = [];
    const driving = driveAll(users, projects, statuses, Date.now() + outageMs + 180_000);
    // what the runtime said, for whoever studies a run (DAIBAN_FAULT_RUNTIME_LOG=/tmp/runtime.log)
    const keepLog = process.env.DAIBAN_FAULT_RUNTIME_LOG;
    if (keepLog) void driving.finally(() => writeFileSync(keepLog, runtime.output()));
    await sleep(4000);
    const record = readRecord(dataDir);
    if (!record) throw new Error('the runtime recorded no DynamoDB Local');
    process.kill(record.pid, 'SIGKILL');
    await runtime.waitFor('DynamoDB Local restarted', outageMs + 60_000);
    const done = await driving;

    // Assess: every project moved on to the end, each decision recorded once, by the same runtime
    const notDone = projects.filter((p) => !done.has(p));
    if (notDone.length > 0) {
      const said = runtime
        .output()
        .split('\n')
        .filter((line) => /audit|renew|reconcil|DynamoDB Local|failed/i.test(line))
        .slice(-60);
      expect(notDone, `${await describeProjects(users, notDone.slice(0, 5))}\n${said.join('\n')}`).toEqual(
        [],
      );
    }
    expect(runtime.output()).toContain(`DynamoDB Local (pid ${record.pid}) is gone: restarting it`);
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    expect(runtime.child.exitCode).toBeNull();
    await assertConsistent(users, projects);
  });
});
