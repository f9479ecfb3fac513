import type { DaibanApp } from '../../functions/app.js';

export type ApiResponse<T = unknown> = { status: number; body: T };

/** Wraps each request, e.g. to time it; `send` performs it. */
export type AroundRequest = (
  method: string,
  path: string,
  send: () => Promise<Response>,
) => Promise<Response>;

/**
 * Calls the Hono app in-process (no server, no network) as a seeded user, signing in with a demo mode dev token
 * (cached per user; a token lasts an hour). Used by the tests and the cost benchmark.
 */
export class InProcessClient {
  private readonly tokens = new Map<string, string>();
  constructor(
    private readonly app: Pick<DaibanApp, 'request'>,
    private readonly around: AroundRequest = (_method, _path, send) => send(),
  ) {}

  async token(userId: string): Promise<string> {
    const cached = this.tokens.get(userId);
    if (cached) return cached;
    const res = await this.app.request('/auth/dev-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    if (res.status !== 200) throw new Error(`no token for ${userId}: ${res.status} ${await res.text()}`);
    const { token } = (await res.json()) as { token: string };
    this.tokens.set(userId, token);
    return token;
  }

  /** A string body is sent as it is (to test malformed JSON); anything else as JSON. */
  async call<T = unknown>(
    method: string,
    path: string,
    as?: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (as) headers.authorization = `Bearer ${await this.token(as)}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init = {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    };
    const res = await this.around(method, path, async () => this.app.request(path, init));
    const text = await res.text();
    // JSON, or a JSON-based type (feed+json); not JSON Lines (application/jsonl), which is text
    const isJson = /[/+]json\b/.test(res.headers.get('content-type') ?? '');
    // a page (a document's printable form) comes back as its text
    return {
      status: res.status,
      body: !text ? (undefined as T) : isJson ? (JSON.parse(text) as T) : (text as T),
    };
  }
}
