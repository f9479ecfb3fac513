import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/app/clock.js';
import { RecordedMetrics } from '../../shared/app/metrics.js';
import { allEvents, allSteps, driveProject, viewProject } from '../support/drive.js';
import { APPROVAL, projectRegistration, submissionOf, TEST_DOCUMENT } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

type Event = { type: string; stepId?: string; data?: Record<string, unknown> };

describe('department decisions', () => {
  const metrics = new RecordedMetrics();
  const t = useTestSystem({ metrics });

  /** A new project whose filing (step 1) is approved, so steps 2, 6, 7, 8, 9 and 13 are ready. */
  async function projectPastFiling(): Promise<string> {
    const created = await t.api.post('/projects', 'agent-wang', projectRegistration());
    const projectId = created.body.projectId as string;
    await driveProject(t.system, t.api, projectId, {
      stop: (view) => allSteps(view).some((s) => s.stepId === '1' && s.status === 'approved'),
    });
    await t.system.engine.settled();
    return projectId;
  }

  const stepStatus = async (projectId: string, stepId: string) =>
    allSteps(await viewProject(t.api, projectId)).find((s) => s.stepId === stepId)?.status;

  it('runs the supplement loop: supplement → resubmission → decision, and the timeline shows it', async () => {
    // Prepare
    const projectId = await projectPastFiling();
    const base = `/projects/${projectId}/steps/7`;
    expect((await t.api.post(`${base}/submission`, 'agent-wang', submissionOf('7'))).status).toBe(200);

    // Act
    const supplement = await t.api.post(`${base}/decision`, 'officer-env', {
      outcome: 'supplement',
      missingMaterials: [
        { name: '环境影响报告书（报批版）', reason: '缺少大气预测章节' },
        { name: '公众参与说明', reason: '未附公示截图' },
      ],
    });
    const incomplete = await t.api.post(`${base}/resubmission`, 'agent-wang', { supplied: ['公众参与说明'] });
    const resubmitted = await t.api.post(`${base}/resubmission`, 'agent-wang', {
      supplied: ['环境影响报告书（报批版）', '公众参与说明'],
    });
    const approved = await t.api.post(`${base}/decision`, 'officer-env', {
      outcome: 'approved_with_conditions',
      conditions: ['施工期噪声不得超过 70 dB'],
      document: TEST_DOCUMENT,
    });
    await t.system.engine.settled();

    // Assess
    expect(supplement.status).toBe(200);
    expect(supplement.body.step.status).toBe('supplement_requested');
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error.message).toContain('环境影响报告书（报批版）');
    expect(resubmitted.body.step.status).toBe('in_review');
    expect(approved.status).toBe(200);
    expect(await stepStatus(projectId, '7')).toBe('approved');
    const events = await allEvents<Event>(t.api, projectId, 'agent-wang');
    expect(events.filter((e) => e.stepId === '7').map((e) => e.type)).toEqual([
      'step_opened',
      'step_submitted',
      'supplement_requested',
      'step_resubmitted',
      'step_decided',
    ]);
  });

  it('returns the project on a rejection and leaves the sibling reviews of the stage untouched', async () => {
    // Prepare: two siblings in review, one ready
    const projectId = await projectPastFiling();
    for (const stepId of ['7', '8', '2']) {
      await t.api.post(
        `/projects/${projectId}/steps/${stepId}/submission`,
        'agent-wang',
        submissionOf(stepId),
      );
    }

    // Act
    const rejected = await t.api.post(`/projects/${projectId}/steps/7/decision`, 'officer-env', {
      outcome: 'rejected',
      legalBasis: '《建设项目环境保护管理条例》第十一条',
      reason: '项目选址位于饮用水水源二级保护区',
    });
    await t.system.engine.settled();

    // Assess
    expect(rejected.status).toBe(200);
    const view = await viewProject(t.api, projectId);
    expect(view.project.status).toBe('returned');
    const status = new Map(allSteps(view).map((s) => [s.stepId, s.status]));
    expect(status.get('7')).toBe('rejected');
    expect(status.get('8')).toBe('in_review');
    expect(status.get('2')).toBe('in_review');
    expect(status.get('9')).toBe('ready');
    expect(status.get('13')).toBe('ready');

    // the sibling review can still be decided by its department
    const sibling = await t.api.post(`/projects/${projectId}/steps/8/decision`, 'officer-wat', APPROVAL);
    expect(sibling.status).toBe(200);
    // but nothing new opens in a returned project: 2's dependents end blocked once 2 is approved
    await t.api.post(`/projects/${projectId}/steps/2/decision`, 'officer-nrp', APPROVAL);
    await t.system.engine.settled();
    const after = allSteps(await viewProject(t.api, projectId));
    expect(after.find((s) => s.stepId === '3')).toMatchObject({ status: 'pending', blocked: true });
  });

  it('applies a repeated or concurrent decision on the same step exactly once; the others get 409', async () => {
    // Prepare
    const projectId = await projectPastFiling();
    await t.api.post(`/projects/${projectId}/steps/9/submission`, 'agent-wang', submissionOf('9'));
    const countedBefore = metrics.total('Decisions');

    // Act: five officers' clicks at once, then one more later
    const decisions = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.api.post(`/projects/${projectId}/steps/9/decision`, 'officer-wat', APPROVAL),
      ),
    );
    const repeated = await t.api.post(`/projects/${projectId}/steps/9/decision`, 'officer-wat', APPROVAL);
    await t.system.engine.settled();

    // Assess
    expect(decisions.map((d) => d.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(repeated.status).toBe(409);
    expect(repeated.body.error.message).toContain('step 9 is already decided (approved)');
    const events = await allEvents<Event>(t.api, projectId, 'agent-wang');
    expect(events.filter((e) => e.stepId === '9' && e.type === 'step_decided')).toHaveLength(1);
    const project = (await viewProject(t.api, projectId)).project as unknown as { decisions: number };
    expect(project.decisions).toBe(2); // step 1 and step 9, once each
    expect(metrics.total('Decisions') - countedBefore).toBe(1);
  });
});

