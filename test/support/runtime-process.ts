import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

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

/** Spawns `infra/local/main.ts` (what `npm start` runs) with `env` added to this process's environment. */
export function spawnRuntime(env: Record<string, string>, args: string[] = []): RuntimeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts', ...args], {
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
  return {
    child,
    output: () => output,
    exited,
    async waitFor(text, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`the runtime exited before printing '${text}':\n${output}`);
        }
        if (Date.now() > deadline) throw new Error(`the runtime did not print '${text}' in time:\n${output}`);
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
