import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/app/clock.js';
import { silentLogger } from '../../shared/app/logger.js';
import { RecordedMetrics } from '../../shared/app/metrics.js';
import { beijing } from '../support/beijing-time.js';
import { registerAndSubmitEia, registerProject } from '../support/clocked-system.js';
import { allEvents, allSteps, viewProject } from '../support/drive.js';
import { APPROVAL, projectRegistration, submissionOf } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

type Event = {
  type: string;
  stepId?: string;
  data?: Record<string, unknown>;
  after?: Record<string, unknown>;
};
type Step = {
  stepId: string;
  status: string;
  dueDate?: string;
  dueFlagged?: boolean;
  clock?: { light: string | null };
};

describe('a department that misses its promised limit (超时默认)', () => {
  // Thursday 26 November 2026, 09:00 in Beijing
  const clock = new ManualClock(beijing('2026-11-26 09:00'));
  const metrics = new RecordedMetrics();
  const t = useTestSystem({ clock, log: silentLogger, metrics });
  let projectId: string;
  const step1 = async () =>
    allSteps(await viewProject(t.api, projectId)).find((s) => s.stepId === '1') as Step | undefined;
  const sweepAt = async (text: string) => {
    clock.set(beijing(text));
    const report = await t.system.runJob();
    await t.system.engine.settled();
    return report;
  };

  beforeAll(async () => {
    projectId = (await t.api.post('/projects', 'agent-wang', projectRegistration())).body.projectId;
    await t.system.engine.settled();
    // Filing (step 1, 发改局, promised 1 working day, deemed approval allowed) accepted on Thursday: due Friday
    const submitted = await t.api.post(
      `/projects/${projectId}/steps/1/submission`,
      'agent-wang',
      submissionOf('1'),
    );
    expect(submitted.body.step.dueDate).toBe('2026-11-27');
  });

  it('turns the step yellow while one working day is left', async () => {
    // Act
    const report = await sweepAt('2026-11-26 12:00');

    // Assess
    expect(report.sla).toBe(1);
    expect((await step1())?.clock?.light).toBe('yellow');
    const inbox = await t.api.get('/departments/DRC/inbox', 'officer-drc');
    expect(inbox.body.steps[0]).toMatchObject({ stepId: '1', light: 'yellow', workingDaysLeft: 1 });
  });

  it('changes nothing when swept again at the same instant', async () => {
    // Prepare
    const before = await allEvents<Event>(t.api, projectId);

    // Act
    const report = await sweepAt('2026-11-26 12:00');

    // Assess
    expect(report.sla).toBe(0);
    expect(await allEvents<Event>(t.api, projectId)).toEqual(before);
  });

  it('turns it red once the limit has passed and escalates to the handling department', async () => {
    // Act: Saturday
    await sweepAt('2026-11-28 12:00');

    // Assess
    const step = await step1();
    expect(step?.status).toBe('in_review');
    expect(step?.clock?.light).toBe('red');
    const events = await allEvents<Event>(t.api, projectId);
    expect(events.filter((e) => e.stepId === '1').map((e) => e.type)).toEqual(
      expect.arrayContaining(['sla_light_changed', 'sla_breached', 'sla_escalated']),
    );
  });

  it('deems it approved on the next working day, issues the notice, and the chain moves on', async () => {
    // Act: Monday 30 November
    await sweepAt('2026-11-30 09:00');
    const view = await viewProject(t.api, projectId);
    const documents = (await t.api.get(`/projects/${projectId}/documents`, 'investor-jinling')).body
      .documents;
    const notice = documents.find((d: { kind: string }) => d.kind === 'deemed_approval_notice');
    const page = await t.system.app.request(`/projects/${projectId}/documents/${notice?.docId}?format=html`, {
      headers: {
        authorization: `Bearer ${await t.system.tokens.issue({ userId: 'agent-wang', name: '王代办', role: 'agent' })}`,
      },
    });
    const late = await t.api.post(`/projects/${projectId}/steps/1/decision`, 'officer-drc', APPROVAL);

    // Assess
    const steps = allSteps(view);
    expect(steps.find((s) => s.stepId === '1')?.status).toBe('deemed_approved');
    expect(steps.filter((s) => s.status === 'ready').map((s) => s.stepId)).toEqual(
      expect.arrayContaining(['2', '6', '7', '8', '9', '13']),
    );
    expect(notice).toMatchObject({
      number: '超时默认〔2026〕第0001号',
      stepId: '1',
      departmentId: 'DRC',
      fields: { projectCode: view.project.code, dueDate: '2026-11-27', noticeDate: '2026-11-30' },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('超时默认通知单');
    expect(html).toContain('@page { size: A4');
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/deemed approved \(超时默认\)/);
  });

  it('tells the department, the agent and the leaders, each in their own inbox', async () => {
    // Act
    const kindsOf = async (userId: string) =>
      ((await t.api.get('/me/notifications', userId)).body.notifications as Array<{ kind: string }>).map(
        (n) => n.kind,
      );

    // Assess
    expect(await kindsOf('officer-drc')).toEqual(
      expect.arrayContaining(['light_yellow', 'breach', 'escalation', 'deemed_approval']),
    );
    expect(await kindsOf('agent-wang')).toEqual(
      expect.arrayContaining(['light_yellow', 'breach', 'deemed_approval']),
    );
    expect(await kindsOf('leader-zhang')).toEqual(['deemed_approval']);
    expect(await kindsOf('officer-env')).toEqual([]);
    const mine = (await t.api.get('/me/notifications', 'agent-wang')).body.notifications[0];
    expect((await t.api.post(`/me/notifications/${mine.notificationId}/read`, 'agent-wang', {})).status).toBe(
      200,
    );
    expect(
      (await t.api.post(`/me/notifications/${mine.notificationId}/read`, 'officer-drc', {})).status,
    ).toBe(404);
    expect((await t.api.get('/me/notifications', 'agent-wang')).body.notifications[0].read).toBe(true);
  });

  it('counts it against the department in the report: a breach, a deemed approval, a formal talk (约谈)', async () => {
    // Act
    const report = await t.api.get('/reports/departments?from=2026-11&to=2026-11', 'leader-zhang');
    const asOfficer = await t.api.get('/reports/departments?from=2026-11&to=2026-11', 'officer-drc');
    const asInvestor = await t.api.get('/reports/departments?from=2026-11&to=2026-11', 'investor-jinling');

    // Assess
    expect(report.status).toBe(200);
    expect(report.body.departments[0]).toMatchObject({
      rank: 1,
      departmentId: 'DRC',
      decided: 1,
      late: 1,
      breaches: 1,
      deemedApprovals: 1,
      accountability: 'formal_talk',
    });
    expect(report.body.headline).toMatch(/比法定时限提速/);
    expect(asOfficer.body.departments.map((d: { departmentId: string }) => d.departmentId)).toEqual(['DRC']);
    expect(asInvestor.status).toBe(403);
  });

  it('counts the breach and the deemed approval for the dashboard and alarms, and times every sweep', async () => {
    // Assess: four sweeps so far, one breach, one deemed approval; the late decision was refused, not counted
    expect(metrics.total('Breaches')).toBe(1);
    expect(metrics.total('DeemedApprovals')).toBe(1);
    expect(metrics.total('Decisions')).toBe(0);
    expect(metrics.values.get('SweepDuration')).toHaveLength(4);
    expect(metrics.total('SweepFailures')).toBe(0);
    expect(metrics.total('SignalsPending')).toBe(0);
  });

  it('climbs the ladder to the leaders when a step without deemed approval stays overdue', async () => {
    // Prepare: the EIA (step 7, 生态环境局, 15 working days, no deemed approval) submitted on Monday 30 November
    await t.api.post(`/projects/${projectId}/steps/7/submission`, 'agent-wang', submissionOf('7'));

    // Act: 21 December, the due date; then 5 working days overdue (the joint-meeting rung): 28 December
    await sweepAt('2026-12-22 09:00');
    await sweepAt('2026-12-29 09:00');

    // Assess
    const events = await allEvents<Event>(t.api, projectId);
    const rungs = events
      .filter((e) => e.type === 'sla_escalated' && e.stepId === '7')
      .map((e) => e.data?.rung);
    expect(rungs).toEqual(['department', 'stage_lead', 'joint_meeting']);
    const leader = (await t.api.get('/me/notifications', 'leader-zhang')).body.notifications as Array<{
      kind: string;
      stepId: string;
    }>;
    expect(leader.filter((n) => n.kind === 'escalation').map((n) => n.stepId)).toEqual(['7']);
    expect((await allSteps(await viewProject(t.api, projectId)).find((s) => s.stepId === '7'))?.status).toBe(
      'in_review',
    );
  });

  it('proposes a joint review meeting with the overdue step on its agenda at the joint-meeting rung', async () => {
    // Act: the previous test's sweeps reached the joint-meeting rung for step 7
    const meetings = (await t.api.get('/meetings', 'leader-zhang')).body.meetings as Array<{
      meetingId: string;
      status: string;
      invited: string[];
      agenda: Array<{ projectId: string; stepId: string; departmentId: string }>;
    }>;
    const proposal = meetings.find((m) =>
      m.agenda.some((i) => i.projectId === projectId && i.stepId === '7'),
    );
    const seenByEnv = await t.api.get(`/meetings/${proposal?.meetingId}`, 'officer-env');
    const envTold = (await t.api.get('/me/notifications', 'officer-env')).body.notifications as Array<{
      kind: string;
      title: string;
    }>;
    const scheduled = await t.api.post(`/meetings/${proposal?.meetingId}/answer`, 'leader-zhang', {
      accept: true,
      scheduledAt: '2027-01-05T09:30:00+08:00',
      place: '区政务服务中心三楼联审会议室',
    });

    // Assess: proposed, the step's department and the stage's lead invited, and told
    expect(proposal).toMatchObject({ status: 'proposed', invited: ['DRC', 'ENV'] });
    expect(seenByEnv.status).toBe(200);
    expect(envTold.some((n) => n.kind === 'meeting' && n.title.startsWith('提请联审会'))).toBe(true);
    expect(scheduled.body.meeting.status).toBe('scheduled');
    // a later sweep finds nothing more to add: the step is on the agenda once
    await sweepAt('2026-12-30 09:00');
    const again = (await t.api.get(`/meetings/${proposal?.meetingId}`, 'leader-zhang')).body.meeting;
    expect(again.agenda.filter((i: { stepId: string }) => i.stepId === '7')).toHaveLength(1);
  });
});

describe('the working-day calendar as data', () => {
  // Monday 21 December 2026
  const clock = new ManualClock(beijing('2026-12-21 10:00'));
  const t = useTestSystem({ clock, log: silentLogger });

  it('flags a due date in a year without a schedule, and computes it again once an admin adds that year', async () => {
    // Prepare: filing on 21 December; the EIA (15 working days) then reaches into 2027
    const { projectId, submitted } = await registerAndSubmitEia(t);
    const inbox = await t.api.get('/departments/ENV/inbox', 'officer-env');

    // Act: the admin adds the 2027 schedule: New Year's Day, and a Spring Festival week with two make-up Saturdays
    const refused = await t.api.put('/calendar/years/2027', 'leader-zhang', {
      holidays: ['2027-01-01'],
      workdays: [],
    });
    const added = await t.api.put('/calendar/years/2027', 'admin', {
      holidays: ['2027-01-01', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
      workdays: ['2027-02-06', '2027-02-20'],
      source: '国务院办公厅关于2027年部分节假日安排的通知',
    });
    const step = allSteps(await viewProject(t.api, projectId)).find((s) => s.stepId === '7') as Step;
    const events = await allEvents<Event>(t.api, projectId);

    // Assess: 15 working days from 21 December: 22, 23, 24, 25, 28, 29, 30, 31 Dec; 4, 5, 6, 7, 8, 11, 12 Jan
    expect(submitted.body.step).toMatchObject({ dueDate: '2027-01-11', dueFlagged: true });
    expect(inbox.body.steps[0]).toMatchObject({ stepId: '7', dueFlagged: true });
    expect(refused.status).toBe(403);
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ recomputed: 1, stillFlagged: 0 });
    expect(step.dueDate).toBe('2027-01-12');
    expect(step.dueFlagged).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'due_recomputed', stepId: '7' });
    expect((await t.api.get('/calendar')).body.knownYears).toContain(2027);
  });

  it('refuses a schedule that contradicts itself, naming the problem, and changes nothing', async () => {
    // Act
    const res = await t.api.put('/calendar/years/2028', 'admin', {
      holidays: ['2028-01-03'],
      workdays: ['2028-01-03', '2028-01-04'],
    });

    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/2028-01-03 cannot be both a holiday and a make-up working day/);
    expect(res.body.error.message).toMatch(/2028-01-04 is a weekday/);
    expect((await t.api.get('/calendar')).body.knownYears).not.toContain(2028);
  });
});

