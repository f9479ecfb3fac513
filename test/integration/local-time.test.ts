import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import { SettableClock, systemClock } from '../../shared/app/clock.js';
import { allSteps, driveProject } from '../support/drive.js';
import { projectRegistration, submissionOf } from '../support/fixtures.js';
import { readableText, timeProblems } from '../support/local-dates.js';
import { useTestSystem } from '../support/local-system.js';

const ORIGIN = 'http://localhost';
/** 06:00 Beijing time on Wednesday 2026-11-25 is still Tuesday 2026-11-24 in UTC. */
const NOW = '2026-11-24T22:00:00.000Z';
const LOCAL_TODAY = '2026-11-25';
const UTC_TODAY = '2026-11-24';
/** 07:30 Beijing time the same morning. */
const MEETING_AT = '2026-11-24T23:30:00.000Z';

describe('dates people read are the service centre’s local dates (Asia/Shanghai)', () => {
  const clock = new SettableClock(systemClock);
  clock.freeze(NOW);
  const t = useTestSystem({ clock });

  async function signIn(userId: string): Promise<string> {
    const res = await t.system.app.request('/sign-in', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ userId, password: DEMO_PASSWORD, next: '' }).toString(),
    });
    return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }
  const page = async (path: string, cookie?: string) => {
    const res = await t.system.app.request(path, { headers: cookie ? { cookie } : {} });
    return { path, status: res.status, text: await res.text() };
  };

  /**
   * Between 16:00 and 24:00 UTC every instant's UTC date is the day before its local date: a page that shows a UTC
   * date (or a raw timestamp) is caught.
   */
  it('shows only local dates on every page and document, at an hour when the UTC date is the day before', async () => {
    // Prepare: a meeting minutes a step at 07:30 local; another project's EIA waits on a supplement; a complaint
    const minutedProject = (
      await t.api.post('/projects', 'agent-wang', projectRegistration({ name: '时区纪要项目' }))
    ).body as { projectId: string; code: string };
    await driveProject(t.system, t.api, minutedProject.projectId, { leave: ['7', '8'] });
    const meetingId = (
      await t.api.post('/meetings', 'leader-zhang', {
        title: '时区纪要项目 立项阶段联审会',
        agenda: [{ projectId: minutedProject.projectId, stepId: '7' }],
        scheduledAt: MEETING_AT,
        place: '区政务服务中心三楼联审会议室',
      })
    ).body.meeting.meetingId as string;
    await t.api.post(`/meetings/${meetingId}/responses`, 'officer-env', { answer: 'attend' });
    clock.freeze('2026-11-24T23:45:00.000Z'); // 07:45 local: the meeting has started (still 11-24 in UTC)
    await t.api.post(`/meetings/${meetingId}/attendance`, 'leader-zhang', { present: ['ENV'] });
    const minutes = await t.api.post(`/meetings/${meetingId}/minutes`, 'leader-zhang', {
      decisions: [{ itemId: '1', outcome: 'approved' }],
    });
    await t.system.engine.settled();
    const supplemented = (
      await t.api.post('/projects', 'agent-wang', projectRegistration({ name: '时区补正项目' }))
    ).body as { projectId: string; code: string };
    await driveProject(t.system, t.api, supplemented.projectId, {
      stop: (v) => allSteps(v).some((s) => s.stepId === '7' && s.status === 'ready'),
    });
    await t.api.post(
      `/projects/${supplemented.projectId}/steps/7/submission`,
      'agent-wang',
      submissionOf('7'),
    );
    const accepted = allSteps(
      (await t.api.get(`/projects/${supplemented.projectId}`, 'agent-wang')).body,
    ).find((s) => s.stepId === '7') as { clock?: { acceptedOn: string } } | undefined;
    await t.api.post(`/projects/${supplemented.projectId}/steps/7/decision`, 'officer-env', {
      outcome: 'supplement',
      missingMaterials: [{ name: '公众参与说明', reason: '未附公示截图' }],
    });
    const investor = await signIn('investor-jinling');
    await t.system.app.request(`/app/projects/${supplemented.projectId}/complaints`, {
      method: 'POST',
      headers: { cookie: investor, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        step: '7',
        category: 'delay',
        description: '补正通知未说明公示截图的具体要求，请核实',
      }).toString(),
    });
    await t.system.engine.settled();
    const documents = [minutedProject, supplemented].map(async ({ projectId }) =>
      (
        (await t.api.get(`/projects/${projectId}/documents`, 'agent-wang')).body.documents as Array<{
          docId: string;
        }>
      ).map((d) => `/app/projects/${projectId}/documents/${d.docId}`),
    );
    const documentPaths = (await Promise.all(documents)).flat();
    const [agent, officer, water, leader, efficiency, admin] = await Promise.all(
      ['agent-wang', 'officer-env', 'officer-wat', 'leader-zhang', 'efficiency-office', 'admin'].map(signIn),
    );
    const visits: Array<[string, string?]> = [
      [`/lookup?code=${minutedProject.code}`],
      ['/app/work', agent],
      ['/app/notifications', agent],
      ['/app/projects', agent],
      [`/app/projects/${minutedProject.projectId}`, agent],
      [`/app/projects/${supplemented.projectId}`, agent],
      [`/app/projects/${supplemented.projectId}/steps/7/acceptance`, agent],
      ...documentPaths.map((path): [string, string?] => [path, agent]),
      ['/app/batches', agent],
      ['/app/inbox', water],
      ['/app/notifications', officer],
      ['/app/meetings', officer],
      [`/app/meetings/${meetingId}`, officer],
      ['/app/dashboard', leader],
      ['/app/meetings', leader],
      [`/app/meetings/${meetingId}`, leader],
      [`/app/projects/${supplemented.projectId}`, investor],
      ['/app/complaints', investor],
      ['/app/complaints', efficiency],
      ['/app/reports/complaints', efficiency],
      ['/app/admin', admin],
    ];

    // Act
    const pages = [];
    for (const [path, cookie] of visits) pages.push(await page(path, cookie));
    const csv = await t.api.get(`/projects/${minutedProject.projectId}/approvals.csv`, 'agent-wang');

    // Assess
    expect(minutes.status).toBe(200);
    expect(accepted?.clock?.acceptedOn).toBe(LOCAL_TODAY);
    expect(documentPaths.length).toBeGreaterThanOrEqual(2);
    expect(pages.filter((p) => p.status !== 200).map((p) => [p.path, p.status])).toEqual([]);
    const shown = pages.map((p) => ({ path: p.path, text: readableText(p.text) }));
    const problems = [...shown, { path: 'approvals.csv', text: String(csv.body) }]
      .map((p) => [p.path, ...timeProblems(p.text, [UTC_TODAY])])
      .filter((found) => found.length > 1);
    expect(problems).toEqual([]);
    expect(String(csv.body)).toContain(LOCAL_TODAY);
    const text = (path: string) => shown.find((p) => p.path === path)?.text ?? '';
    expect(text(`/app/meetings/${meetingId}`)).toContain(`${LOCAL_TODAY} 07:30`);
    // the water bureau's step 8 waits in its inbox, accepted (受理) today
    expect(text('/app/inbox')).toContain(LOCAL_TODAY);
    for (const path of documentPaths) expect(text(path)).toContain(LOCAL_TODAY);
  });
});
