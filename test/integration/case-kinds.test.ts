import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import { isoWeekOf } from '../../shared/domain/weekly-report.js';
import { chinaDate } from '../../shared/domain/working-days.js';
import { allSteps, driveProject } from '../support/drive.js';
import { APPROVAL, projectRegistration, submissionOf } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

/**
 * The five kinds of case (五件) follow from each step's data, never typed in: shown on each step of the project
 * (API and page), a filter of the project list, and counted in the weekly report.
 */
describe('the five kinds of case on projects, lists and the weekly report', () => {
  const t = useTestSystem();
  let supplemented: string;
  let plain: string;

  beforeAll(async () => {
    const register = async (name: string) =>
      (await t.api.post('/projects', 'agent-wang', projectRegistration({ name }))).body.projectId as string;
    // the EIA (step 7) of one project has a supplement round, then is approved; the other stops before step 7
    supplemented = await register('补办件项目');
    plain = await register('无补正项目');
    for (const projectId of [supplemented, plain]) {
      await driveProject(t.system, t.api, projectId, {
        stop: (v) => allSteps(v).some((s) => s.stepId === '7' && s.status === 'ready'),
      });
    }
    await t.api.post(`/projects/${supplemented}/steps/7/submission`, 'agent-wang', submissionOf('7'));
    await t.api.post(`/projects/${supplemented}/steps/7/decision`, 'officer-env', {
      outcome: 'supplement',
      missingMaterials: [{ name: '公众参与说明', reason: '未附公示截图' }],
    });
    await t.api.post(`/projects/${supplemented}/steps/7/resubmission`, 'agent-wang', {
      supplied: ['公众参与说明'],
    });
    const approved = await t.api.post(`/projects/${supplemented}/steps/7/decision`, 'officer-env', APPROVAL);
    if (approved.status !== 200)
      throw new Error(`decision: ${approved.status} ${JSON.stringify(approved.body)}`);
    await t.system.engine.settled();
  });

  it('shows each step’s kinds in the project’s API answer, derived from how it was decided', async () => {
    // Act
    const view = await t.api.get(`/projects/${supplemented}`, 'investor-jinling');

    // Assess
    const kinds = Object.fromEntries(allSteps(view.body).map((s) => [s.stepId, (s as any).caseKinds]));
    expect(kinds['7']).toEqual(['promised', 'supplement']);
    expect(kinds['1']).toEqual(['promised']);
    expect(
      allSteps(view.body)
        .filter((s) => s.status === 'ready')
        .map((s) => (s as any).caseKinds),
    ).toEqual(expect.arrayContaining([[]]));
  });

  it('filters the project list by kind (?kind=), and refuses a kind there is not', async () => {
    // Act
    const supplement = await t.api.get('/projects?kind=supplement', 'leader-zhang');
    const promised = await t.api.get('/projects?kind=promised', 'leader-zhang');
    const instant = await t.api.get('/projects?kind=instant', 'leader-zhang');
    const unknown = await t.api.get('/projects?kind=urgent', 'leader-zhang');

    // Assess
    const ids = (res: { body: { projects: Array<{ projectId: string }> } }) =>
      res.body.projects.map((p) => p.projectId);
    expect(ids(supplement)).toContain(supplemented);
    expect(ids(supplement)).not.toContain(plain);
    expect(ids(promised)).toEqual(expect.arrayContaining([supplemented, plain]));
    expect(ids(instant)).toEqual([]);
    expect(unknown.status).toBe(400);
  });

  it('counts the week’s cases by kind in the weekly report', async () => {
    // Prepare: the week the supplemented step was decided in
    const view = await t.api.get(`/projects/${supplemented}`, 'leader-zhang');
    const decidedAt =
      (allSteps(view.body).find((s) => s.stepId === '7') as { decidedAt?: string } | undefined)?.decidedAt ??
      '';
    const week = isoWeekOf(chinaDate(new Date(decidedAt))).id;

    // Act
    const report = await t.api.post('/admin/reports/weekly', 'admin', { week });

    // Assess
    expect(report.status).toBe(201);
    expect(report.body.report.caseKinds.supplement).toBe(1);
    expect(report.body.report.caseKinds.promised).toBeGreaterThan(report.body.report.caseKinds.supplement);
    expect(report.body.report.caseKinds.instant).toBe(0);
  });

  it('shows the kinds on the project’s page and filters the page’s project list', async () => {
    // Prepare
    const signIn = await t.system.app.request('/sign-in', {
      method: 'POST',
      headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ userId: 'leader-zhang', password: DEMO_PASSWORD }).toString(),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = async (path: string) => (await t.system.app.request(path, { headers: { cookie } })).text();

    // Act
    const projectPage = await page(`/app/projects/${supplemented}`);
    const filtered = await page('/app/projects?kind=supplement');

    // Assess
    expect(projectPage).toMatch(/data-kinds="promised supplement">\s*承诺件、补办件/);
    expect(filtered).toContain('补办件项目');
    expect(filtered).not.toContain('无补正项目');
    expect(filtered).toContain('<option value="supplement" selected');
  });
});
