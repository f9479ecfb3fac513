import { rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import type { RunningDynamoDb } from '../../infra/local/dynamodb-local.js';
import { readRecord } from '../../infra/local/dynamodb-record.js';
import { sleep } from './fault-users.js';
import { type RuntimeProcess, startRuntime } from './runtime-process.js';

/** What a test of the runtime as a process starts, and must leave nothing of once it is done. */
export type RuntimeLeftovers = { runtimes: RuntimeProcess[]; dynamos: RunningDynamoDb[]; dataDirs: string[] };

/**
 * The runtimes, DynamoDB Locals and data folders a `describe` starts, cleared after its tests: each runtime
 * stopped (SIGINT, then SIGKILL after 10 s), each DynamoDB Local stopped, and each data folder removed with the
 * DynamoDB Local its record names (one a killed runtime left running). Push what the tests start onto the lists.
 */
export function clearedAfterAll(): RuntimeLeftovers {
  const leftovers: RuntimeLeftovers = { runtimes: [], dynamos: [], dataDirs: [] };
  afterAll(async () => {
    for (const runtime of leftovers.runtimes) {
      runtime.child.kill('SIGINT');
      await Promise.race([runtime.exited, sleep(10_000)]);
      runtime.child.kill('SIGKILL');
    }
    for (const dynamo of leftovers.dynamos) await dynamo.stop();
    for (const dir of leftovers.dataDirs) {
      const record = readRecord(dir);
      if (record) {
        try {
          process.kill(record.pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return leftovers;
}

/**
 * The runtime as the fault tests start it, on these ports and data folder: no demo, its scheduled job every second,
 * `env` added. Pushed onto the leftovers, so that it is stopped after the tests.
 */
export async function startFaultRuntime(
  leftovers: RuntimeLeftovers,
  where: { dataDir: string; port: number; dynamoPort: number },
  env: Record<string, string> = {},
): Promise<RuntimeProcess> {
  const runtime = await startRuntime({
    PORT: String(where.port),
    DYNAMODB_PORT: String(where.dynamoPort),
    DAIBAN_DATA_DIR: where.dataDir,
    DAIBAN_SEED_DEMO: 'false',
    DAIBAN_JOB_INTERVAL_MS: '1000',
    ...env,
  });
  leftovers.runtimes.push(runtime);
  return runtime;
}