describe('supplement requests on the working-day clock', () => {
  // Monday 23 November 2026, 10:00 in Beijing
  const clock = new ManualClock('2026-11-23T02:00:00Z');
  const t = useTestSystem({ clock });

  it('pauses the clock while supplementing and resumes with the working days that were left', async () => {
    // Prepare: step 2 (5 working days) submitted on Monday is due the next Monday
    const created = await t.api.post('/projects', 'agent-wang', projectRegistration());
    const projectId = created.body.projectId as string;
    await driveProject(t.system, t.api, projectId, {
      stop: (view) => allSteps(view).some((s) => s.stepId === '2' && s.status === 'ready'),
    });
    const submitted = await t.api.post(
      `/projects/${projectId}/steps/2/submission`,
      'agent-wang',
      submissionOf('2'),
    );
    expect(submitted.body.step.dueDate).toBe('2026-11-30');

    // Act: on Tuesday the department asks for a supplement; the agent supplies it on Friday
    clock.set('2026-11-24T02:00:00Z');
    const supplement = await t.api.post(`/projects/${projectId}/steps/2/decision`, 'officer-nrp', {
      outcome: 'supplement',
      missingMaterials: [{ name: '建设项目用地预审申请表', reason: '未盖章' }],
    });
    clock.set('2026-11-27T02:00:00Z');
    const resubmitted = await t.api.post(`/projects/${projectId}/steps/2/resubmission`, 'agent-wang', {
      supplied: ['建设项目用地预审申请表'],
    });

    // Assess: 4 working days were left on Tuesday (25, 26, 27, 30); the clock stood still 3 working days
    // (Wednesday to Friday), so the step is due three working days later: Thursday 3 December
    expect(supplement.body.step.clock).toMatchObject({ paused: true, promisedDaysLeft: 4 });
    expect(supplement.body.step.dueDate).toBeUndefined();
    expect(resubmitted.body.step.dueDate).toBe('2026-12-03');
  });

  it('refuses a supplement request in the second half of the promised limit (补不过半)', async () => {
    // Prepare: step 2 submitted on Monday 30 November, due Monday 7 December
    clock.set('2026-11-30T02:00:00Z');
    const created = await t.api.post('/projects', 'agent-wang', projectRegistration());
    const projectId = created.body.projectId as string;
    await driveProject(t.system, t.api, projectId, {
      stop: (view) => allSteps(view).some((s) => s.stepId === '2' && s.status === 'ready'),
    });
    await t.api.post(`/projects/${projectId}/steps/2/submission`, 'agent-wang', submissionOf('2'));

    // Act: Thursday, three of five working days gone
    clock.set('2026-12-03T02:00:00Z');
    const late = await t.api.post(`/projects/${projectId}/steps/2/decision`, 'officer-nrp', {
      outcome: 'supplement',
      missingMaterials: [{ name: '建设项目用地预审申请表', reason: '未盖章' }],
    });

    // Assess
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('STEP.SUPPLEMENT_TOO_LATE');
    const step = allSteps(await viewProject(t.api, projectId)).find((s) => s.stepId === '2');
    expect(step?.status).toBe('in_review');
  });
});
