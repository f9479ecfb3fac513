import { beforeAll, describe, expect, it } from 'vitest';
import { iso7064Mod11x2 } from '../../shared/domain/project-code.js';
import { chinaDate } from '../../shared/domain/working-days.js';
import { allEvents, allSteps, driveProject } from '../support/drive.js';
import { APPROVAL, projectRegistration, submissionOf } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

/** A GB/T 40058-2021 code with its right check character, whatever its segments hold. */
const codeOf = (year: number, region: string) => {
  const body = `${year}-${region}-47-03-00042`;
  return body + iso7064Mod11x2(body.replaceAll('-', ''));
};
/** A day in China (Asia/Shanghai) this many days from today. */
const dayFromToday = (days: number) => chinaDate(new Date(Date.now() + days * 86_400_000));
const approvalDated = (date: string) => ({
  outcome: 'approved',
  document: { number: '宁发改备〔2026〕9号', date },
});

describe('bad input gets a clear 4xx and writes nothing', () => {
  const t = useTestSystem();
  let projectId: string;

  beforeAll(async () => {
    projectId = (await t.api.post('/projects', 'agent-wang', projectRegistration())).body.projectId;
    await t.system.engine.settled();
  });

  /** Everything the store holds that a request could have touched. */
  async function snapshot() {
    const projects = (await t.api.get('/projects', 'leader-zhang')).body.projects;
    const events = await allEvents<Event>(t.api, projectId, 'leader-zhang');
    const view = (await t.api.get(`/projects/${projectId}`, 'leader-zhang')).body;
    return { projects, events, view };
  }

  const registrations: Array<[string, Record<string, unknown>, number, RegExp]> = [
    ['an unknown chain', { chainId: 'no-such-chain' }, 404, /unknown chain 'no-such-chain'/],
    [
      'a malformed credit code',
      { enterprise: { name: '某公司', creditCode: '91320115MA1WX00019' } },
      400,
      /body\.enterprise\.creditCode: invalid unified social credit code/,
    ],
    ['unknown fields', { colour: 'red' }, 400, /body: unknown field\(s\) 'colour'/],
    ['an unknown attribute', { attributes: { floors: 3 } }, 400, /unknown attribute 'floors'/],
    ['an attribute of the wrong type', { attributes: { siteAreaM2: 'big' } }, 400, /siteAreaM2.*number/],
    ['an agent who is not an agent (by a leader)', { agentId: 'officer-drc' }, 400, /not a known agent/],
    ['another agent (agents register for themselves)', { agentId: 'agent-li' }, 403, /for themselves/],
    ['a negative investment', { investmentCny: -5 }, 400, /body\.investmentCny/],
    [
      'a project code of a year still to come',
      { projectCode: codeOf(2099, '320115') },
      400,
      /^projectCode: invalid project code \(项目代码\): year 2099 is after this year/,
    ],
    [
      'a project code from before the code system',
      { projectCode: codeOf(1900, '320115') },
      400,
      /body\.projectCode: invalid project code \(项目代码\): year 1900 is before the first project codes were issued \(2014\)/,
    ],
    [
      'a project code of region 000000',
      { projectCode: codeOf(2026, '000000') },
      400,
      /body\.projectCode: invalid project code \(项目代码\): region code '000000' is not an administrative division code/,
    ],
  ];

  it.each(registrations)('refuses a registration with %s', async (what, overrides, status, message) => {
    const before = await snapshot();
    const by = what.includes('by a leader') ? 'leader-zhang' : 'agent-wang';
    const res = await t.api.post('/projects', by, projectRegistration(overrides));
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await t.api.post('/projects', 'agent-wang', '{"name": ');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/JSON/);
  });

  it('names an unknown step (404) and a decision on a step not in review (409)', async () => {
    const before = await snapshot();
    const unknownStep = await t.api.post(`/projects/${projectId}/steps/99/decision`, 'officer-drc', APPROVAL);
    const notInReview = await t.api.post(`/projects/${projectId}/steps/1/decision`, 'officer-drc', APPROVAL);
    expect(unknownStep.status).toBe(404);
    expect(unknownStep.body.error.message).toMatch(/has no step '99'/);
    expect(notInReview.status).toBe(409);
    expect(notInReview.body.error.message).toMatch(/step 1 is not in review: the agent has not submitted/);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['a rejection without legal basis', { outcome: 'rejected', reason: '不符合' }, /body\.legalBasis/],
    [
      'a supplement without the list of materials',
      { outcome: 'supplement', missingMaterials: [] },
      /一次性告知/,
    ],
    ['an unknown outcome', { outcome: 'maybe' }, /body\.outcome/],
    ['unknown fields in a decision', { ...APPROVAL, mood: 'good' }, /unknown field\(s\) 'mood'/],
    [
      'a document dated a day the calendar does not have',
      approvalDated('2026-02-30'),
      /body\.document\.date: '2026-02-30' is not a calendar date: 2026-02 has 28 days/,
    ],
    [
      'a document dated after the day of the decision',
      approvalDated(dayFromToday(1)),
      /^document\.date: step 1: the approval document .* after the day of the decision/,
    ],
    [
      'a document dated before the step was applied for',
      approvalDated(dayFromToday(-1)),
      /^document\.date: step 1: the approval document .* before the step was applied for/,
    ],
  ])('refuses %s', async (_what, decision, message) => {
    await t.api.post(`/projects/${projectId}/steps/1/submission`, 'agent-wang', submissionOf('1'));
    const before = await snapshot();
    const res = await t.api.post(`/projects/${projectId}/steps/1/decision`, 'officer-drc', decision);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    [
      'a closure',
      'put',
      '/calendar/closures/2026-02-30',
      'admin',
      { reason: '台风' },
      /param\.date: '2026-02-30' is not a calendar date: 2026-02 has 28 days/,
    ],
    [
      'a holiday of a year',
      'put',
      '/calendar/years/2027',
      'admin',
      { holidays: ['2027-02-29'], workdays: [] },
      /body\.holidays\.0: '2027-02-29' is not a calendar date/,
    ],
    [
      'the audit day',
      'get',
      '/admin/audit?date=2026-04-31',
      'admin',
      undefined,
      /query\.date: '2026-04-31' is not a calendar date: 2026-04 has 30 days/,
    ],
    [
      'a report period',
      'get',
      '/reports/departments?from=2026-13&to=2027-01',
      'leader-zhang',
      undefined,
      /query\.from: '2026-13' is not a calendar month/,
    ],
  ] as const)(
    'refuses a day the calendar does not have in %s',
    async (_what, method, path, as, body, message) => {
      const before = await snapshot();
      const calendar = (await t.api.get('/calendar', 'admin')).body;
      const res = method === 'put' ? await t.api.put(path, as, body) : await t.api.get(path, as);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(await snapshot()).toEqual(before);
      expect((await t.api.get('/calendar', 'admin')).body).toEqual(calendar);
    },
  );

  it('refuses materials the step does not list', async () => {
    const view = await driveProject(t.system, t.api, projectId, {
      stop: (v) => allSteps(v).some((s) => s.stepId === '2' && s.status === 'ready'),
    });
    expect(allSteps(view).find((s) => s.stepId === '2')?.status).toBe('ready');
    const res = await t.api.post(`/projects/${projectId}/steps/2/submission`, 'agent-wang', {
      materials: ['passport'],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/does not list material\(s\) passport/);
  });

  it('answers 404 for an unknown project and an unknown route', async () => {
    expect((await t.api.get('/projects/nope', 'leader-zhang')).status).toBe(404);
    expect((await t.api.get('/no-such-route')).status).toBe(404);
  });
});

