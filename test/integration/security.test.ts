import { describe, expect, it } from 'vitest';
import { chinaDate } from '../../shared/domain/working-days.js';
import { allEvents, allSteps, driveProject } from '../support/drive.js';
import { APPROVAL, projectRegistration, submissionOf } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

type Event = { type: string; stepId?: string; actor: { userId: string }; data?: Record<string, unknown> };
type Denial = { userId: string; action: string; code: string; as: string; method: string; path: string };

describe('refusals, the audit trail and what each reader sees', () => {
  const t = useTestSystem();

  /** A project past its filing, with the EIA (7, ENV) and the soil and water plan (8, WAT) submitted. */
  async function projectInReview(): Promise<string> {
    const projectId = (await t.api.post('/projects', 'agent-wang', projectRegistration())).body
      .projectId as string;
    await driveProject(t.system, t.api, projectId, {
      stop: (v) => allSteps(v).some((s) => s.stepId === '1' && s.status === 'approved'),
    });
    await t.system.engine.settled();
    for (const stepId of ['7', '8']) {
      await t.api.post(
        `/projects/${projectId}/steps/${stepId}/submission`,
        'agent-wang',
        submissionOf(stepId),
      );
    }
    return projectId;
  }

  const denialsToday = async () =>
    (await t.api.get(`/admin/audit?date=${chinaDate(t.system.ctx.clock.now())}&limit=100`, 'admin')).body
      .denials as Denial[];

  it('records every refused attempt of a signed-in caller, for an admin to read', async () => {
    // Prepare
    const projectId = await projectInReview();

    // Act: WAT's officer tries ENV's step; another agent reads the project; an investor reads the audit
    const wrongDepartment = await t.api.post(
      `/projects/${projectId}/steps/7/decision`,
      'officer-wat',
      APPROVAL,
    );
    const hidden = await t.api.get(`/projects/${projectId}`, 'agent-li');
    const notAdmin = await t.api.get(`/admin/audit?date=${chinaDate(new Date())}`, 'investor-jinling');
    const denials = await denialsToday();

    // Assess
    expect(wrongDepartment.status).toBe(403);
    expect(hidden.status).toBe(404);
    expect(notAdmin.status).toBe(403);
    expect(denials).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          userId: 'officer-wat',
          action: 'step.decide',
          code: 'STEP.NOT_YOUR_DEPARTMENT',
          as: 'forbidden',
          method: 'POST',
          path: `/projects/${projectId}/steps/7/decision`,
        }),
        expect.objectContaining({ userId: 'agent-li', action: 'project.read', as: 'not_found' }),
        expect.objectContaining({ userId: 'investor-jinling', action: 'admin.operate' }),
      ]),
    );
  });

  it('names nothing of a hidden project in a refusal: no code, no name, no agent', async () => {
    // Prepare
    const projectId = await projectInReview();
    const project = (await t.api.get(`/projects/${projectId}`, 'leader-zhang')).body.project;
    const leads = new Set(['DRC', 'NRP', 'HUD']);
    const stranger = ((await t.api.get('/departments')).body.departments as Array<{ id: string }>)
      .map((d) => d.id)
      .find((id) => !project.departments.includes(id) && !leads.has(id));
    if (!stranger) throw new Error('every department has a step in the project');

    // Act
    const answers = await Promise.all([
      t.api.get(`/projects/${projectId}`, 'investor-qinhuai'),
      t.api.get(`/projects/${projectId}/events`, 'agent-li'),
      t.api.post(`/projects/${projectId}/steps/7/decision`, `officer-${stranger.toLowerCase()}`, APPROVAL),
      t.api.post(`/projects/${projectId}/withdrawal`, 'agent-li', { reason: '企业决定撤回' }),
    ]);

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      const text = JSON.stringify(answer.body);
      for (const secret of [project.code, project.name, project.agentId, project.enterpriseName]) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it("shows an officer other departments' decisions without their internal comments, and an investor none", async () => {
    // Prepare: ENV approves with an internal comment; WAT's officer and the investor read the timeline
    const projectId = await projectInReview();
    await t.api.post(`/projects/${projectId}/steps/7/decision`, 'officer-env', {
      ...APPROVAL,
      comment: '内部意见：建议下次抽查',
    });

    // Act
    const asEnv = await allEvents<Event>(t.api, projectId, 'officer-env');
    const asWat = await allEvents<Event>(t.api, projectId, 'officer-wat');
    const asInvestor = await allEvents<Event>(t.api, projectId, 'investor-jinling');

    // Assess
    const decision = (events: Event[]) => events.find((e) => e.type === 'step_decided' && e.stepId === '7');
    expect(decision(asEnv)?.data?.comment).toBe('内部意见：建议下次抽查');
    expect(decision(asWat)?.data?.comment).toBeUndefined();
    expect(decision(asWat)?.data?.outcome).toBe('approved');
    expect(decision(asInvestor)?.data?.comment).toBeUndefined();
    expect(decision(asInvestor)?.actor.userId).toBe('officer');
  });

  it('applies exactly one of 100 parallel conflicting decisions on one step: 99 get 409, one event', async () => {
    // Prepare
    const projectId = await projectInReview();
    const outcomes = ['approved', 'rejected'] as const;

    // Act
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        t.api.post(
          `/projects/${projectId}/steps/8/decision`,
          'officer-wat',
          outcomes[i % 2] === 'approved'
            ? APPROVAL
            : { outcome: 'rejected', legalBasis: '《水土保持法》第二十五条', reason: `方案不符合要求 ${i}` },
        ),
      ),
    );
    await t.system.engine.settled();

    // Assess
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.filter((s) => s !== 409),
      JSON.stringify(answers.filter((a) => a.status !== 409).map((a) => a.body)),
    ).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    const events = await allEvents<Event>(t.api, projectId);
    expect(events.filter((e) => e.type === 'step_decided' && e.stepId === '8')).toHaveLength(1);
  });

  it('answers a repeated POST with the same Idempotency-Key with the first answer, on every kind of POST', async () => {
    // Prepare
    const projectId = await projectInReview();
    const headers = { 'idempotency-key': `decide-8-${projectId}` };
    const path = `/projects/${projectId}/steps/8/decision`;

    // Act
    const first = await t.api.call('POST', path, 'officer-wat', APPROVAL, headers);
    const repeat = await t.api.call('POST', path, 'officer-wat', APPROVAL, headers);
    const otherBody = await t.api.call(
      'POST',
      path,
      'officer-wat',
      { ...APPROVAL, comment: '另一个请求' },
      headers,
    );

    // Assess
    expect(first.status).toBe(200);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(first.body);
    expect(otherBody.status).toBe(422);
  });

  it('tells a wrong method (405, naming the allowed ones) from an unknown route (404)', async () => {
    // Act
    const wrongMethod = await t.api.call('DELETE', '/departments', 'admin');
    const unknown = await t.api.get('/nothing-here', 'admin');

    // Assess
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error.message).toContain('allowed: GET');
    expect(unknown.status).toBe(404);
  });

  it('answers an unknown department in a path or a filter with 404', async () => {
    // Act
    const inbox = await t.api.get('/departments/NOPE/inbox', 'leader-zhang');
    const filter = await t.api.get('/projects?department=NOPE', 'leader-zhang');

    // Assess
    expect(inbox.status).toBe(404);
    expect(filter.status).toBe(404);
    expect(inbox.body.error.message).toContain('NOPE');
  });
});
