import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import { beijing } from '../support/beijing-time.js';
import { startWithFiledProject } from '../support/clocked-system.js';
import { allEvents, allSteps, driveProject, viewProject } from '../support/drive.js';
import { APPROVAL, submissionOf } from '../support/fixtures.js';
import type { ApiClient } from '../support/local-system.js';

const COMMITMENT = { signatory: '张明（法定代表人）', signedOn: '2026-11-25' };
/** The soil and water conservation plan (step 8, 水利局) with the commitment instead of the review opinion. */
const onCommitment = () => ({
  materials: submissionOf('8').materials.filter((m) => m !== 'swc-review-opinion'),
  commitment: COMMITMENT,
});

describe('approval on commitment (告知承诺制)', () => {
  // Thursday 26 November 2026, 09:00 in Beijing
  const clock = new ManualClock(beijing('2026-11-26 09:00'));
  let system: LocalSystem;
  let api: ApiClient;
  let projectId: string;
  const step8 = async () => allSteps(await viewProject(api, projectId)).find((s) => s.stepId === '8') as any;

  beforeAll(async () => {
    ({ system, api, projectId } = await startWithFiledProject(clock));
  });
  afterAll(async () => {
    await system.stop();
  });

  it('takes a commitment only where the policy allows it, and only for the materials it names', async () => {
    // Act
    const withoutEither = await api.post(`/projects/${projectId}/steps/8/submission`, 'agent-wang', {
      materials: onCommitment().materials,
    });
    const onEia = await api.post(`/projects/${projectId}/steps/7/submission`, 'agent-wang', {
      ...submissionOf('7'),
      commitment: COMMITMENT,
    });
    const forThePlan = await api.post(`/projects/${projectId}/steps/8/submission`, 'agent-wang', {
      materials: submissionOf('8').materials.filter((m) => m !== 'swc-plan'),
      commitment: COMMITMENT,
    });

    // Assess
    expect(withoutEither.status).toBe(400);
    expect(withoutEither.body.error.message).toContain('水土保持方案技术评审意见');
    expect(onEia.status).toBe(400);
    expect(onEia.body.error.code).toBe('STEP.NO_COMMITMENT');
    expect(forThePlan.status).toBe(400);
    expect(forThePlan.body.error.message).toContain('水土保持方案报告书');
  });

  it('accepts the signed commitment instead of the review opinion, and the department approves on it', async () => {
    // Act
    const submitted = await api.post(
      `/projects/${projectId}/steps/8/submission`,
      'agent-wang',
      onCommitment(),
    );
    const approved = await api.post(`/projects/${projectId}/steps/8/decision`, 'officer-wat', APPROVAL);
    await system.engine.settled();

    // Assess
    expect(submitted.status).toBe(200);
    expect(submitted.body.step.commitment).toMatchObject({
      signatory: '张明（法定代表人）',
      replaces: [{ materialId: 'swc-review-opinion', name: '水土保持方案技术评审意见' }],
      verificationDays: 20,
    });
    expect(approved.status).toBe(200);
    // twenty working days after Thursday 26 November
    expect(approved.body.step).toMatchObject({
      status: 'approved',
      commitment: { verifyBy: '2026-12-24' },
    });
  });

  it('shows an overdue verification on the sweep, to the department and the leaders', async () => {
    // Act
    clock.set(beijing('2026-12-25 09:00'));
    const report = await system.runJob();
    const again = await system.runJob();

    // Assess
    expect(report.sla).toBe(1);
    expect(again.sla).toBe(0);
    expect((await step8()).commitment.overdue).toBe(true);
    for (const user of ['officer-wat', 'leader-zhang']) {
      const inbox = await api.get('/me/notifications', user);
      expect(inbox.body.notifications[0]).toMatchObject({ kind: 'commitment', stepId: '8' });
    }
    const period = '?from=2026-11&to=2026-12';
    const departments = await api.get(`/reports/departments${period}`, 'leader-zhang');
    expect(departments.body.departments.find((d: any) => d.departmentId === 'WAT')).toMatchObject({
      commitmentApprovals: 1,
      verificationsOverdue: 1,
    });
  });

  it('lets only the step’s department record the verification', async () => {
    // Act
    const byOther = await api.post(`/projects/${projectId}/steps/8/commitment-verification`, 'officer-env', {
      result: 'passed',
      findings: '不是本部门的事项',
    });
    const byAgent = await api.post(`/projects/${projectId}/steps/8/commitment-verification`, 'agent-wang', {
      result: 'passed',
      findings: '代办员不能核查',
    });

    // Assess
    expect(byOther.status).toBe(403);
    expect(byAgent.status).toBe(403);
  });

  it('revokes the approval on a failed verification and returns the project at that step, the record kept', async () => {
    // Act
    const res = await api.post(`/projects/${projectId}/steps/8/commitment-verification`, 'officer-wat', {
      result: 'failed',
      findings: '现场核查：水土保持措施未按方案落实，弃土场未设拦挡',
    });
    await system.engine.settled();

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.step).toMatchObject({
      status: 'rejected',
      outcome: 'revoked',
      commitment: { verification: { result: 'failed' } },
    });
    expect(res.body.step.reason).toContain('弃土场未设拦挡');
    const view = await viewProject(api, projectId);
    expect(view.project.status).toBe('returned');
    const events = await allEvents(api, projectId);
    expect(events.map((e: any) => e.type)).toEqual(
      expect.arrayContaining(['approval_revoked', 'project_returned', 'chain_stopped']),
    );
    const inbox = await api.get('/me/notifications', 'agent-wang');
    expect(inbox.body.notifications[0]).toMatchObject({ kind: 'commitment', stepId: '8' });
    const again = await api.post(`/projects/${projectId}/steps/8/commitment-verification`, 'officer-wat', {
      result: 'passed',
      findings: '再核查一次',
    });
    expect(again.status).toBe(409);
  });

  it('counts the failure against the enterprise’s credit', async () => {
    // Act
    const credit = await api.get('/reports/enterprises?from=2026-11&to=2026-12', 'efficiency-office');
    const byAgent = await api.get('/reports/enterprises?from=2026-11&to=2026-12', 'agent-wang');

    // Assess
    expect(credit.body.enterprises).toEqual([
      expect.objectContaining({
        name: '南京金陵智能装备有限公司',
        commitmentApprovals: 1,
        commitmentsFailed: 1,
        marks: 1,
      }),
    ]);
    expect(byAgent.status).toBe(403);
  });

  it('needs a new submission: the agent re-applies, submits in full, and the step is decided again', async () => {
    // Act
    const reapplied = await api.post(`/projects/${projectId}/steps/8/reapplication`, 'agent-wang', {});
    await system.engine.settled();
    const submitted = await api.post(
      `/projects/${projectId}/steps/8/submission`,
      'agent-wang',
      submissionOf('8'),
    );
    const approved = await api.post(`/projects/${projectId}/steps/8/decision`, 'officer-wat', APPROVAL);
    await system.engine.settled();

    // Assess
    expect(reapplied.body.step).toMatchObject({ status: 'ready', round: 2 });
    expect(reapplied.body.step.earlierRounds[0]).toMatchObject({ outcome: 'revoked' });
    expect(submitted.body.step.status).toBe('in_review');
    expect(approved.body.step.status).toBe('approved');
    expect(approved.body.step.commitment).toBeUndefined();
    const view = await viewProject(api, projectId);
    expect(view.project.status).toBe('active');
    expect((view.project as { executionEndedAt?: string }).executionEndedAt).toBeUndefined();
  });
});

