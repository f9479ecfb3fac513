import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import { silentLogger } from '../../shared/app/logger.js';
import { beijing } from '../support/beijing-time.js';
import { registerProject, startWithFiledProject } from '../support/clocked-system.js';
import { allEvents, allSteps, viewProject } from '../support/drive.js';
import { submissionOf } from '../support/fixtures.js';
import { type ApiClient, useTestSystem } from '../support/local-system.js';

type Event = {
  type: string;
  stepId?: string;
  data?: Record<string, unknown>;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
};

/** The 2027 schedule as an admin enters it: New Year's Day and a Spring Festival week with two make-up Saturdays. */
const SCHEDULE_2027 = {
  holidays: ['2027-01-01', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
  workdays: ['2027-02-06', '2027-02-20'],
  source: '国务院办公厅关于2027年部分节假日安排的通知',
};

describe('a local closure moves the dates already derived, and corrects a notice it proves wrong', () => {
  // Monday 30 November 2026, 09:00 in Beijing
  const clock = new ManualClock(beijing('2026-11-30 09:00'));
  const t = useTestSystem({ clock, log: silentLogger });
  let projectId: string;
  const step1 = async () =>
    allSteps(await viewProject(t.api, projectId)).find((s) => s.stepId === '1') as any;

  beforeAll(async () => {
    projectId = await registerProject(t);
    // Filing (step 1, 发改局, promised 1 / legal 3 working days, deemed approval allowed) accepted on Monday
    const submitted = await t.api.post(
      `/projects/${projectId}/steps/1/submission`,
      'agent-wang',
      submissionOf('1'),
    );
    expect(submitted.body.step).toMatchObject({ dueDate: '2026-12-01', legalDueDate: '2026-12-03' });
  });

  it('recomputes the due dates of a step in review when a closure falls before them, and says how many', async () => {
    // Act: the centre closes on Tuesday 1 December
    const res = await t.api.put('/calendar/closures/2026-12-01', 'admin', { reason: '办公场所停电' });
    const inbox = await t.api.get('/departments/DRC/inbox', 'officer-drc');

    // Assess: both limits move on by one working day, in the view and in the inbox
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ recomputed: 1, dueDates: 1, legalDueDates: 1, corrections: 0 });
    expect(await step1()).toMatchObject({ dueDate: '2026-12-02', legalDueDate: '2026-12-04' });
    expect(inbox.body.steps[0]).toMatchObject({ stepId: '1', dueDate: '2026-12-02' });
    expect((await allEvents<Event>(t.api, projectId)).at(-1)).toMatchObject({
      type: 'due_recomputed',
      stepId: '1',
      before: { dueDate: '2026-12-01' },
      after: { dueDate: '2026-12-02' },
    });
  });

  it('recomputes them back when the closure is lifted', async () => {
    // Act
    const res = await t.api.call('DELETE', '/calendar/closures/2026-12-01', 'admin');

    // Assess
    expect(res.body).toMatchObject({ recomputed: 1, dueDates: 1 });
    expect(await step1()).toMatchObject({ dueDate: '2026-12-01', legalDueDate: '2026-12-03' });
  });

  it('keeps a 超时默认通知单 the closure proves wrong as issued, and gives it one correcting record', async () => {
    // Prepare: deemed approved on Wednesday 2 December, the day after the due date
    clock.set(beijing('2026-12-02 09:00'));
    await t.system.runJob();
    await t.system.engine.settled();
    const documents = async () =>
      (await t.api.get(`/projects/${projectId}/documents`, 'leader-zhang')).body.documents as any[];
    const issued = (await documents()).find((d) => d.kind === 'deemed_approval_notice');
    expect(issued).toMatchObject({
      number: '超时默认〔2026〕第0001号',
      fields: { noticeDate: '2026-12-02' },
    });

    // Act: the admin records, after the fact, that the centre was closed on Tuesday 1 December
    const res = await t.api.put('/calendar/closures/2026-12-01', 'admin', { reason: '办公场所停电' });
    const again = await t.api.put('/calendar/closures/2026-12-01', 'admin', {
      reason: '办公场所停电（补记）',
    });

    // Assess: the limit really ended on 2 December, so a deemed approval could first be issued on 3 December
    expect(res.body).toMatchObject({ corrections: 1 });
    expect(again.body).toMatchObject({ corrections: 0 });
    const corrections = (await allEvents<Event>(t.api, projectId)).filter(
      (e) => e.type === 'deemed_notice_corrected',
    );
    expect(corrections).toHaveLength(1);
    expect(corrections[0]).toMatchObject({
      stepId: '1',
      after: { dueDate: '2026-12-02' },
      data: { notice: '超时默认〔2026〕第0001号', noticeDate: '2026-12-02', deemableFrom: '2026-12-03' },
    });
    expect((await documents()).find((d) => d.kind === 'deemed_approval_notice')).toEqual(issued);
    // the correcting record is a document of its own, listed on the project beside the notice it corrects
    const corrected = (await documents()).filter((d) => d.kind === 'notice_correction');
    expect(corrected).toHaveLength(1);
    expect(corrected[0]).toMatchObject({
      number: '超时默认〔2026〕第0001号更正',
      fields: {
        correctedNotice: '超时默认〔2026〕第0001号',
        dueDate: '2026-12-02',
        deemableFrom: '2026-12-03',
      },
    });
    const news = (await t.api.get('/me/notifications', 'officer-drc')).body.notifications as any[];
    expect(news.some((n) => n.kind === 'calendar' && n.title.includes('超时默认〔2026〕第0001号'))).toBe(
      true,
    );
  });
});

