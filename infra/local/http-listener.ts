import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';

type FetchHandler = (request: Request, env: unknown) => unknown;

export type HttpListener = {
  port: number;
  /** hands requests to the app from now on (until then every request is answered 503 "starting") */
  serve(fetch: FetchHandler): void;
  /** stops taking connections and drops the open ones */
  close(): void;
};

/** The port is taken: another Daiban, or another program. */
export class PortInUseError extends Error {
  constructor(port: number) {
    super(`port ${port} is in use: another Daiban or another program; set PORT`);
    this.name = 'PortInUseError';
  }
}

/** What the API answers while the runtime starts (DynamoDB Local, the lease, reference data, the demo). */
const starting: FetchHandler = () =>
  Response.json(
    { status: 'starting', message: 'Daiban is starting; try again in a moment' },
    { status: 503, headers: { 'Retry-After': '1' } },
  );

/**
 * Takes the HTTP port first thing, so a port in use stops `npm start` before it starts DynamoDB Local or touches
 * any data, and a taken port can never be discovered after recovery has begun. Requests that come before the app
 * is wired get 503 with Retry-After.
 */
export async function listenHttp(options: { port: number; host: string }): Promise<HttpListener> {
  let handler: FetchHandler = starting;
  const server = createAdaptorServer({ fetch: (request, env) => handler(request, env) }) as Server;
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port) : error);
    };
    server.once('error', failed);
    server.listen(options.port, options.host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    serve(fetch) {
      handler = fetch;
    },
    close() {
      server.close();
      server.closeAllConnections();
    },
  };
}
