import { describe, expect, it } from 'vitest';
import {
  deemedNotice,
  deemedNoticeNumber,
  deemedNoticeSequence,
} from '../../../shared/domain/deemed-notice.js';
import {
  audiencesOf,
  escalationAudiences,
  groupAudiences,
} from '../../../shared/domain/escalation-audiences.js';
import { slaStep } from '../../../shared/domain/sla.js';
import { overdueText, slaNews } from '../../../shared/domain/sla-news.js';
import { slaCharges, slaOutcome } from '../../../shared/domain/sla-outcome.js';
import { step1aInReviewSince } from '../../support/deemed-approval.js';
import { at } from '../../support/lifecycle.js';
import { changeAt, chinaTime } from '../../support/project-state.js';

const who = { departmentId: 'NRP', leadDepartmentId: 'DRC', agentId: 'agent-wang' };

// 1a in review since Monday 2 March 2026, 10:00: its promised limit ends Monday 9 March
const inReview = step1aInReviewSince('2026-03-02 10:00');

describe('who is told at each rung of the escalation ladder', () => {
  it('tells the handling department and the agent at the first rung', () => {
    expect(escalationAudiences('department', who)).toEqual([
      { departmentId: 'NRP' },
      { userId: 'agent-wang' },
    ]);
  });

  it('adds the stage lead department at the second rung', () => {
    expect(escalationAudiences('stage_lead', who)).toEqual([
      { departmentId: 'DRC' },
      { departmentId: 'NRP' },
      { userId: 'agent-wang' },
    ]);
  });

  it.each(['joint_meeting', 'secretary_general', 'mayor'] as const)(
    'puts the district leaders first from the joint meeting up (%s)',
    (rung) => {
      expect(escalationAudiences(rung, who)).toEqual([
        { role: 'leader' },
        { departmentId: 'DRC' },
        { departmentId: 'NRP' },
        { userId: 'agent-wang' },
      ]);
    },
  );

  it('leaves out a department the item does not name', () => {
    expect(escalationAudiences('stage_lead', { agentId: 'agent-wang' })).toEqual([{ userId: 'agent-wang' }]);
  });
});

describe('who is told of the other things the sweep does', () => {
  it('tells of a deemed approval the department, the lead department, the leaders and the agent', () => {
    expect(audiencesOf({ kind: 'deemed', dueDate: '2026-03-09' }, who)).toEqual([
      { departmentId: 'NRP' },
      { departmentId: 'DRC' },
      { role: 'leader' },
      { userId: 'agent-wang' },
    ]);
  });

  it('tells the agent alone of a 容缺 deadline missed (the applicant breached it), the leaders of a verification overdue', () => {
    expect(audiencesOf({ kind: 'deferral_missed', supplyBy: '2026-03-09', materials: ['m1'] }, who)).toEqual([
      { userId: 'agent-wang' },
    ]);
    expect(audiencesOf({ kind: 'verification_overdue', verifyBy: '2026-03-09' }, who)).toEqual([
      { departmentId: 'NRP' },
      { role: 'leader' },
    ]);
  });

  it('looks each department and role up once, never single users', () => {
    expect(
      groupAudiences([
        { departmentId: 'NRP' },
        { role: 'leader' },
        { userId: 'agent-wang' },
        { departmentId: 'NRP' },
        { role: 'leader' },
      ]),
    ).toEqual([{ departmentId: 'NRP' }, { role: 'leader' }]);
  });
});

describe('the news of an escalation', () => {
  it('names the rung and the real count of working days overdue, and alerts outside from the joint meeting up', () => {
    // Act
    const low = slaNews(
      inReview,
      { stepId: '1a' },
      { kind: 'escalate', level: 1, rung: 'department', afterOverdueDays: 0, overdueDays: 0 },
    );
    const high = slaNews(
      inReview,
      { stepId: '1a' },
      { kind: 'escalate', level: 3, rung: 'joint_meeting', afterOverdueDays: 5, overdueDays: 6 },
    );

    // Assess
    expect(low.title).toBe('督办升级至承办部门：步骤 1a');
    expect(low.message).toContain('已超期，按督办规则提交承办部门');
    expect(low.alert).toBe(false);
    expect(high.message).toContain('已超期 6 个工作日');
    expect(high).toMatchObject({
      kind: 'escalation',
      rung: 'joint_meeting',
      alert: true,
      departmentId: 'NRP',
    });
    expect(overdueText(0)).toBe('已超期');
  });
});

