import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.js';
import { findDynamoDbLocalProcesses } from '../../infra/local/dynamodb-processes.js';
import { RECORD_FILE, readRecord } from '../../infra/local/dynamodb-record.js';
import { isRunning, stopProcess } from '../../infra/local/processes.js';
import {
  answers,
  type RuntimeProcess,
  request,
  spawnRuntime,
  startRuntime,
} from '../support/runtime-process.js';

describe('DynamoDB Local left running by a runtime that died', () => {
  const folder = realpathSync(mkdtempSync(join(tmpdir(), 'daiban-leftover-')));
  const otherFolder = realpathSync(mkdtempSync(join(tmpdir(), 'daiban-other-')));
  const runtimes: RuntimeProcess[] = [];
  afterAll(async () => {
    for (const runtime of runtimes) runtime.child.kill('SIGKILL');
    // a failed test may leave a Java process behind: stop those of our folders (only those: pids get reused)
    for (const found of findDynamoDbLocalProcesses() ?? []) {
      if (found.dbPath === folder || found.dbPath === otherFolder) await stopProcess(found.pid, 1000);
    }
    rmSync(folder, { recursive: true, force: true });
    rmSync(otherFolder, { recursive: true, force: true });
  });

  /** Starts a runtime on `dataDir` and DynamoDB port `dynamoPort`, with no demo. */
  const envFor = async (dataDir: string, dynamoPort: number) => ({
    PORT: String(await freePort()),
    DYNAMODB_PORT: String(dynamoPort),
    DAIBAN_DATA_DIR: dataDir,
    DAIBAN_SEED_DEMO: 'false',
  });
  const killHard = async (runtime: RuntimeProcess) => {
    runtime.child.kill('SIGKILL');
    await runtime.exited;
  };

  it("is refused for another data folder, naming its folder and pid, then adopted by the next start for its own folder and stopped by that one's Ctrl-C", async () => {
    // Prepare: a runtime killed hard; its Java process lives on
    const dynamoPort = await freePort();
    const crashed = await startRuntime(await envFor(folder, dynamoPort));
    runtimes.push(crashed);
    const leftover = readRecord(folder)?.pid ?? 0;
    await killHard(crashed);
    const leftoverAfterCrash = isRunning(leftover);

    // Act: a start for another folder on that port
    const stranger = spawnRuntime(await envFor(otherFolder, dynamoPort));
    runtimes.push(stranger);
    const strangerExit = await stranger.exited;

    // Act: a start for the leftover's own folder adopts it; Ctrl-C stops it
    const heir = await startRuntime(await envFor(folder, dynamoPort));
    runtimes.push(heir);
    const port = Number(heir.output().match(/running at http:\/\/127\.0\.0\.1:(\d+)/)?.[1]);
    const health = await request(`http://127.0.0.1:${port}/health`);
    heir.child.kill('SIGINT');
    const heirExit = await heir.exited;

    // Assess
    expect(leftover).toBeGreaterThan(0);
    expect(leftoverAfterCrash).toBe(true);
    expect(strangerExit).toBe(1);
    expect(stranger.output()).toContain(
      `port ${dynamoPort} is used by a DynamoDB Local (pid ${leftover}) for the data folder ${folder}, not ${otherFolder}`,
    );
    expect(heir.output()).toContain(
      `a DynamoDB Local for this data folder is running already (pid ${leftover})`,
    );
    expect(heir.output()).toContain('this one adopts it');
    expect(health.body.status).toBe('ok');
    expect(heirExit).toBe(0);
    expect(isRunning(leftover)).toBe(false);
    expect(existsSync(join(folder, RECORD_FILE))).toBe(false);
    expect(await answers(`http://127.0.0.1:${dynamoPort}`)).toBe(false);
  });

  it('is replaced when its data folder was deleted (the user started afresh)', async () => {
    // Prepare: a runtime killed hard, then its data folder deleted
    const dynamoPort = await freePort();
    const crashed = await startRuntime(await envFor(folder, dynamoPort));
    runtimes.push(crashed);
    const leftover = readRecord(folder)?.pid ?? 0;
    await killHard(crashed);
    rmSync(folder, { recursive: true, force: true });

    // Act
    const fresh = await startRuntime(await envFor(folder, dynamoPort));
    runtimes.push(fresh);
    const replacement = readRecord(folder)?.pid ?? 0;
    const port = Number(fresh.output().match(/running at http:\/\/127\.0\.0\.1:(\d+)/)?.[1]);
    const health = await request(`http://127.0.0.1:${port}/health`);
    fresh.child.kill('SIGINT');
    const exit = await fresh.exited;

    // Assess
    expect(fresh.output()).toContain(`(pid ${leftover}): its data folder ${folder} was deleted`);
    expect(isRunning(leftover)).toBe(false);
    expect(replacement).not.toBe(leftover);
    expect(health.body.status).toBe('ok');
    expect(exit).toBe(0);
    expect(isRunning(replacement)).toBe(false);
  });
});
