import { describe, expect, it } from 'vitest';
import { InProcessClient } from '../../infra/local/in-process-client.js';
import { demoEnterprises } from '../../infra/local/seed-reference.js';
import { formatProjectCode, iso7064Mod11x2 } from '../../shared/domain/project-code.js';
import { chinaDate } from '../../shared/domain/working-days.js';
import { allSteps, driveProject } from '../support/drive.js';
import { projectRegistration, submissionOf } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

/** A national code (GB/T 40058-2021) with its check character: 2026, 玄武区, department 47, 审批, serial. */
const nationalCode = (serial: number) =>
  formatProjectCode({ year: 2026, regionCode: '320102', industryCode: '47', typeCode: '03', serial });

describe('the national project code (项目代码)', () => {
  const t = useTestSystem();
  const register = async (overrides: Record<string, unknown> = {}) =>
    t.api.post('/projects', 'agent-wang', projectRegistration(overrides));

  it('replaces the provisional code everywhere, and both codes find the project', async () => {
    // Prepare
    const created = await register();
    const { projectId, code: provisional } = created.body;
    const national = nationalCode(12345);

    // Act
    const assigned = await t.api.put(`/projects/${projectId}/code`, 'officer-drc', { code: national });
    const byNational = await t.api.get(`/projects?code=${national}`, 'investor-jinling');
    const byProvisional = await t.api.get(`/projects?code=${provisional}`, 'leader-zhang');
    const view = await t.api.get(`/projects/${projectId}`, 'agent-wang');

    // Assess
    expect(created.body.project.codeKind).toBe('provisional');
    expect(assigned.status).toBe(200);
    expect(assigned.body.project).toMatchObject({
      code: national,
      codeKind: 'national',
      provisionalCode: provisional,
    });
    expect(byNational.body.projects.map((p: any) => p.projectId)).toEqual([projectId]);
    expect(byProvisional.body.projects.map((p: any) => [p.projectId, p.code])).toEqual([
      [projectId, national],
    ]);
    expect(view.body.project.code).toBe(national);
  });

  it('refuses a code another project holds (409), a second national code (409) and a malformed one (400)', async () => {
    // Prepare
    const first = (await register()).body.projectId;
    const second = (await register()).body.projectId;
    const code = nationalCode(23456);
    await t.api.put(`/projects/${first}/code`, 'agent-wang', { code });

    // Act
    const taken = await t.api.put(`/projects/${second}/code`, 'agent-wang', { code });
    const another = await t.api.put(`/projects/${first}/code`, 'agent-wang', { code: nationalCode(34567) });
    const mistyped = await t.api.put(`/projects/${second}/code`, 'agent-wang', {
      code: `${code.slice(0, 23)}${code.endsWith('0') ? '1' : '0'}`,
    });
    const byInvestorOfOther = await t.api.get(`/projects?code=${code}`, 'investor-qinhuai');

    // Assess
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('PROJECT.CODE_TAKEN');
    expect(another.body.error.code).toBe('PROJECT.CODE_ALREADY_NATIONAL');
    expect(mistyped.status).toBe(400);
    expect(mistyped.body.error.message).toMatch(/wrong check character/);
    expect(byInvestorOfOther.body.projects).toEqual([]);
  });

  it.each([
    [
      'a year still to come',
      2099,
      '320102',
      /^code: invalid project code \(项目代码\): year 2099 is after this year \(\d{4}\)/,
    ],
    [
      'a year before the code system',
      1900,
      '320102',
      /body\.code: .*year 1900 is before the first project codes were issued/,
    ],
    [
      'region 000000',
      2026,
      '000000',
      /body\.code: .*region code '000000' is not an administrative division code/,
    ],
  ])('refuses a code of %s (400) and keeps the provisional one', async (_, year, region, why) => {
    // Prepare: a code whose check character is right, so only the impossible segment is wrong
    const { projectId, code: provisional } = (await register()).body;
    const body = `${year}-${region}-47-03-00042`;
    const code = body + iso7064Mod11x2(body.replaceAll('-', ''));

    // Act
    const refused = await t.api.put(`/projects/${projectId}/code`, 'officer-drc', { code });
    const registered = await register({ projectCode: code });
    const view = await t.api.get(`/projects/${projectId}`, 'agent-wang');
    const found = await t.api.get(`/projects?code=${code}`, 'leader-zhang');

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(why);
    expect(registered.status).toBe(400);
    expect(registered.body.error.message).toMatch(/projectCode: invalid project code/);
    expect(view.body.project).toMatchObject({ code: provisional, codeKind: 'provisional' });
    expect(found.body.projects).toEqual([]);
  });

  it('registers a project with the code the platform already issued, even one of the earlier rules', async () => {
    // Act: a 2019 code (before GB/T 40058-2021: 6-digit serial, no check character)
    const created = await register({ projectCode: '2019-320115-47-03-512345' });
    const again = await register({ projectCode: '2019-320115-47-03-512345' });
    const found = await t.api.get('/projects?code=2019-320115-47-03-512345', 'agent-wang');

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.project).toMatchObject({ code: '2019-320115-47-03-512345', codeKind: 'national' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('PROJECT.CODE_TAKEN');
    expect(found.body.projects).toHaveLength(1);
  });
});

describe('approval documents (批文/证照)', () => {
  const t = useTestSystem();

  it('lists every approval with its number and date in the project view and the CSV', async () => {
    // Prepare: the filing approved with a number that needs quoting, then stage 1 driven through
    const created = await t.api.post('/projects', 'agent-wang', projectRegistration());
    const projectId = created.body.projectId;
    await t.system.engine.settled();
    await t.api.post(`/projects/${projectId}/steps/1/submission`, 'agent-wang', submissionOf('1'));
    const issuedOn = chinaDate(t.system.ctx.clock.now());
    const filing = await t.api.post(`/projects/${projectId}/steps/1/decision`, 'officer-drc', {
      outcome: 'approved',
      document: { number: '江宁发改备〔2026〕"88",号', date: issuedOn },
    });
    await driveProject(t.system, t.api, projectId, {
      stop: (v) => allSteps(v).filter((s) => s.status === 'approved').length >= 4,
    });

    // Act
    const view = await t.api.get(`/projects/${projectId}`, 'investor-jinling');
    const token = await new InProcessClient(t.system.app).token('investor-jinling');
    const csv = await t.system.app.request(`/projects/${projectId}/approvals.csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const bytes = new Uint8Array(await csv.arrayBuffer());
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

    // Assess
    expect(filing.status).toBe(200);
    const approvals = view.body.approvals;
    expect(approvals.length).toBeGreaterThanOrEqual(4);
    for (const a of approvals) {
      expect(a.documentNumber, a.stepId).toBeTruthy();
      expect(a.documentDate, a.stepId).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(approvals[0]).toMatchObject({
      stepId: '1',
      documentNumber: '江宁发改备〔2026〕"88",号',
      documentDate: issuedOn,
      documentSource: 'department',
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment/);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '"项目代码","项目名称","事项编号","审批事项","审批部门","部门层级","审批结果","批文/证照编号","批文日期","办结日期","批文来源","附加条件","撤销/重审日期","撤销/重审原因"',
    );
    expect(lines).toHaveLength(approvals.length + 1);
    expect(lines[1]).toContain(`"江宁发改备〔2026〕""88"",号","${issuedOn}"`);
    for (const a of approvals) expect(text).toContain(`"${a.documentDate}"`);
  });

  it('gives the CSV to the enterprise, its agent and leaders only', async () => {
    // Prepare
    const created = await t.api.post(
      '/projects',
      'agent-li',
      projectRegistration({ agentId: 'agent-li', enterprise: demoEnterprises.qinhuai }),
    );
    const path = `/projects/${created.body.projectId}/approvals.csv`;

    // Act
    const statuses = await Promise.all(
      ['investor-qinhuai', 'investor-jinling', 'agent-li', 'leader-zhang', 'officer-drc'].map(
        async (who) => (await t.api.get(path, who)).status,
      ),
    );

    // Assess
    expect(statuses).toEqual([200, 404, 200, 200, 403]);
  });
});
