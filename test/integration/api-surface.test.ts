import { describe, expect, it } from 'vitest';
import { APPROVAL, projectRegistration, submissionOf } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

describe('the HTTP API', () => {
  const t = useTestSystem();

  it('answers health, departments and chains without a sign-in', async () => {
    expect((await t.api.get('/health')).body.status).toBe('ok');
    const departments = (await t.api.get('/departments')).body.departments as Array<{
      id: string;
      level: string;
    }>;
    expect(departments).toHaveLength(18);
    expect(departments.find((d) => d.id === 'ENV_CITY')?.level).toBe('city');
    expect(departments.find((d) => d.id === 'EMG_PROV')?.level).toBe('province');
    const chains = (await t.api.get('/chains')).body.chains;
    expect(chains).toEqual([
      expect.objectContaining({ chainId: 'industrial-enterprise', version: 2, stages: 4, steps: 35 }),
    ]);
  });

  it('publishes the six public items (六公开) of every step of a chain', async () => {
    const chain = (await t.api.get('/chains/industrial-enterprise')).body;
    const steps = chain.stages.flatMap((s: { steps: unknown[] }) => s.steps);
    expect(steps).toHaveLength(35);
    expect(steps.find((s: { stepId: string }) => s.stepId === '32').parts).toHaveLength(6);
    expect((await t.api.get('/chains/industrial-enterprise?version=1')).body.stages[3].steps).toHaveLength(
      10,
    );
    expect((await t.api.get('/chains/industrial-enterprise?version=9')).status).toBe(404);
    for (const step of steps.filter((s: { kind: string }) => s.kind === 'approval')) {
      expect(step.public).toEqual({
        serviceContent: expect.any(String),
        procedure: expect.arrayContaining([expect.any(String)]),
        materials: expect.any(Array),
        promisedDays: expect.any(Number),
        feeBasis: expect.any(String),
        feeStandard: expect.any(String),
      });
    }
    expect((await t.api.get('/chains/nope')).status).toBe(404);
  });

  it('describes every route in the OpenAPI document', async () => {
    const doc = (await t.api.get('/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/departments',
        '/chains',
        '/chains/{chainId}',
        '/projects',
        '/projects/{id}',
        '/projects/{id}/events',
        '/projects/{id}/agent',
        '/projects/{id}/steps/{stepId}/submission',
        '/projects/{id}/steps/{stepId}/decision',
        '/projects/{id}/steps/{stepId}/resubmission',
        '/departments/{deptId}/inbox',
      ]),
    );
  });

  it('declares every header, bound and answer the server has: Idempotency-Key and 422 on every keyed POST, 413 on every body, the document, the investment bounds, 405', async () => {
    // Act
    const doc = (await t.api.get('/openapi.json')).body;
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(
      ([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
    );
    const posts = operations.filter((o) => o.method === 'post');
    const keyed = posts.filter((o) =>
      /^\/(projects|chains|admin|me|meetings|batches|complaints)/.test(o.path),
    );
    const withHeader = keyed.filter((o) =>
      (o.operation.parameters ?? []).some(
        (p: { in: string; name: string }) => p.in === 'header' && p.name === 'idempotency-key',
      ),
    );
    const registration = doc.paths['/projects'].post.requestBody.content['application/json'].schema;
    const document =
      doc.paths['/projects/{id}/documents/{docId}'].get.responses['200'].content['application/json'];

    // Assess
    expect(keyed.length).toBeGreaterThan(30);
    expect(
      keyed.filter((o) => !withHeader.includes(o) && !o.path.startsWith('/admin/users')).map((o) => o.path),
    ).toEqual([]);
    expect(withHeader.every((o) => o.operation.responses['422'])).toBe(true);
    expect(
      operations.filter((o) => ['post', 'put', 'patch'].includes(o.method) && !o.operation.responses['413']),
    ).toEqual([]);
    expect(JSON.stringify(registration)).toMatch(
      /"investmentCny":\{[^}]*"minimum":0\.01[^}]*"maximum":10000000000000/,
    );
    expect(JSON.stringify(document.schema)).not.toBe('{}');
    expect(JSON.stringify(document.schema)).toContain('document');
    expect(doc.components.responses.MethodNotAllowed).toBeDefined();
  });

  it('refuses a query field on a route that takes none, as it does elsewhere', async () => {
    // Act
    const calendar = await t.api.get('/calendar?year=2026');
    const policy = await t.api.get('/sla-policy?foo=1');
    const health = await t.api.get('/health');

    // Assess
    expect(calendar.status).toBe(400);
    expect(calendar.body.error.message).toContain("'year'");
    expect(policy.status).toBe(400);
    expect(health.status).toBe(200);
  });

  it("lists a department's inbox by time left and filters projects by department, agent and status", async () => {
    // Prepare: two projects whose EIA (step 7, ENV) is submitted one after the other
    const first = (await t.api.post('/projects', 'agent-wang', projectRegistration({ name: '一号项目' })))
      .body.projectId;
    const second = (
      await t.api.post(
        '/projects',
        'agent-li',
        projectRegistration({ name: '二号项目', agentId: 'agent-li' }),
      )
    ).body.projectId;
    for (const [projectId, agent] of [
      [first, 'agent-wang'],
      [second, 'agent-li'],
    ] as const) {
      await t.system.engine.settled();
      await t.api.post(`/projects/${projectId}/steps/1/submission`, agent, submissionOf('1'));
      await t.api.post(`/projects/${projectId}/steps/1/decision`, 'officer-drc', APPROVAL);
      await t.system.engine.settled();
      await t.api.post(`/projects/${projectId}/steps/7/submission`, agent, submissionOf('7'));
    }

    // Act
    const inbox = await t.api.get('/departments/ENV/inbox', 'officer-env');
    const foreignInbox = await t.api.get('/departments/ENV/inbox', 'officer-drc');
    const byDepartment = await t.api.get('/projects?department=ENV', 'leader-zhang');
    const byAgent = await t.api.get('/projects?agent=agent-li', 'leader-zhang');
    const completed = await t.api.get('/projects?status=completed', 'leader-zhang');
    const badStatus = await t.api.get('/projects?status=finished', 'leader-zhang');

    // Assess
    expect(
      inbox.body.steps.map((s: { projectName: string; stepId: string }) => [s.projectName, s.stepId]),
    ).toEqual([
      ['一号项目', '7'],
      ['二号项目', '7'],
    ]);
    expect(inbox.body.steps[0]).toMatchObject({
      workingDaysLeft: expect.any(Number),
      dueDate: expect.any(String),
    });
    expect(foreignInbox.status).toBe(403);
    expect(byDepartment.body.projects.map((p: { name: string }) => p.name).sort()).toEqual([
      '一号项目',
      '二号项目',
    ]);
    expect(byAgent.body.projects.map((p: { name: string }) => p.name)).toEqual(['二号项目']);
    expect(completed.body.projects).toEqual([]);
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.message).toMatch(/query\.status/);
  });
});