describe('a revoked approval behind the project (告知承诺核查不符 once the project moved on)', () => {
  // Thursday 26 November 2026, 09:00 in Beijing
  const clock = new ManualClock(beijing('2026-11-26 09:00'));
  let system: LocalSystem;
  let api: ApiClient;
  let projectId: string;
  const view = async (): Promise<any> => viewProject(api, projectId);

  beforeAll(async () => {
    ({ system, api, projectId } = await startWithFiledProject(clock));
    await api.post(`/projects/${projectId}/steps/8/submission`, 'agent-wang', onCommitment());
    await api.post(`/projects/${projectId}/steps/8/decision`, 'officer-wat', APPROVAL);
    // every other step of stage 1 approved: the project moves on to stage 2
    await driveProject(system, api, projectId, {
      stop: (v) => (v.project as { currentStageIndex?: number }).currentStageIndex === 1,
    });
  });
  afterAll(async () => {
    await system.stop();
  });

  it('takes the project back to stage 1, returned at the revoked step, and stops stage 2’s execution', async () => {
    // Prepare
    const before = await view();
    expect(before.project).toMatchObject({ status: 'active', currentStageIndex: 1 });

    // Act
    const res = await api.post(`/projects/${projectId}/steps/8/commitment-verification`, 'officer-wat', {
      result: 'failed',
      findings: '现场核查：水土保持措施未按方案落实',
    });
    await system.engine.settled();

    // Assess
    expect(res.status).toBe(200);
    const after = await view();
    expect(after.project).toMatchObject({ status: 'returned', currentStageIndex: 0, rewinds: 1 });
    const types = (await allEvents(api, projectId)).map((e: any) => e.type);
    expect(types).toEqual(expect.arrayContaining(['approval_revoked', 'stage_reopened', 'chain_stopped']));
    expect(after.approvals.find((a: any) => a.stepId === '8')).toMatchObject({ outcome: 'revoked' });
  });

  it('re-runs stage 1 on the re-application, and moves on to stage 2 only once the step passes again', async () => {
    // Act
    const reapplied = await api.post(`/projects/${projectId}/steps/8/reapplication`, 'agent-wang', {});
    await system.engine.settled();
    const waiting = await view();
    await api.post(`/projects/${projectId}/steps/8/submission`, 'agent-wang', submissionOf('8'));
    await api.post(`/projects/${projectId}/steps/8/decision`, 'officer-wat', APPROVAL);
    await system.engine.settled();
    const moved = await view();

    // Assess: never completed, the re-run of stage 1 named apart from its first execution
    expect(reapplied.status).toBe(200);
    expect(waiting.project).toMatchObject({ status: 'active', currentStageIndex: 0 });
    expect(waiting.project.execution?.name).toBe(`${projectId}-r1-s0-g1`);
    expect(moved.project).toMatchObject({ status: 'active', currentStageIndex: 1 });
    expect(moved.project.execution?.name).toBe(`${projectId}-r1-s1-g1`);
    expect(moved.approvals.filter((a: any) => a.stepId === '8').map((a: any) => a.outcome)).toEqual([
      'revoked',
      'approved',
    ]);
    const csv = await api.get(`/projects/${projectId}/approvals.csv`, 'leader-zhang');
    expect(csv.body).toContain('已撤销（告知承诺核查不符）');
  });
});
