import { describe, expect, it } from 'vitest';
import { DynamoDbSupervisor, type SupervisedDynamoDb } from '../../../infra/local/dynamodb-supervisor.js';

const handle = (pid: number | undefined): SupervisedDynamoDb => ({
  endpoint: 'http://127.0.0.1:8000',
  pid,
  async stop() {},
});

function setup(options: { failures?: number; alive?: Set<number>; first?: SupervisedDynamoDb } = {}) {
  const alive = options.alive ?? new Set<number>();
  const waits: number[] = [];
  const lines: string[] = [];
  let failures = options.failures ?? 0;
  let nextPid = 200;
  const supervisor = new DynamoDbSupervisor(options.first ?? handle(100), {
    start: async () => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('port 8000 is in use\nmore output');
      }
      const pid = nextPid++;
      alive.add(pid);
      return handle(pid);
    },
    log: (line) => lines.push(line),
    isRunning: (pid) => alive.has(pid),
    sleep: async (ms) => {
      waits.push(ms);
    },
    firstDelayMs: 1000,
    maxDelayMs: 4000,
  });
  return { supervisor, waits, lines, alive };
}

describe('the runtime keeping its DynamoDB Local running', () => {
  it('leaves a DynamoDB Local that still runs alone', async () => {
    const { supervisor, waits, lines } = setup({ alive: new Set([100]) });
    await supervisor.check();
    expect(supervisor.current.pid).toBe(100);
    expect(waits).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('restarts a DynamoDB Local that died and says so', async () => {
    const { supervisor, waits, lines } = setup();
    await supervisor.check();
    expect(supervisor.current.pid).toBe(200);
    expect(waits).toEqual([1000]);
    expect(lines[0]).toContain('DynamoDB Local (pid 100) is gone: restarting it in 1.0 s');
    expect(lines[1]).toContain(
      'DynamoDB Local restarted on http://127.0.0.1:8000 (pid 200) after 1 attempt(s)',
    );
  });

  it('tries again with a doubling wait, up to its bound, while the restart fails', async () => {
    const { supervisor, waits, lines } = setup({ failures: 3 });
    await supervisor.check();
    expect(waits).toEqual([1000, 2000, 4000, 4000]);
    expect(lines.filter((l) => l.startsWith('could not restart'))).toHaveLength(3);
    expect(lines[1]).toBe(
      'could not restart DynamoDB Local (attempt 1: port 8000 is in use); trying again in 2.0 s',
    );
    expect(supervisor.current.pid).toBe(200);
  });

  it('restarts once however often it is checked during a restart', async () => {
    const { supervisor, lines } = setup();
    await Promise.all([supervisor.check(), supervisor.check(), supervisor.check()]);
    expect(lines.filter((l) => l.startsWith('DynamoDB Local restarted'))).toHaveLength(1);
  });

  it('never watches a DynamoDB Local it cannot identify, nor restarts once stopped', async () => {
    const reused = setup({ first: handle(undefined) });
    await reused.supervisor.check();
    expect(reused.lines).toEqual([]);
    const stopped = setup();
    stopped.supervisor.stop();
    await stopped.supervisor.check();
    expect(stopped.lines).toEqual([]);
  });
});