describe('declared clock pauses', () => {
  // Monday 2 November 2026
  const clock = new ManualClock(beijing('2026-11-02 10:00'));
  const t = useTestSystem({ clock, log: silentLogger });

  it('moves the due date by exactly the working days an expert review took', async () => {
    // Prepare: the EIA (15 working days) accepted Monday 2 November: due Monday 23 November
    const { projectId, submitted } = await registerAndSubmitEia(t);
    const base = `/projects/${projectId}/steps/7/clock-pauses`;

    // Act: expert review declared on Tuesday 3 November, ended on Tuesday 10 November (5 working days)
    clock.set(beijing('2026-11-03 10:00'));
    const byAgent = await t.api.post(base, 'agent-wang', { kind: 'expert_review', reason: '专家评审' });
    const paused = await t.api.post(base, 'officer-env', {
      kind: 'expert_review',
      reason: '组织环评专家评审',
      expectedEnd: '2026-11-10',
    });
    const twice = await t.api.post(base, 'officer-env', { kind: 'testing', reason: '检测' });
    clock.set(beijing('2026-11-10 16:00'));
    const resumed = await t.api.post(`${base}/current/end`, 'officer-env', {});

    // Assess
    expect(submitted.body.step.dueDate).toBe('2026-11-23');
    expect(byAgent.status).toBe(403);
    expect(paused.status).toBe(200);
    expect(paused.body.step.clock.paused).toBe(true);
    expect(paused.body.step.dueDate).toBeUndefined();
    expect(twice.status).toBe(409);
    expect(resumed.body.step.dueDate).toBe('2026-11-30');
    expect(resumed.body.step.clock).toMatchObject({ running: true, pausedWorkingDays: 5 });
  });
});

