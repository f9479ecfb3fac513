import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { ConflictError, InvalidInputError } from '../../shared/domain/errors.js';
import type { DaibanStore } from '../../shared/store/store.port.js';
import type { ApiEnv } from '../http/env.js';

/**
 * `Idempotency-Key` on every POST: a repeat of a request with the same key (by the same user) gets the first
 * answer and changes nothing; the same key with a different request gets 422; a repeat while the first is still
 * running gets 409. Only successful answers are kept: a refused request leaves no trace, so its repeat is checked
 * afresh (like Stripe's keys). The first answer is kept a day. A registration derives the new project's id from the key, so
 * even a repeat after a crash between the commit and the stored answer finds the project instead of making another.
 */
const KEY = /^[A-Za-z0-9_.:-]{1,100}$/;
const PENDING_SECONDS = 60;
const KEEP_SECONDS = 86_400;

type Record_ = { hash: string; state: 'pending' | 'done'; at: string; status?: number; body?: string };

export const requestHash = (method: string, path: string, body: string): string =>
  createHash('sha256').update(`${method} ${path}\n${body}`).digest('base64url');

/** A stable id for what a key creates (e.g. the project of a registration): 26 base32 characters. */
export function idFromKey(userId: string, key: string): string {
  const digest = createHash('sha256').update(`${userId}\n${key}`).digest();
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let id = '';
  for (let i = 0; i < 26; i += 1) id += alphabet[(digest[i] ?? 0) % 32];
  return id;
}

export function idempotency(store: DaibanStore, now: () => Date): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!KEY.test(key)) {
      throw new InvalidInputError(
        'IDEMPOTENCY.KEY',
        'Idempotency-Key must be 1–100 letters, digits or _ . : - (e.g. a UUID)',
      );
    }
    const principal = c.get('principal');
    const hash = requestHash(c.req.method, c.req.path, await c.req.text());
    const name = `IDEMPOTENCY#${principal.userId}#${key}`;
    c.set('idempotency', { key, hash, id: idFromKey(principal.userId, key) });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const found = await store.getSetting(name);
      const record = found?.value as Record_ | undefined;
      if (record) {
        if (record.hash !== hash) return unprocessable(c);
        if (record.state === 'done' && record.status !== undefined) {
          c.header('Idempotent-Replayed', 'true');
          return c.body(record.body ?? '', record.status as 200, { 'content-type': 'application/json' });
        }
        const age = (now().getTime() - new Date(record.at).getTime()) / 1000;
        if (age < PENDING_SECONDS) {
          throw new ConflictError(
            'IDEMPOTENCY.IN_PROGRESS',
            'a request with this Idempotency-Key is still being processed; ask again in a moment',
          );
        }
      }
      // The setting's revision guards the reservation: only one request runs under a key at a time.
      const reserved: Record_ = { hash, state: 'pending', at: now().toISOString() };
      const taken = await store.putSetting(name, reserved, {
        expectedRevision: found ? found.revision : null,
        ttlSeconds: KEEP_SECONDS,
      });
      if (!taken) continue;
      await next();
      const status = c.res.status;
      // Only what was done is remembered. A refusal changed nothing (a repeat is refused the same way, or goes
      // through once the cause is gone), and a 409 or a 5xx may go differently next time: the key is released.
      if (status >= 200 && status < 300) {
        const done: Record_ = {
          hash,
          state: 'done',
          at: now().toISOString(),
          status,
          body: await c.res.clone().text(),
        };
        await store.putSetting(name, done, { ttlSeconds: KEEP_SECONDS });
      } else {
        await store.deleteSetting(name);
      }
      return;
    }
    throw new ConflictError(
      'IDEMPOTENCY.IN_PROGRESS',
      'a request with this Idempotency-Key is being processed',
    );
  };
}

function unprocessable(c: Context) {
  return c.json(
    {
      error: {
        code: 'IDEMPOTENCY.KEY_REUSED',
        message:
          'this Idempotency-Key was already used for a different request; use a new key for a new request',
      },
    },
    422,
  );
}
