import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import { beijing } from '../support/beijing-time.js';
import { startWithFiledProject } from '../support/clocked-system.js';
import { allSteps, viewProject } from '../support/drive.js';
import { APPROVAL, submissionOf } from '../support/fixtures.js';
import type { ApiClient } from '../support/local-system.js';

/** A submission of a reference-chain step without the materials named. */
const submissionWithout = (stepId: string, ...left: string[]) => ({
  materials: submissionOf(stepId).materials.filter((m) => !left.includes(m)),
});

describe('acceptance with a minor material missing (容缺受理)', () => {
  // Thursday 26 November 2026, 09:00 in Beijing
  const clock = new ManualClock(beijing('2026-11-26 09:00'));
  let system: LocalSystem;
  let api: ApiClient;
  let projectId: string;
  const step = async (stepId: string) =>
    allSteps(await viewProject(api, projectId)).find((s) => s.stepId === stepId) as any;

  beforeAll(async () => {
    ({ system, api, projectId } = await startWithFiledProject(clock));
  });
  afterAll(async () => {
    await system.stop();
  });

  it('accepts the site selection without the power of attorney, with a deadline to supply it, the clock running', async () => {
    // Act
    const res = await api.post(
      `/projects/${projectId}/steps/2/submission`,
      'agent-wang',
      submissionWithout('2', 'power-of-attorney'),
    );

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.step).toMatchObject({
      status: 'in_review',
      dueDate: '2026-12-03',
      deferred: {
        materials: [{ materialId: 'power-of-attorney', name: '授权委托书及代办人身份证明' }],
        supplied: [],
        // ten working days after the acceptance day
        supplyBy: '2026-12-10',
      },
    });
    expect(res.body.step.clock.running).toBe(true);
  });

  it('still refuses a submission missing a material that is not deferrable, naming it', async () => {
    // Act
    const res = await api.post(
      `/projects/${projectId}/steps/7/submission`,
      'agent-wang',
      submissionWithout('7', 'eia-report', 'eia-redacted-statement'),
    );

    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('环境影响报告书');
    expect(res.body.error.message).not.toContain('删除涉密');
  });

  it('blocks the approval until the material is supplied, naming what is missing', async () => {
    // Act
    const approve = await api.post(`/projects/${projectId}/steps/2/decision`, 'officer-nrp', APPROVAL);

    // Assess
    expect(approve.status).toBe(409);
    expect(approve.body.error.code).toBe('STEP.DEFERRED_MATERIALS_MISSING');
    expect(approve.body.error.message).toContain('授权委托书及代办人身份证明 (power-of-attorney)');
    expect((await step('2')).status).toBe('in_review');
  });

  it('approves once the agent supplies it, and the chain moves on', async () => {
    // Prepare
    clock.set(beijing('2026-11-27 10:00'));
    const supplied = await api.post(`/projects/${projectId}/steps/2/deferred-materials`, 'agent-wang', {
      supplied: ['power-of-attorney'],
    });

    // Act
    const approve = await api.post(`/projects/${projectId}/steps/2/decision`, 'officer-nrp', APPROVAL);
    await system.engine.settled();

    // Assess
    expect(supplied.status).toBe(200);
    expect(supplied.body.step.deferred.materials).toEqual([]);
    expect(supplied.body.step.deferred.supplied[0]).toMatchObject({ materialId: 'power-of-attorney' });
    expect(approve.status).toBe(200);
    expect(approve.body.step.status).toBe('approved');
    expect((await step('3')).status).toBe('ready');
  });

  it('lets only the project’s agent supply, and only what was accepted as missing', async () => {
    // Act
    const byOfficer = await api.post(`/projects/${projectId}/steps/2/deferred-materials`, 'officer-nrp', {
      supplied: ['power-of-attorney'],
    });
    const nothingLeft = await api.post(`/projects/${projectId}/steps/2/deferred-materials`, 'agent-wang', {
      supplied: ['power-of-attorney'],
    });

    // Assess
    expect(byOfficer.status).toBe(403);
    expect(nothingLeft.status).toBe(409);
  });

  describe('a supply deadline missed', () => {
    beforeAll(async () => {
      clock.set(beijing('2026-11-30 09:00'));
      // the EIA (ENV, promised 15 working days) accepted on Monday 30 November without the redaction statement
      const res = await api.post(
        `/projects/${projectId}/steps/7/submission`,
        'agent-wang',
        submissionWithout('7', 'eia-redacted-statement'),
      );
      expect(res.body.step.deferred.supplyBy).toBe('2026-12-14');
    });

    it('is the applicant’s breach: shown to the agent, counted on the agent and the enterprise, not the department', async () => {
      // Act
      clock.set(beijing('2026-12-15 09:00'));
      const report = await system.runJob();

      // Assess
      expect(report.sla).toBe(1);
      const eia = await step('7');
      expect(eia.deferred).toMatchObject({ missed: true, supplyBy: '2026-12-14' });
      expect(eia.clock.light).toBe('green');
      const inbox = await api.get('/me/notifications', 'agent-wang');
      expect(inbox.body.notifications[0]).toMatchObject({ kind: 'applicant_breach', stepId: '7' });
      expect(inbox.body.notifications[0].message).toContain('eia-redacted-statement');
      const period = '?from=2026-11&to=2026-12';
      const departments = await api.get(`/reports/departments${period}`, 'leader-zhang');
      expect(departments.body.departments.find((d: any) => d.departmentId === 'ENV')).toMatchObject({
        breaches: 0,
        deferredAcceptances: 1,
      });
      const agents = await api.get(`/reports/agents${period}`, 'leader-zhang');
      expect(agents.body.agents.find((a: any) => a.agentId === 'agent-wang').deferralsMissed).toBe(1);
      const credit = await api.get(`/reports/enterprises${period}`, 'efficiency-office');
      expect(credit.body.enterprises[0]).toMatchObject({ deferralsMissed: 1, marks: 1 });
    });

    it('is recorded once, and the late material is still taken', async () => {
      // Act
      const again = await system.runJob();
      const supplied = await api.post(`/projects/${projectId}/steps/7/deferred-materials`, 'agent-wang', {
        supplied: ['删除涉密及商业秘密内容的说明'],
      });
      const approve = await api.post(`/projects/${projectId}/steps/7/decision`, 'officer-env', APPROVAL);

      // Assess
      expect(again.sla).toBe(0);
      expect(supplied.status).toBe(200);
      expect(approve.body.step.status).toBe('approved');
      const events = (await api.get(`/projects/${projectId}/events?limit=100`, 'agent-wang')).body.events;
      expect(events.map((e: any) => e.type)).toEqual(
        expect.arrayContaining(['deferred_materials_overdue', 'deferred_materials_supplied']),
      );
      expect(
        events.find((e: any) => e.type === 'deferred_materials_supplied' && e.stepId === '7').data,
      ).toMatchObject({
        late: true,
      });
    });
  });
});
