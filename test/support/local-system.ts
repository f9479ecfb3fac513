import { afterAll, beforeAll, inject } from 'vitest';
import { createLocalSystem, type LocalSystem } from '../../infra/local/system.js';
import type { Clock } from '../../shared/app/clock.js';

let tableCounter = 0;

/** A fresh system on its own table in the run's DynamoDB Local (started by the global setup). */
export async function startTestSystem(
  options: { tableName?: string; clock?: Clock } = {},
): Promise<LocalSystem> {
  tableCounter += 1;
  return createLocalSystem({
    endpoint: inject('dynamoEndpoint'),
    tableName: options.tableName ?? `test-${process.pid}-${Date.now()}-${tableCounter}`,
    clock: options.clock,
  });
}

export type ApiResponse<T = any> = { status: number; body: T };

/** Calls the Hono app in-process (no server, no network) as a seeded user. */
export class ApiClient {
  private readonly tokens = new Map<string, string>();
  constructor(private readonly system: LocalSystem) {}

  async token(userId: string): Promise<string> {
    const cached = this.tokens.get(userId);
    if (cached) return cached;
    const res = await this.system.app.request('/auth/dev-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    if (res.status !== 200) throw new Error(`no token for ${userId}: ${res.status} ${await res.text()}`);
    const { token } = (await res.json()) as { token: string };
    this.tokens.set(userId, token);
    return token;
  }

  async call<T = any>(method: string, path: string, as?: string, body?: unknown): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (as) headers.authorization = `Bearer ${await this.token(as)}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.system.app.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  get<T = any>(path: string, as?: string) {
    return this.call<T>('GET', path, as);
  }
  post<T = any>(path: string, as: string | undefined, body: unknown) {
    return this.call<T>('POST', path, as, body);
  }
  put<T = any>(path: string, as: string | undefined, body: unknown) {
    return this.call<T>('PUT', path, as, body);
  }
}

/**
 * Starts a fresh system before the tests of a `describe` and stops it after them.
 * @example const t = useTestSystem(); it('…', async () => { await t.api.get('/health'); });
 */
export function useTestSystem(options: { clock?: Clock } = {}): { system: LocalSystem; api: ApiClient } {
  const handle = {} as { system: LocalSystem; api: ApiClient };
  beforeAll(async () => {
    handle.system = await startTestSystem(options);
    handle.api = new ApiClient(handle.system);
  });
  afterAll(async () => {
    await handle.system?.stop();
  });
  return handle;
}
