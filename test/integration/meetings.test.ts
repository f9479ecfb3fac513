import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../shared/app/clock.js';
import { RecordedMetrics } from '../../shared/app/metrics.js';
import { allEvents, allSteps, driveProject, viewProject } from '../support/drive.js';
import { APPROVAL, projectRegistration } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

type Event = { type: string; stepId?: string; data?: Record<string, unknown> };

const LEADER = 'leader-zhang';
/** Stage 1's energy review (DRC), environmental assessment (ENV) and soil and water plan (WAT). */
const THREE_STEPS = ['6', '7', '8'];
const PLACE = '区政务服务中心三楼联审会议室';

describe('joint review meetings (联审会)', () => {
  const metrics = new RecordedMetrics();
  const clock = new SimulatedClock();
  const t = useTestSystem({ metrics, clock });
  /** An hour from the (simulated) now: a meeting is scheduled for a time still to come. */
  const inAnHour = () => new Date(clock.now().getTime() + 3_600_000).toISOString();
  /** The meeting's start comes: attendance and minutes are taken from then. */
  const meetingStarts = async (meetingId: string) => {
    const meeting = (await t.api.get(`/meetings/${meetingId}`, LEADER)).body.meeting;
    clock.moveTo(new Date(Date.parse(meeting.scheduledAt) + 60_000));
  };

  /**
   * A project whose stage 1 is done but for `held`, which stand in review with their departments (left to a
   * meeting), everything else approved.
   */
  async function projectWaitingOn(held: string[], name = '智能装备产业园一期'): Promise<string> {
    const created = await t.api.post('/projects', 'agent-wang', projectRegistration({ name }));
    const projectId = created.body.projectId as string;
    const view = await driveProject(t.system, t.api, projectId, { leave: held });
    const status = (id: string) => allSteps(view).find((s) => s.stepId === id)?.status;
    for (const id of held) expect(status(id)).toBe('in_review');
    return projectId;
  }

  async function convene(projectId: string, stepIds: string[], as = LEADER) {
    return t.api.post('/meetings', as, {
      title: '智能装备产业园一期 立项阶段联审会',
      agenda: stepIds.map((stepId) => ({ projectId, stepId })),
      scheduledAt: inAnHour(),
      place: PLACE,
    });
  }

  /** Convened, answered by nobody yet, and started. */
  async function started(projectId: string, stepIds: string[]) {
    const meetingId = (await convene(projectId, stepIds)).body.meeting.meetingId as string;
    await meetingStarts(meetingId);
    return meetingId;
  }

  const stepsOf = async (projectId: string) =>
    new Map(allSteps(await viewProject(t.api, projectId)).map((s) => [s.stepId, s.status]));

  it('resolves three parallel steps of one project at once, and the project moves on', async () => {
    // Prepare
    const projectId = await projectWaitingOn(THREE_STEPS);
    const convened = await convene(projectId, THREE_STEPS);
    const meetingId = convened.body.meeting.meetingId as string;
    for (const officer of ['officer-drc', 'officer-env', 'officer-wat']) {
      expect(
        (await t.api.post(`/meetings/${meetingId}/responses`, officer, { answer: 'attend' })).status,
      ).toBe(200);
    }
    await meetingStarts(meetingId);
    await t.api.post(`/meetings/${meetingId}/attendance`, LEADER, { present: ['DRC', 'ENV', 'WAT'] });
    const countedBefore = metrics.total('Decisions');

    // Act
    const minutes = await t.api.post(`/meetings/${meetingId}/minutes`, LEADER, {
      decisions: [
        { itemId: '1', outcome: 'approved' },
        { itemId: '2', outcome: 'approved_with_conditions', conditions: ['施工期噪声昼间不超过 70 dB'] },
        { itemId: '3', outcome: 'approved' },
      ],
    });
    await t.system.engine.settled();

    // Assess
    expect(convened.status).toBe(201);
    expect(convened.body.meeting.invited).toEqual(['DRC', 'ENV', 'WAT']);
    expect(minutes.status).toBe(200);
    expect(minutes.body.meeting.minutes.number).toMatch(/^联审纪要〔\d{4}〕第\d{4}号$/);
    const steps = await stepsOf(projectId);
    expect(THREE_STEPS.map((id) => steps.get(id))).toEqual(['approved', 'approved', 'approved']);
    // stage 1 closed, so stage 2 opened: the planning permit's successor (15) is ready for the agent
    expect(steps.get('15')).toBe('ready');
    const events = await allEvents<Event>(t.api, projectId);
    const decided = events.filter((e) => e.type === 'step_decided' && THREE_STEPS.includes(e.stepId ?? ''));
    expect(decided).toHaveLength(3);
    for (const event of decided) {
      expect(event.data).toMatchObject({ via: 'meeting', meetingId, binding: 'present' });
    }
    expect(metrics.total('Decisions') - countedBefore).toBe(3);
    expect(events.some((e) => e.type === 'stage_completed')).toBe(true);
  });

  it('binds a department absent without leave as consenting (缺席默认), and not one on leave; the minutes say so', async () => {
    // Prepare: DRC attends, ENV sends leave, WAT neither answers nor comes
    const projectId = await projectWaitingOn(THREE_STEPS, '新能源电池材料项目');
    const meetingId = (await convene(projectId, THREE_STEPS)).body.meeting.meetingId as string;
    await t.api.post(`/meetings/${meetingId}/responses`, 'officer-drc', { answer: 'attend' });
    const leave = await t.api.post(`/meetings/${meetingId}/responses`, 'officer-env', {
      answer: 'leave',
      reason: '同日参加市生态环境局专项督查',
    });
    await meetingStarts(meetingId);
    const attendance = await t.api.post(`/meetings/${meetingId}/attendance`, LEADER, { present: ['DRC'] });
    const countedBefore = metrics.total('Decisions');

    // Act
    const minutes = await t.api.post(`/meetings/${meetingId}/minutes`, LEADER, {
      decisions: THREE_STEPS.map((_, i) => ({ itemId: `${i + 1}`, outcome: 'approved' })),
    });
    await t.system.engine.settled();

    // Assess
    expect(leave.status).toBe(200);
    expect(attendance.body.meeting.attendance).toMatchObject({
      present: ['DRC'],
      onLeave: ['ENV'],
      absent: ['WAT'],
    });
    expect(minutes.status).toBe(200);
    expect(minutes.body.meeting.minutes.items.map((i: { binding: string }) => i.binding)).toEqual([
      'present',
      'on_leave_deferred',
      'absent_consent',
    ]);
    const steps = await stepsOf(projectId);
    expect(steps.get('6')).toBe('approved');
    expect(steps.get('7')).toBe('in_review'); // ENV on leave: still its to decide
    expect(steps.get('8')).toBe('approved'); // WAT absent: deemed to consent
    // the two decisions the minutes bind count once each; the item deferred for leave does not
    expect(metrics.total('Decisions') - countedBefore).toBe(2);
    const events = await allEvents<Event>(t.api, projectId);
    expect(events.find((e) => e.type === 'step_decided' && e.stepId === '8')?.data).toMatchObject({
      via: 'meeting',
      binding: '缺席默认',
    });
    // the minutes are one of the project's documents, as JSON and as a printable page
    const documents = (await t.api.get(`/projects/${projectId}/documents`, 'agent-wang')).body
      .documents as Array<{
      docId: string;
      kind: string;
    }>;
    const record = documents.find((d) => d.kind === 'meeting_minutes');
    expect(record).toBeDefined();
    const json = await t.api.get(`/projects/${projectId}/documents/${record?.docId}`, 'agent-wang');
    const names = new Map(
      ((await t.api.get('/departments')).body.departments as Array<{ id: string; name: string }>).map((d) => [
        d.id,
        d.name,
      ]),
    );
    expect(json.body.document.fields).toMatchObject({
      attendees: [names.get('DRC')],
      onLeave: [names.get('ENV')],
      onLeaveReasons: [`${names.get('ENV')}：同日参加市生态环境局专项督查`],
      absentWithoutLeave: [names.get('WAT')],
    });
    expect(json.body.document.fields.meetingId).toBeUndefined();
    // the investor's copy of the same minutes leaves out why a department sent leave
    const investorCopy = await t.api.get(
      `/projects/${projectId}/documents/${record?.docId}`,
      'investor-jinling',
    );
    expect(investorCopy.body.document.fields.onLeaveReasons).toBeUndefined();
    const investorPage = await t.api.get(
      `/projects/${projectId}/documents/${record?.docId}?format=html`,
      'investor-jinling',
    );
    expect(String(investorPage.body)).not.toContain('专项督查');
    const html = await t.api.get(
      `/projects/${projectId}/documents/${record?.docId}?format=html`,
      'agent-wang',
    );
    expect(html.status).toBe(200);
    expect(String(html.body)).toContain('缺席默认');
    expect(String(html.body)).toContain('该部门请假，本事项不作约束');
  });

  it('lets exactly one of a department decision and the minutes on the same step win; the other gets 409', async () => {
    // Prepare
    const projectId = await projectWaitingOn(['7'], '精密模具生产线项目');
    const meetingId = await started(projectId, ['7']);
    await t.api.post(`/meetings/${meetingId}/attendance`, LEADER, { present: ['ENV'] });

    // Act: both at the same moment
    const [department, meeting] = await Promise.all([
      t.api.post(`/projects/${projectId}/steps/7/decision`, 'officer-env', APPROVAL),
      t.api.post(`/meetings/${meetingId}/minutes`, LEADER, {
        decisions: [
          {
            itemId: '1',
            outcome: 'rejected',
            legalBasis: '《建设项目环境保护管理条例》第十一条',
            reason: '选址位于饮用水源二级保护区',
          },
        ],
      }),
    ]);
    await t.system.engine.settled();

    // Assess
    expect([department.status, meeting.status].sort()).toEqual([200, 409]);
    const loser = department.status === 409 ? department : meeting;
    expect(loser.body.error.message).toMatch(/already decided/);
    const events = await allEvents<Event>(t.api, projectId);
    const decisions = events.filter((e) => e.type === 'step_decided' && e.stepId === '7');
    expect(decisions).toHaveLength(1);
    const stored = (await t.api.get(`/meetings/${meetingId}`, LEADER)).body.meeting;
    const step7 = (await stepsOf(projectId)).get('7');
    if (meeting.status === 200) {
      expect(decisions[0]?.data).toMatchObject({ via: 'meeting' });
      expect(step7).toBe('rejected');
      expect(stored.status).toBe('minuted');
    } else {
      expect(decisions[0]?.data?.via).toBeUndefined();
      expect(step7).toBe('approved');
      expect(stored.status).toBe('scheduled'); // nothing minuted: the convener notes the item and minutes again
      const noted = await t.api.post(`/meetings/${meetingId}/minutes`, LEADER, {
        decisions: [{ itemId: '1', outcome: 'noted' }],
      });
      expect(noted.status).toBe(200);
    }
  });

  it('tells a department that a meeting already decided its step, naming the minutes', async () => {
    // Prepare
    const projectId = await projectWaitingOn(['8'], '高端装备检测中心项目');
    const meetingId = await started(projectId, ['8']);
    await t.api.post(`/meetings/${meetingId}/attendance`, LEADER, { present: ['WAT'] });
    const minutes = await t.api.post(`/meetings/${meetingId}/minutes`, LEADER, {
      decisions: [{ itemId: '1', outcome: 'approved' }],
    });

    // Act
    const late = await t.api.post(`/projects/${projectId}/steps/8/decision`, 'officer-wat', APPROVAL);

    // Assess
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('joint review meeting');
    expect(late.body.error.message).toContain(minutes.body.meeting.minutes.number);
  });

  it('lets an agent request a meeting, which a leader schedules; invited departments and the agent are told', async () => {
    // Prepare
    const projectId = await projectWaitingOn(['6', '7'], '智慧物流园项目');

    // Act
    const requested = await t.api.post('/meetings', 'agent-wang', {
      title: '请求召开联审会',
      agenda: [
        { projectId, stepId: '6' },
        { projectId, stepId: '7' },
      ],
      reason: '节能审查与环评意见互相引用，需会商',
    });
    const meetingId = requested.body.meeting.meetingId as string;
    const byOfficer = await t.api.post(`/meetings/${meetingId}/answer`, 'officer-drc', {
      accept: true,
      scheduledAt: inAnHour(),
      place: PLACE,
    });
    const accepted = await t.api.post(`/meetings/${meetingId}/answer`, LEADER, {
      accept: true,
      scheduledAt: inAnHour(),
      place: PLACE,
    });
    const again = await t.api.post(`/meetings/${meetingId}/answer`, LEADER, {
      accept: false,
      reason: '重复',
    });

    // Assess
    expect(requested.status).toBe(201);
    expect(requested.body.meeting.status).toBe('requested');
    expect(byOfficer.status).toBe(403);
    expect(accepted.body.meeting).toMatchObject({ status: 'scheduled', place: PLACE });
    expect(again.status).toBe(409);
    const envInbox = (await t.api.get('/me/notifications', 'officer-env')).body.notifications as Array<{
      title: string;
    }>;
    expect(envInbox.some((n) => n.title.includes('联审会通知'))).toBe(true);
    const agentInbox = (await t.api.get('/me/notifications', 'agent-wang')).body.notifications as Array<{
      title: string;
    }>;
    const told = agentInbox.find((n) => n.title.includes('联审会通知')) as
      | { message: string; meetingId?: string; meetingAt?: string }
      | undefined;
    expect(told).toMatchObject({ meetingId, meetingAt: accepted.body.meeting.scheduledAt });
    // an agent attends for the enterprise but answers nothing: its notice does not ask it to
    expect(told?.message).not.toContain('请确认参会或请假');
    const envTold = (await t.api.get('/me/notifications', 'officer-env')).body.notifications.find(
      (n: { title: string }) => n.title.includes('联审会通知'),
    );
    expect(envTold).toMatchObject({ meetingId });
    expect(envTold.message).toContain('请确认参会或请假');
    const invitedToEnv = (await t.api.get('/meetings', 'officer-env')).body.meetings as Array<{
      meetingId: string;
    }>;
    expect(invitedToEnv.map((m) => m.meetingId)).toContain(meetingId);
    const notInvited = await t.api.get(`/meetings/${meetingId}`, 'officer-wat');
    expect(notInvited.status).toBe(404);
  });

  it('refuses an agenda a person could not act on, changing nothing', async () => {
    // Prepare
    const projectId = await projectWaitingOn(['9'], '半导体封装测试项目');
    const before = (await t.api.get('/meetings', LEADER)).body.meetings.length as number;

    // Act
    const closedStep = await convene(projectId, ['1']);
    const noPlace = await t.api.post('/meetings', LEADER, {
      title: '联审会',
      agenda: [{ projectId, stepId: '9' }],
    });
    const notLead = await convene(projectId, ['9'], 'officer-env');
    const investor = await convene(projectId, ['9'], 'investor-jinling');
    const minutesFirst = await t.api.post(`/meetings/${await started(projectId, ['9'])}/minutes`, LEADER, {
      decisions: [{ itemId: '1', outcome: 'approved' }],
    });

    // Assess
    expect(closedStep.status).toBe(409);
    expect(closedStep.body.error.message).toContain('a meeting decides steps under review');
    expect(noPlace.status).toBe(400);
    expect(notLead.status).toBe(403);
    expect(notLead.body.error.message).toContain('lead department');
    expect([403, 404]).toContain(investor.status);
    expect(minutesFirst.status).toBe(409);
    expect(minutesFirst.body.error.message).toContain('attendance');
    expect((await t.api.get('/meetings', LEADER)).body.meetings.length).toBe(before + 1);
    expect((await stepsOf(projectId)).get('9')).toBe('in_review');
  });

  it('refuses a time in the past, attendance and minutes before the start, and a part waiting for the applicant', async () => {
    // Prepare
    const projectId = await projectWaitingOn(['9', '13'], '生物医药中试基地项目');
    await t.api.post(`/projects/${projectId}/steps/13/decision`, 'officer-pet', {
      outcome: 'supplement',
      missingMaterials: [{ name: '风险评估报告', reason: '未附群众意见汇总' }],
    });

    // Act
    const past = await t.api.post('/meetings', LEADER, {
      title: '联审会',
      agenda: [{ projectId, stepId: '9' }],
      scheduledAt: new Date(clock.now().getTime() - 86_400_000).toISOString(),
      place: PLACE,
    });
    const waiting = await convene(projectId, ['13']);
    const meetingId = (await convene(projectId, ['9'])).body.meeting.meetingId as string;
    const early = await t.api.post(`/meetings/${meetingId}/attendance`, LEADER, { present: ['WAT'] });
    const leaveWithoutReason = await t.api.post(`/meetings/${meetingId}/responses`, 'officer-wat', {
      answer: 'leave',
    });

    // Assess
    expect(past.status).toBe(400);
    expect(past.body.error.message).toContain('not in the future');
    expect(waiting.status).toBe(409);
    expect(waiting.body.error.message).toContain('补正');
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('MEETING.NOT_STARTED');
    expect(leaveWithoutReason.status).toBe(400);
    expect(leaveWithoutReason.body.error.message).toContain('reason');
    const stored = (await t.api.get(`/meetings/${meetingId}`, LEADER)).body.meeting;
    expect(stored.attendance).toBeUndefined();
  });

  it('refuses the same agenda item twice in one minutes, and prints each item’s comment on the 会议纪要', async () => {
    // Prepare
    const projectId = await projectWaitingOn(['6'], '数控机床再制造项目');
    const meetingId = await started(projectId, ['6']);
    await t.api.post(`/meetings/${meetingId}/attendance`, LEADER, { present: ['DRC'] });

    // Act
    const twice = await t.api.post(`/meetings/${meetingId}/minutes`, LEADER, {
      decisions: [
        { itemId: '1', outcome: 'approved' },
        { itemId: '1', outcome: 'approved' },
      ],
    });
    const minutes = await t.api.post(`/meetings/${meetingId}/minutes`, LEADER, {
      decisions: [{ itemId: '1', outcome: 'approved', comment: '能耗指标由区发改局统筹解决' }],
    });
    await t.system.engine.settled();

    // Assess
    expect(twice.status).toBe(400);
    expect(twice.body.error.code).toBe('MEETING.DUPLICATE_DECISION');
    expect(twice.body.error.message).not.toContain('纪要〔');
    expect(minutes.status).toBe(200);
    const documents = (await t.api.get(`/projects/${projectId}/documents`, LEADER)).body.documents as Array<{
      docId: string;
      kind: string;
    }>;
    const record = documents.find((d) => d.kind === 'meeting_minutes');
    const page = await t.api.get(`/projects/${projectId}/documents/${record?.docId}?format=html`, LEADER);
    expect(String(page.body)).toContain('能耗指标由区发改局统筹解决');
    expect(String(page.body)).not.toContain('meetingId');
  });

  it('reschedules and cancels a meeting with a reason, telling everyone invited, and keeps the earlier time', async () => {
    // Prepare
    const projectId = await projectWaitingOn(['7', '8'], '光伏组件智能工厂项目');
    const meetingId = (await convene(projectId, ['7', '8'])).body.meeting.meetingId as string;
    const later = new Date(clock.now().getTime() + 2 * 86_400_000).toISOString();

    // Act
    const moved = await t.api.post(`/meetings/${meetingId}/reschedule`, LEADER, {
      scheduledAt: later,
      place: '区政务服务中心五楼会议室',
      reason: '生态环境局主要负责人出差',
    });
    const byAgent = await t.api.post(`/meetings/${meetingId}/cancellation`, 'agent-wang', {
      reason: '不需要了',
    });
    const toPast = await t.api.post(`/meetings/${meetingId}/reschedule`, LEADER, {
      scheduledAt: new Date(clock.now().getTime() - 60_000).toISOString(),
      reason: '提前',
    });
    const cancelled = await t.api.post(`/meetings/${meetingId}/cancellation`, LEADER, {
      reason: '两项审批已由部门直接办结',
    });
    const attendanceAfter = await t.api.post(`/meetings/${meetingId}/attendance`, LEADER, {
      present: ['ENV'],
    });

    // Assess
    expect(moved.status).toBe(200);
    expect(moved.body.meeting.scheduledAt).toBe(later);
    expect(moved.body.meeting.reschedules).toHaveLength(1);
    expect(moved.body.meeting.reschedules[0]).toMatchObject({ reason: '生态环境局主要负责人出差' });
    expect(byAgent.status).toBe(403);
    expect(toPast.status).toBe(400);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.meeting).toMatchObject({
      status: 'cancelled',
      cancelled: { reason: '两项审批已由部门直接办结' },
    });
    expect(attendanceAfter.status).toBe(409);
    for (const user of ['officer-env', 'officer-wat', 'agent-wang']) {
      const inbox = (await t.api.get('/me/notifications', user)).body.notifications as Array<{
        title: string;
        meetingId?: string;
      }>;
      expect(inbox.some((n) => n.title.includes('联审会改期') && n.meetingId === meetingId)).toBe(true);
      expect(inbox.some((n) => n.title.includes('联审会取消') && n.meetingId === meetingId)).toBe(true);
    }
    expect((await stepsOf(projectId)).get('7')).toBe('in_review');
  });

  it('shows an agent only the items of their own projects in a meeting shared with another agent', async () => {
    // Prepare: one meeting on a project of agent-wang and one of agent-li
    const mine = await projectWaitingOn(['7'], '王代办的项目');
    const created = await t.api.post(
      '/projects',
      'agent-li',
      projectRegistration({ name: '李代办的项目', agentId: 'agent-li' }),
    );
    const theirs = created.body.projectId as string;
    await driveProject(t.system, t.api, theirs, { leave: ['7'] });
    const convened = await t.api.post('/meetings', LEADER, {
      title: '两个项目的环评联审会',
      agenda: [
        { projectId: mine, stepId: '7', note: '内部说明：王' },
        { projectId: theirs, stepId: '7', note: '内部说明：李' },
      ],
      scheduledAt: inAnHour(),
      place: PLACE,
    });
    const meetingId = convened.body.meeting.meetingId as string;

    // Act
    const wang = await t.api.get(`/meetings/${meetingId}`, 'agent-wang');
    const listed = (await t.api.get('/meetings', 'agent-wang')).body.meetings.find(
      (m: { meetingId: string }) => m.meetingId === meetingId,
    );

    // Assess
    expect(convened.status).toBe(201);
    expect(wang.status).toBe(200);
    const seen = JSON.stringify(wang.body.meeting);
    expect(wang.body.meeting.agenda.map((i: { projectId: string }) => i.projectId)).toEqual([mine]);
    expect(seen).not.toContain('李代办的项目');
    expect(seen).not.toContain('内部说明：李');
    expect(listed.agenda).toHaveLength(1);
    expect((await t.api.get(`/projects/${theirs}`, 'agent-wang')).status).toBe(404);
  });
});
