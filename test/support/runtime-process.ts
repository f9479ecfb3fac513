import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../infra/local/dynamodb-local.js';

/** `npm start`'s entry point running as a real process, with what it printed so far. */
export type RuntimeProcess = {
  child: ChildProcess;
  output: () => string;
  /** the exit code (null when killed by a signal) */
  exited: Promise<number | null>;
  /** waits until the output contains `text` (throws with the output if the process exits or time runs out) */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
};

const root = join(import.meta.dirname, '..', '..');

/** A script of this repository run through tsx as a real process, with `env` added to this process's environment. */
export type ScriptProcess = Pick<RuntimeProcess, 'child' | 'output' | 'exited'>;

/** Spawns `entry` (a path from the repository's root, e.g. `infra/dev/smoke.ts`) with `args`, gathering its output. */
export function spawnScript(
  entry: string,
  args: string[] = [],
  env: Record<string, string> = {},
): ScriptProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Spawns `infra/local/main.ts` (what `npm start` runs) with `env` added to this process's environment. */
export function spawnRuntime(env: Record<string, string>, args: string[] = []): RuntimeProcess {
  const { child, output, exited } = spawnScript('infra/local/main.ts', args, env);
  return {
    child,
    output,
    exited,
    async waitFor(text, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!output().includes(text)) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`the runtime exited before printing '${text}':\n${output()}`);
        }
        if (Date.now() > deadline)
          throw new Error(`the runtime did not print '${text}' in time:\n${output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** Starts the runtime and waits until it serves. */
export async function startRuntime(
  env: Record<string, string>,
  args: string[] = [],
): Promise<RuntimeProcess> {
  const runtime = spawnRuntime(env, args);
  await runtime.waitFor('is running at');
  return runtime;
}

/** The runtimes a test starts on data folders, to stop after it (`stopAll`). */
export class StartedRuntimes {
  private readonly started: RuntimeProcess[] = [];

  /**
   * The runtime started on an existing data folder (`DAIBAN_DATA_DIR`) on free ports, its scheduled job off, with
   * `env` added; answers once it has resumed the projects in flight there. `base` is its HTTP address.
   */
  async resumeOnDataFolder(
    folder: string,
    env: Record<string, string> = {},
  ): Promise<{ runtime: RuntimeProcess; port: number; base: string }> {
    const port = await freePort();
    const runtime = await startRuntime({
      PORT: String(port),
      DYNAMODB_PORT: String(await freePort()),
      DAIBAN_DATA_DIR: folder,
      ...env,
      DAIBAN_JOB_INTERVAL_MS: '0',
    });
    this.started.push(runtime);
    await runtime.waitFor('project(s) in flight in');
    return { runtime, port, base: `http://127.0.0.1:${port}` };
  }

  /** Stops (SIGINT) each runtime still running and waits for it to exit. */
  async stopAll(): Promise<void> {
    for (const runtime of this.started) {
      if (runtime.child.exitCode === null) {
        runtime.child.kill('SIGINT');
        await runtime.exited;
      }
    }
  }
}

/** A JSON request; the status and the parsed body. */
export async function request(
  url: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: await res.json() };
}

/** A dev token for a seeded user (local mode). */
export async function devToken(base: string, userId: string): Promise<string> {
  const { body } = await request(`${base}/auth/dev-token`, { method: 'POST', body: { userId } });
  return body.token as string;
}

/** Whether anything answers HTTP at `url` within a second. */
export async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}
