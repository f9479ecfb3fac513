import { parentPort, workerData } from 'node:worker_threads';
import { Hono } from 'hono';
import { listenHttp } from '../../infra/local/http-listener.js';
import { InProcessClient } from '../../infra/local/in-process-client.js';
import { createLocalSystem, openLocalTable } from '../../infra/local/system.js';
import { silentLogger } from '../../shared/app/logger.js';
import { tagOf } from './bench-system.js';
import { DynamoCalls } from './dynamo-calls.js';
import { workingSetQuery } from './working-set-query.js';

/**
 * The API served on a thread of its own, as `npm start` serves it in a process of its own: a figure measured from
 * the bench's thread is then measured from outside, the server's work never sharing the client's event loop (and a
 * bare Query, from the client's thread, never sharing the server's). It serves the bench's table (reads: it holds
 * no runtime lease and starts no execution) and bare Hono routes (nothing; the read's Query alone), counts its
 * DynamoDB requests by route, and answers the bench's messages: `token`, `calls` (counts since the last `reset`),
 * `reset`, `quiet` (counting stops: requests are no longer tagged), `stop`.
 */
type Request =
  | { id: number; type: 'token'; userId: string }
  | { id: number; type: 'calls' | 'reset' | 'quiet' | 'stop' };

const port = parentPort;
if (!port) throw new Error('api-server-thread runs as a worker thread (see apiServerThread)');
const { endpoint, tableName } = workerData as { endpoint: string; tableName: string };
const calls = new DynamoCalls();
const table = await openLocalTable({ endpoint, tableName });
const system = await createLocalSystem({
  endpoint,
  tableName,
  table,
  log: silentLogger,
  wrapDocumentClient: calls.wrap,
});
const api = new InProcessClient(system.app);
const http = await listenHttp({ port: 0, host: '127.0.0.1' });
let counting = true;
http.serve((request, env) =>
  counting
    ? calls.tagged(tagOf(request), () => system.app.fetch(request, env as never))
    : system.app.fetch(request, env as never),
);
const bare = await listenHttp({ port: 0, host: '127.0.0.1' });
bare.serve(
  new Hono()
    .get('/bare', (c) => c.json({ ok: true }))
    // HTTP and the Query alone: the same Query as a progress read's, its items answered as they come
    .get('/bare-query/:projectId', async (c) => {
      const { Items } = await table.doc.send(workingSetQuery(tableName, c.req.param('projectId')));
      return c.json(Items ?? []);
    }).fetch,
);

port.on('message', async (request: Request) => {
  switch (request.type) {
    case 'token':
      port.postMessage({ id: request.id, result: await api.token(request.userId) });
      break;
    case 'calls':
      port.postMessage({ id: request.id, result: calls.counts('progress-read') });
      break;
    case 'reset':
      calls.reset();
      port.postMessage({ id: request.id });
      break;
    case 'quiet':
      counting = false;
      calls.quiet();
      port.postMessage({ id: request.id });
      break;
    case 'stop':
      http.close();
      bare.close();
      await system.stop();
      table.close();
      port.postMessage({ id: request.id });
      port.close();
      break;
  }
});
port.postMessage({
  ready: { url: `http://127.0.0.1:${http.port}`, bareUrl: `http://127.0.0.1:${bare.port}` },
});
