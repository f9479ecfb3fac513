import { Worker } from 'node:worker_threads';
import type { CallCounts } from './dynamo-calls.js';

/** The API on its own thread (api-server-thread.ts), seen from the bench's thread. */
export type ApiServer = {
  /** the API, e.g. `http://127.0.0.1:40123` */
  url: string;
  /** a bare Hono route served the same way: `${bareUrl}/bare` */
  bareUrl: string;
  token(userId: string): Promise<string>;
  /** the server's DynamoDB requests for progress reads since the last reset */
  calls(): Promise<CallCounts>;
  reset(): Promise<void>;
  /** stops counting (and tagging each request), so that what is timed next carries no instrumentation */
  quiet(): Promise<void>;
  stop(): Promise<void>;
};

export async function startApiServerThread(options: {
  endpoint: string;
  tableName: string;
}): Promise<ApiServer> {
  const worker = new Worker(new URL('./api-server-thread.mjs', import.meta.url), { workerData: options });
  const waiting = new Map<number, (result: unknown) => void>();
  let next = 0;
  const ready = new Promise<{ url: string; bareUrl: string }>((resolve, reject) => {
    worker.once('error', reject);
    worker.on(
      'message',
      (message: { ready?: { url: string; bareUrl: string }; id?: number; result?: unknown }) => {
        if (message.ready) resolve(message.ready);
        else if (message.id !== undefined) {
          waiting.get(message.id)?.(message.result);
          waiting.delete(message.id);
        }
      },
    );
  });
  const ask = <T>(request: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve) => {
      const id = next++;
      waiting.set(id, resolve as (result: unknown) => void);
      worker.postMessage({ ...request, id });
    });
  const { url, bareUrl } = await ready;
  return {
    url,
    bareUrl,
    token: (userId) => ask<string>({ type: 'token', userId }),
    calls: () => ask<CallCounts>({ type: 'calls' }),
    reset: () => ask<void>({ type: 'reset' }),
    quiet: () => ask<void>({ type: 'quiet' }),
    async stop() {
      await ask<void>({ type: 'stop' });
      await worker.terminate();
    },
  };
}