describe('projected completion and the critical path', () => {
  const t = useTestSystem({ clock: new ManualClock(beijing('2026-03-02 10:00')), log: silentLogger });

  it("publishes the chain's critical path: 76 working days against 235 in series and 268 legal", async () => {
    // Act
    const chain = (await t.api.get('/chains/industrial-enterprise?version=1')).body;
    const current = (await t.api.get('/chains/industrial-enterprise')).body;

    // Assess
    expect(chain.criticalPath).toMatchObject({
      workingDays: 76,
      seriesWorkingDays: 235,
      legalWorkingDays: 268,
    });
    // version 2 reviews together: the same critical path; every part's own days counted in series
    expect(current.criticalPath).toMatchObject({
      workingDays: 76,
      seriesWorkingDays: 265,
      legalWorkingDays: 268,
    });
    expect(chain.criticalPath.criticalSteps).toEqual(
      expect.arrayContaining(['1', '2', '3', '4', '5', '15', '16', '30']),
    );
  });

  it('projects when a new project completes if every department keeps its promise', async () => {
    // Act
    const projectId = await registerProject(t);
    const view = await viewProject(t.api, projectId);
    const projection = (
      view.project as unknown as {
        projection: { remainingWorkingDays: number; projectedCompletion: string; criticalSteps: string[] };
      }
    ).projection;

    // Assess: 76 working days from Monday 2 March 2026 (the Qingming and Labour Day holidays skipped)
    expect(projection.remainingWorkingDays).toBe(76);
    expect(projection.projectedCompletion).toBe('2026-06-22');
    expect(projection.criticalSteps).toContain('1');
  });
});