describe('a deadline counted through a year without a schedule (never act on a guess)', () => {
  // Thursday 31 December 2026, 09:00 in Beijing; the calendar has no 2027 schedule
  const clock = new ManualClock(beijing('2026-12-31 09:00'));
  const t = useTestSystem({ clock, log: silentLogger });
  let projectId: string;
  const step1 = async () =>
    allSteps(await viewProject(t.api, projectId)).find((s) => s.stepId === '1') as any;
  const sweepAt = async (text: string) => {
    clock.set(beijing(text));
    const report = await t.system.runJob();
    await t.system.engine.settled();
    return report;
  };
  const adminNews = async () =>
    ((await t.api.get('/me/notifications', 'admin')).body.notifications as any[]).filter(
      (n) => n.kind === 'calendar',
    );
  const notices = async () =>
    ((await t.api.get(`/projects/${projectId}/documents`, 'leader-zhang')).body.documents as any[]).filter(
      (d) => d.kind === 'deemed_approval_notice',
    );

  beforeAll(async () => {
    projectId = await registerProject(t);
  });

  it('marks each guessed limit with its own flag', async () => {
    // Act: filing accepted on 31 December; New Year's Day is counted as a working day for want of a schedule
    const res = await t.api.post(
      `/projects/${projectId}/steps/1/submission`,
      'agent-wang',
      submissionOf('1'),
    );

    const session = `daiban_session=${await t.system.tokens.issue({ userId: 'officer-drc', name: '发改局窗口', role: 'officer', departmentId: 'DRC' })}`;
    const inbox = await (await t.system.app.request('/app/inbox', { headers: { cookie: session } })).text();
    const project = await (
      await t.system.app.request(`/app/projects/${projectId}`, { headers: { cookie: session } })
    ).text();

    // Assess
    expect(inbox.match(/（推算）/g)).toHaveLength(2);
    expect(project).toContain('（推算）');
    expect(res.body.step).toMatchObject({
      dueDate: '2027-01-01',
      dueFlagged: true,
      legalDueDate: '2027-01-05',
      legalDueFlagged: true,
    });
  });

  it('neither breaches nor deems on the guess: it holds the step and tells the admins once to add 2027', async () => {
    // Act: Saturday 2 January (the guessed breach) and Monday 4 January (the guessed 超时默认), twice
    await sweepAt('2027-01-02 09:00');
    await sweepAt('2027-01-04 09:00');
    await sweepAt('2027-01-04 12:00');

    // Assess
    const step = await step1();
    expect(step.status).toBe('in_review');
    expect(await notices()).toEqual([]);
    const events = await allEvents<Event>(t.api, projectId);
    expect(events.map((e) => e.type)).not.toContain('sla_breached');
    const news = await adminNews();
    expect(news).toHaveLength(1);
    expect(news[0].title).toContain('2027');
    expect(
      (await t.api.get('/reports/departments?from=2027-01&to=2027-01', 'leader-zhang')).body.departments,
    ).not.toContainEqual(expect.objectContaining({ departmentId: 'DRC', breaches: 1 }));
  });

  it('recomputes the step once the admin adds 2027 and re-arms it: deemed on the real day, not a day early', async () => {
    // Act
    const added = await t.api.put('/calendar/years/2027', 'admin', SCHEDULE_2027);
    const recomputed = await step1();
    await sweepAt('2027-01-04 15:00');
    const beforeDue = await notices();
    await sweepAt('2027-01-05 09:00');

    // Assess: New Year's Day off, so the limit ends on Monday 4 January and 超时默认 comes on Tuesday 5 January
    expect(added.body).toMatchObject({ recomputed: 1, dueDates: 1, legalDueDates: 1, stillFlagged: 0 });
    expect(recomputed).toMatchObject({ dueDate: '2027-01-04', legalDueDate: '2027-01-06' });
    expect(recomputed.dueFlagged).toBeUndefined();
    expect(recomputed.legalDueFlagged).toBeUndefined();
    expect(beforeDue).toEqual([]);
    expect((await step1()).status).toBe('deemed_approved');
    expect(await notices()).toEqual([
      expect.objectContaining({
        number: '超时默认〔2027〕第0001号',
        fields: expect.objectContaining({ dueDate: '2027-01-04', noticeDate: '2027-01-05' }),
      }),
    ]);
    expect(await adminNews()).toHaveLength(1);
  });
});

