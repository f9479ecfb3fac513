import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRunning } from '../../infra/local/processes.js';

const root = join(import.meta.dirname, '..', '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `pid` is gone; false if it still runs after `withinMs` (a bound, not a speed the test asserts). */
async function goneWithin(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await sleep(100);
  }
  return !isRunning(pid);
}

/** Starts DynamoDB Local in a child process the way the test setup does; the child and the Java pid. */
async function childWithDynamoDb() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/start-dynamodb-child.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const javaPid = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { javaPid: number }).javaPid);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) first:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return { child, javaPid, exited };
}

describe('a DynamoDB Local started by the tests or the benchmarks', () => {
  const leftovers: number[] = [];
  afterAll(() => {
    for (const pid of leftovers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
  });

  it('stops when the process that started it is killed with SIGKILL', { timeout: 90_000 }, async () => {
    // Prepare: a child process with its DynamoDB Local running
    const { child, javaPid, exited } = await childWithDynamoDb();
    leftovers.push(javaPid);
    expect(isRunning(javaPid)).toBe(true);

    // Act: kill the child the way a timeout kills `npm test` (no exit handler runs)
    child.kill('SIGKILL');
    await exited;

    // Assess: the Java process goes by itself (polled, with a generous bound)
    expect(await goneWithin(javaPid, 30_000)).toBe(true);
  });
});
