import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import type { LocalSystem } from '../../infra/local/system.js';

/** The origin the pages' forms come from (the CSRF check wants it). */
export const PAGE_ORIGIN = 'http://localhost';

/**
 * A person using the pages of the test's system (`useTestSystem`'s handle, read when called): signs in with the
 * demo password for the session cookie, opens a page, posts a form as a browser does.
 */
export function pageSession(t: { system: LocalSystem }) {
  return {
    async signIn(userId: string): Promise<string> {
      const res = await t.system.app.request('/sign-in', {
        method: 'POST',
        headers: { origin: PAGE_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ userId, password: DEMO_PASSWORD, next: '' }).toString(),
      });
      return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    },
    async page(path: string, cookie: string) {
      const res = await t.system.app.request(path, { headers: { cookie } });
      return { status: res.status, text: await res.text() };
    },
    post: (path: string, cookie: string, form: Record<string, string>) =>
      t.system.app.request(path, {
        method: 'POST',
        headers: { cookie, origin: PAGE_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }),
  };
}
