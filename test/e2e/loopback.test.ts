import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.js';
import { type RuntimeProcess, startRuntime } from '../support/runtime-process.js';

/** An IPv4 address of this machine other than loopback: what another machine on its network would connect to. */
function outwardAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal)?.address;
}

const NO_OUTWARD_ADDRESS =
  'this machine has no network interface but loopback, so there is no address another machine could use';

/** What a TCP connection to `host:port` meets: 'accepted', or the error code (ECONNREFUSED: nobody listens there). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('what the embedded runtime listens on (loopback by default)', () => {
  const address = outwardAddress();
  const dataDirs: string[] = [];
  const running: RuntimeProcess[] = [];
  afterAll(async () => {
    for (const runtime of running) {
      runtime.child.kill('SIGINT');
      await runtime.exited;
    }
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** `npm start` on fresh data with no demo and no scheduled job; its API and DynamoDB Local ports. */
  const start = async (host: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'daiban-loopback-'));
    dataDirs.push(dataDir);
    const port = await freePort();
    const dynamoPort = await freePort();
    const runtime = await startRuntime({
      // '' counts as unset, whatever HOST the shell running the tests has
      HOST: host,
      PORT: String(port),
      DYNAMODB_PORT: String(dynamoPort),
      DAIBAN_DATA_DIR: dataDir,
      DAIBAN_SEED_DEMO: 'false',
      DAIBAN_JOB_INTERVAL_MS: '0',
    });
    running.push(runtime);
    return { runtime, port, dynamoPort };
  };

  it('serves the API and DynamoDB Local on 127.0.0.1 and refuses connections to them on the network address', async (ctx) => {
    ctx.skip(address === undefined, NO_OUTWARD_ADDRESS);
    const outward = address ?? '';

    // Prepare
    const { port, dynamoPort } = await start('');

    // Act
    const api = { loopback: await tryConnect('127.0.0.1', port), outward: await tryConnect(outward, port) };
    const dynamo = {
      loopback: await tryConnect('127.0.0.1', dynamoPort),
      outward: await tryConnect(outward, dynamoPort),
    };
    const health = await fetch(`http://127.0.0.1:${port}/health`);

    // Assess
    expect(api).toEqual({ loopback: 'accepted', outward: 'ECONNREFUSED' });
    expect(dynamo).toEqual({ loopback: 'accepted', outward: 'ECONNREFUSED' });
    expect(health.status).toBe(200);
  });

  it('exposes the API with HOST=0.0.0.0, saying so, while DynamoDB Local stays on 127.0.0.1', async (ctx) => {
    ctx.skip(address === undefined, NO_OUTWARD_ADDRESS);
    const outward = address ?? '';

    // Prepare
    const { runtime, port, dynamoPort } = await start('0.0.0.0');

    // Act
    const health = await fetch(`http://${outward}:${port}/health`);
    const dynamo = {
      loopback: await tryConnect('127.0.0.1', dynamoPort),
      outward: await tryConnect(outward, dynamoPort),
    };

    // Assess
    expect(health.status).toBe(200);
    expect(runtime.output()).toContain('HOST=0.0.0.0: other machines reach the API');
    expect(dynamo).toEqual({ loopback: 'accepted', outward: 'ECONNREFUSED' });
  });

  it("keeps the tests' own DynamoDB Local on 127.0.0.1 too", async (ctx) => {
    ctx.skip(address === undefined, NO_OUTWARD_ADDRESS);
    const outward = address ?? '';

    // Prepare
    const dynamoPort = Number(new URL(inject('dynamoEndpoint')).port);

    // Act
    const reached = {
      loopback: await tryConnect('127.0.0.1', dynamoPort),
      outward: await tryConnect(outward, dynamoPort),
    };

    // Assess
    expect(reached).toEqual({ loopback: 'accepted', outward: 'ECONNREFUSED' });
  });
});