describe('the 超时默认通知单', () => {
  it('is numbered in its year, and states the step, the department, the dates and the rule', () => {
    // Act
    const notice = deemedNotice({
      state: inReview,
      target: { stepId: '1a' },
      departmentName: '自然资源和规划局',
      serial: 7,
      docId: 'doc-1',
      now: chinaTime('2026-03-10 09:00'),
    });

    // Assess
    expect(deemedNoticeSequence(chinaTime('2026-03-10 09:00'))).toBe('deemed-notice#2026');
    expect(deemedNoticeNumber('2026', 7)).toBe('超时默认〔2026〕第0007号');
    expect(notice).toMatchObject({
      kind: 'deemed_approval_notice',
      number: '超时默认〔2026〕第0007号',
      title: '超时默认通知单',
      stepId: '1a',
      departmentId: 'NRP',
      fields: {
        stepName: '步骤 1a',
        departmentName: '自然资源和规划局',
        dueDate: '2026-03-09',
        noticeDate: '2026-03-10',
        promisedDays: 5,
      },
    });
    expect(String(notice.fields.rule)).toContain('视为同意');
  });

  it("prints the department's id when its name is not known", () => {
    const notice = deemedNotice({
      state: inReview,
      target: { stepId: '1a' },
      departmentName: undefined,
      serial: 1,
      docId: 'doc-1',
      now: chinaTime('2026-03-10 09:00'),
    });
    expect(notice.fields.departmentName).toBe('NRP');
  });
});

describe("the sweep's outcome on an item", () => {
  it('records the notice on the deemed step, tells everyone concerned and charges the breach and the rung to the department', () => {
    // Prepare
    const { transition, actions } = slaStep(at(inReview, '2026-03-10 09:00'), { stepId: '1a' });

    // Act
    const outcome = slaOutcome({
      state: inReview,
      target: { stepId: '1a' },
      transition,
      actions,
      departmentName: '自然资源和规划局',
      notice: { serial: 3, docId: 'doc-3' },
      now: chinaTime('2026-03-10 09:00'),
    });

    // Assess
    expect(actions.map((a) => a.kind)).toContain('deemed');
    expect(changeAt(outcome.transition, '1a').after).toMatchObject({
      status: 'deemed_approved',
      approvalDocument: { number: '超时默认〔2026〕第0003号', date: '2026-03-10', source: 'deemed_notice' },
    });
    expect(outcome.document?.number).toBe('超时默认〔2026〕第0003号');
    expect(outcome.news.map((n) => n.kind)).toEqual(
      actions.map((a) =>
        a.kind === 'deemed'
          ? 'deemed_approval'
          : a.kind === 'red'
            ? 'breach'
            : a.kind === 'yellow'
              ? 'light_yellow'
              : 'escalation',
      ),
    );
    expect(outcome.charges).toContainEqual({ dimension: 'department', id: 'NRP', add: { breaches: 1 } });
  });

  it('refuses to deem without a notice serial drawn beforehand', () => {
    const { transition, actions } = slaStep(at(inReview, '2026-03-10 09:00'), { stepId: '1a' });
    expect(() =>
      slaOutcome({
        state: inReview,
        target: { stepId: '1a' },
        transition,
        actions,
        departmentName: undefined,
        now: chinaTime('2026-03-10 09:00'),
      }),
    ).toThrow(/serial/);
  });

  it('charges a missed 容缺 deadline to the agent and the enterprise, never to the department', () => {
    expect(
      slaCharges([{ kind: 'deferral_missed', supplyBy: '2026-03-09', materials: [] }], {
        departmentId: 'NRP',
        agentId: 'agent-wang',
        enterpriseId: 'E1',
      }),
    ).toEqual([
      { dimension: 'agent', id: 'agent-wang', add: { deferralsMissed: 1 } },
      { dimension: 'enterprise', id: 'E1', add: { deferralsMissed: 1 } },
    ]);
  });
});
