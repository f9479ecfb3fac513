import { afterAll, beforeAll, inject } from 'vitest';
import { InProcessClient } from '../../infra/local/in-process-client.js';
import { createLocalSystem, type LocalSystem, type LocalSystemOptions } from '../../infra/local/system.js';
import type { Clock } from '../../shared/app/clock.js';
import type { ScryptParams } from '../../shared/auth/scrypt-password-hasher.js';
import { dateDocumentsBy } from './fixtures.js';
import { ResponseContract } from './response-contract.js';

let tableCounter = 0;

/** scrypt at N = 2^10: the same code path as the default N = 2^15, a few milliseconds a hash. */
export const TEST_SCRYPT: ScryptParams = { ln: 10, r: 8, p: 1 };

/** A fresh system on its own table in the run's DynamoDB Local (started by the global setup). */
export async function startTestSystem(
  options: { tableName?: string; clock?: Clock } & Partial<Omit<LocalSystemOptions, 'clock'>> = {},
): Promise<LocalSystem & { tableName: string }> {
  tableCounter += 1;
  const tableName = options.tableName ?? `test-${process.pid}-${Date.now()}-${tableCounter}`;
  const system = await createLocalSystem({
    endpoint: inject('dynamoEndpoint'),
    // cheap password hashes: some fifty systems each seed thirty demo users (the default costs 0.1 s a hash)
    passwordHashing: TEST_SCRYPT,
    ...options,
    tableName,
  });
  dateDocumentsBy(system.ctx.clock);
  return Object.assign(system, { tableName });
}

export type ApiResponse<T = any> = { status: number; body: T };

/**
 * The in-process client with bodies typed loosely, so tests read fields without ceremony. Every answer is held to
 * the OpenAPI document (see `ResponseContract`): a body that breaks its route's schema fails the test.
 */
export class ApiClient {
  private readonly client: InProcessClient;
  constructor(system: LocalSystem) {
    const contract = new ResponseContract(system.app);
    this.client = new InProcessClient(system.app, async (method, path, send) => {
      const res = await send();
      const type = res.headers.get('content-type');
      const text = await res.clone().text();
      contract.check(
        method,
        path,
        res.status,
        text && type && /[/+]json\b/.test(type) ? JSON.parse(text) : text,
        type,
      );
      return res;
    });
  }

  call<T = any>(
    method: string,
    path: string,
    as?: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>> {
    return this.client.call<T>(method, path, as, body, headers);
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
export function useTestSystem(options: Parameters<typeof startTestSystem>[0] = {}): {
  system: LocalSystem & { tableName: string };
  api: ApiClient;
} {
  const handle = {} as { system: LocalSystem & { tableName: string }; api: ApiClient };
  beforeAll(async () => {
    handle.system = await startTestSystem(options);
    handle.api = new ApiClient(handle.system);
  });
  afterAll(async () => {
    await handle.system?.stop();
  });
  return handle;
}
