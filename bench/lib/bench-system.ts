import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type HttpListener, listenHttp } from '../../infra/local/http-listener.js';
import { InProcessClient } from '../../infra/local/in-process-client.js';
import {
  createLocalSystem,
  type LocalSystem,
  type LocalSystemOptions,
  openLocalTable,
} from '../../infra/local/system.js';
import { silentLogger } from '../../shared/app/logger.js';
import type { WorkflowEngine } from '../../shared/engine/workflow-engine.port.js';
import { DynamoCalls } from './dynamo-calls.js';

/**
 * The embedded system as the benchmarks run it: the local runtime's wiring (DynamoDB Local, the local engine, the
 * task handlers), its DynamoDB requests counted in process by what caused them, the signals it sends counted the
 * same way, and the API served over HTTP on a free port like `npm start` serves it.
 */
export type BenchSystem = {
  system: LocalSystem;
  calls: DynamoCalls;
  /** signals sent to the engine (`sendTaskSuccess`), by the tag they were sent under */
  signals: Map<string, number>;
  tableName: string;
  /** DynamoDB Local's endpoint */
  endpoint: string;
  /** a document client of the same table that nothing counts (the bare baselines) */
  rawDoc: DynamoDBDocumentClient;
  /** the in-process client (sign-in with local dev tokens) */
  api: InProcessClient;
  /** the API over HTTP, e.g. `http://127.0.0.1:40123` */
  url: string;
  /** a dev token for a seeded user (for requests over HTTP) */
  token(userId: string): Promise<string>;
  stop(): Promise<void>;
};

export async function startBenchSystem(
  options: Pick<LocalSystemOptions, 'endpoint' | 'tableName' | 'clock'> & { serve?: boolean },
): Promise<BenchSystem> {
  const calls = new DynamoCalls();
  const signals = new Map<string, number>();
  const countSignals = (engine: WorkflowEngine): WorkflowEngine =>
    new Proxy(engine, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'sendTaskSuccess' || typeof value !== 'function') {
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return (token: string, output: object) => {
          const tag = calls.currentTag() ?? 'other';
          signals.set(tag, (signals.get(tag) ?? 0) + 1);
          return value.call(target, token, output);
        };
      },
    });
  const table = await openLocalTable(options);
  const system = await createLocalSystem({
    ...options,
    table,
    log: silentLogger,
    wrapDocumentClient: calls.wrap,
    wrapEngine: countSignals,
    aroundTasks: (run) => calls.tagged('task', run),
  });
  const api = new InProcessClient(system.app);
  let http: HttpListener | undefined;
  if (options.serve !== false) {
    http = await listenHttp({ port: 0, host: '127.0.0.1' });
    // Requests are counted under the route they ask for, whatever the client does meanwhile.
    http.serve((request, env) => calls.tagged(tagOf(request), () => system.app.fetch(request, env as never)));
  }
  return {
    system,
    calls,
    signals,
    rawDoc: table.doc,
    tableName: options.tableName,
    endpoint: options.endpoint,
    api,
    url: http ? `http://127.0.0.1:${http.port}` : '',
    token: (userId) => api.token(userId),
    async stop() {
      http?.close();
      await system.stop();
      table.close();
    },
  };
}

/** What a request is counted under: `GET /projects/{id}`, `POST …/decision`, … */
export function tagOf(request: Request): string {
  const { pathname } = new URL(request.url);
  if (request.method === 'POST' && pathname.endsWith('/decision')) return 'decision';
  if (request.method === 'POST' && pathname === '/projects') return 'registration';
  if (request.method === 'GET' && /^\/projects\/[^/]+$/.test(pathname)) return 'progress-read';
  return `${request.method} ${pathname}`;
}