describe('a 容缺 supply deadline counted through a year without a schedule', () => {
  // Thursday 24 December 2026, 09:00 in Beijing; the calendar has no 2027 schedule
  const clock = new ManualClock(beijing('2026-12-24 09:00'));
  let system: LocalSystem;
  let api: ApiClient;
  let projectId: string;
  const step2 = async () => allSteps(await viewProject(api, projectId)).find((s) => s.stepId === '2') as any;
  const credit = async () =>
    (await api.get('/reports/enterprises?from=2026-12&to=2027-01', 'efficiency-office')).body
      .enterprises as any[];

  beforeAll(async () => {
    ({ system, api, projectId } = await startWithFiledProject(clock));
  });
  afterAll(async () => {
    await system.stop();
  });

  it('flags the guessed supply deadline, apart from a promised due date that is not a guess', async () => {
    // Act: site selection accepted on 24 December without the power of attorney
    const res = await api.post(`/projects/${projectId}/steps/2/submission`, 'agent-wang', {
      materials: submissionOf('2').materials.filter((m) => m !== 'power-of-attorney'),
    });

    // Assess: ten working days, 1 January counted for want of a schedule
    expect(res.body.step).toMatchObject({ dueDate: '2026-12-31', deferred: { supplyBy: '2027-01-07' } });
    expect(res.body.step.dueFlagged).toBeUndefined();
    expect(res.body.step.deferred.supplyByFlagged).toBe(true);
  });

  it('does not mark it missed or charge the enterprise on the guess', async () => {
    // Act: the day after the guessed deadline
    clock.set(beijing('2027-01-08 09:00'));
    await system.runJob();

    // Assess
    expect((await step2()).deferred.missed).toBeUndefined();
    expect(await credit()).not.toContainEqual(expect.objectContaining({ deferralsMissed: 1 }));
    const agentNews = (await api.get('/me/notifications', 'agent-wang')).body.notifications as any[];
    expect(agentNews.map((n) => n.kind)).not.toContain('applicant_breach');
    expect(
      ((await api.get('/me/notifications', 'admin')).body.notifications as any[]).filter(
        (n) => n.kind === 'calendar',
      ),
    ).toHaveLength(1);
  });

  it('recomputes the deadline when 2027 is added, and holds the applicant to the real one', async () => {
    // Act
    const added = await api.put('/calendar/years/2027', 'admin', SCHEDULE_2027);
    const recomputed = (await step2()).deferred;
    clock.set(beijing('2027-01-08 12:00'));
    await system.runJob();
    const onTheDay = (await step2()).deferred;
    clock.set(beijing('2027-01-11 09:00'));
    await system.runJob();

    // Assess
    expect(added.body).toMatchObject({ supplyDeadlines: 1 });
    expect(recomputed.supplyBy).toBe('2027-01-08');
    expect(recomputed.supplyByFlagged).toBeUndefined();
    expect(onTheDay.missed).toBeUndefined();
    expect((await step2()).deferred).toMatchObject({ missed: true, supplyBy: '2027-01-08' });
    expect(await credit()).toContainEqual(expect.objectContaining({ deferralsMissed: 1 }));
  });
});

describe('an efficiency complaint due in a year without a schedule', () => {
  // Monday 28 December 2026: the complaint's five working days run into 2027, which the calendar lacks
  const clock = new ManualClock(beijing('2026-12-28 09:00'));
  const t = useTestSystem({ clock, log: silentLogger });

  it('marks its due date a guess, holds it there and tells the admins once to add 2027', async () => {
    // Prepare
    const projectId = await registerProject(t);
    await t.api.post(`/projects/${projectId}/steps/1/submission`, 'agent-wang', submissionOf('1'));

    // Act: two complaints on the guess
    const complain = () =>
      t.api.post(`/projects/${projectId}/steps/1/complaints`, 'agent-wang', {
        category: 'delay',
        description: '受理后久拖不办，年底前未作决定',
      });
    const first = await complain();
    const second = await complain();

    // Assess
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(first.body.complaint.dueFlagged).toBe(true);
    const news = ((await t.api.get('/me/notifications', 'admin')).body.notifications as any[]).filter(
      (n) => n.kind === 'calendar',
    );
    expect(news).toHaveLength(1);
    expect(news[0].title).toContain('2027');
  });
});