describe('who may act', () => {
  const t = useTestSystem();
  let projectId: string;

  beforeAll(async () => {
    projectId = (await t.api.post('/projects', 'agent-wang', projectRegistration())).body.projectId;
    await t.system.engine.settled();
    await t.api.post(`/projects/${projectId}/steps/1/submission`, 'agent-wang', submissionOf('1'));
  });

  it('asks for a sign-in without a bearer token (401) and refuses a forged one', async () => {
    const anonymous = await t.api.post(`/projects/${projectId}/steps/1/decision`, undefined, APPROVAL);
    expect(anonymous.status).toBe(401);
    const forged = await t.system.app.request(`/projects/${projectId}`, {
      headers: { authorization: 'Bearer abc.def.ghi' },
    });
    expect(forged.status).toBe(401);
  });

  it('lets only an officer of the step department decide (403 for others)', async () => {
    for (const someone of ['officer-nrp', 'agent-wang', 'investor-jinling', 'leader-zhang']) {
      const res = await t.api.post(`/projects/${projectId}/steps/1/decision`, someone, APPROVAL);
      expect(res.status, someone).toBe(403);
    }
  });

  it('lets only the assigned agent submit; to another agent the project does not exist', async () => {
    const res = await t.api.post(`/projects/${projectId}/steps/1/submission`, 'agent-li', submissionOf('1'));
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('agent-wang');
  });

  it("shows an investor their enterprise's projects only", async () => {
    const own = await t.api.get(`/projects/${projectId}`, 'investor-jinling');
    const other = await t.api.get(`/projects/${projectId}`, 'investor-qinhuai');
    const list = await t.api.get('/projects', 'investor-qinhuai');
    expect(own.status).toBe(200);
    expect(other.status).toBe(404);
    expect(list.body.projects).toEqual([]);
  });

  it('records a handover with its reason and keeps the history', async () => {
    const denied = await t.api.put(`/projects/${projectId}/agent`, 'agent-li', {
      agentId: 'agent-li',
      reason: '我来',
    });
    const handed = await t.api.put(`/projects/${projectId}/agent`, 'leader-zhang', {
      agentId: 'agent-li',
      reason: '王代办调任重大项目专班',
    });
    const view = await t.api.get(`/projects/${projectId}`, 'agent-li');
    expect(denied.status).toBe(404);
    expect(handed.status).toBe(200);
    expect(view.body.project.agentId).toBe('agent-li');
    expect(view.body.assignments.map((a: { agentId: string }) => a.agentId)).toEqual([
      'agent-wang',
      'agent-li',
    ]);
    expect(view.body.assignments[1]).toMatchObject({
      previousAgentId: 'agent-wang',
      reason: '王代办调任重大项目专班',
    });
    expect((await t.api.get(`/projects/${projectId}`, 'agent-wang')).status).toBe(404);
  });
});
