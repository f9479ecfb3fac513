import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import { useTestSystem } from '../support/local-system.js';
import { runFinished } from '../support/sweep-runs.js';

const ORIGIN = 'http://localhost';

describe('the SLA sweep on the administration page', () => {
  const t = useTestSystem();
  const cookieOf = async (userId: string) =>
    `daiban_session=${(await t.api.post('/auth/login', undefined, { userId, password: DEMO_PASSWORD })).body.token}`;
  const page = async (cookie: string) =>
    (await t.system.app.request('/app/admin', { headers: { cookie } })).text();
  const start = (cookie: string) =>
    t.system.app.request('/app/admin/sla-sweeps', {
      method: 'POST',
      headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });

  it('starts a sweep in the background from the page and shows how far it got', async () => {
    // Prepare
    const cookie = await cookieOf('admin');
    const before = await page(cookie);

    // Act
    const started = await start(cookie);
    const run = await runFinished(t.api, '/admin/sla-sweeps/current');
    const after = await page(cookie);

    // Assess
    expect(before).toContain('时限监察运行');
    expect(before).toContain('尚未记录时限监察运行');
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toBe('/app/admin#sweep-h');
    expect(run.state).toBe('done');
    expect(after).toContain('已完成');
    expect(after).toContain(`/admin/sla-sweeps/${run.runId}`);
    expect(after).toContain(`已处理 ${run.done} 项`);
  });

  it('refuses an officer (403)', async () => {
    // Act
    const res = await start(await cookieOf('officer-drc'));

    // Assess
    expect(res.status).toBe(403);
  });
});
