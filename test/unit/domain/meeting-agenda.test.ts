import { describe, expect, it } from 'vitest';
import type { Chain } from '../../../shared/domain/chain.js';
import type { AgendaItem, Meeting } from '../../../shared/domain/meeting.js';
import {
  agendaEntryOf,
  agendaItemOf,
  joinProposal,
  type MeetingInput,
  newMeeting,
  proposalId,
} from '../../../shared/domain/meeting-agenda.js';
import type { Principal } from '../../../shared/domain/principal.js';
import { jointReviewChain, twoStageChain } from '../../support/chain-fixtures.js';
import { refusal } from '../../support/lifecycle.js';
import { chinaTime, projectState } from '../../support/project-state.js';

/** stage 1 (lead DRC): 1a, 1b → 1c; stage 2 (lead HUD): 2a, 2b. Every step: NRP. */
const chain: Chain = twoStageChain();
/** stage 1 (lead HUD): plan → drawings (joint: fire HUD, cad CAD, met MET) → permit. */
const joint: Chain = jointReviewChain();

const leader: Principal = { userId: 'leader-zhang', role: 'leader', name: '张主任' };
const wang: Principal = { userId: 'agent-wang', role: 'agent', name: '王代办' };
const li: Principal = { userId: 'agent-li', role: 'agent', name: '李代办' };
const nrp: Principal = { userId: 'officer-nrp', role: 'officer', name: '自然资源窗口', departmentId: 'NRP' };
const drc: Principal = { userId: 'officer-drc', role: 'officer', name: '发改窗口', departmentId: 'DRC' };

const now = chinaTime('2026-03-10 09:00');
const reviewing = projectState(chain, {
  items: { '1a': { status: 'in_review' }, '1b': { status: 'ready' } },
});

const input = (overrides: Partial<MeetingInput> = {}): MeetingInput => ({
  title: '联审会',
  agenda: [{ projectId: reviewing.project.projectId, stepId: '1a' }],
  invite: [],
  scheduledAt: '2026-03-12T01:30:00.000Z',
  place: '301会议室',
  ...overrides,
});

describe('what goes on a meeting agenda', () => {
  it('puts a step under review on the agenda, named, with the department that decides it', () => {
    // Act
    const item = agendaItemOf(leader, reviewing, { projectId: reviewing.project.projectId, stepId: '1a' }, 0);

    // Assess
    expect(item).toEqual({
      itemId: '1',
      projectId: reviewing.project.projectId,
      projectCode: reviewing.project.code,
      projectName: reviewing.project.name,
      agentId: 'agent-wang',
      enterpriseId: reviewing.project.enterpriseId,
      stepId: '1a',
      stepName: '步骤 1a',
      departmentId: 'NRP',
    });
  });

  it('takes a joint review part by part, each with its own department', () => {
    // Arrange
    const state = projectState(joint, { items: { 'drawings#cad': { status: 'in_review' } } });
    const projectId = state.project.projectId;

    // Act
    const whole = refusal(() => agendaItemOf(leader, state, { projectId, stepId: 'drawings' }, 0));
    const part = agendaItemOf(
      leader,
      state,
      { projectId, stepId: 'drawings', partId: 'cad', note: '人防' },
      1,
    );

    // Assess
    expect(whole.code).toBe('MEETING.PART_NEEDED');
    expect(whole.message).toContain('fire, cad, met');
    expect(part).toMatchObject({
      itemId: '2',
      partId: 'cad',
      stepName: '施工图联合审查（人防审查）',
      departmentId: 'CAD',
      note: '人防',
    });
  });

  it('refuses a step not under review, one waiting for the applicant, and a step the chain does not have', () => {
    // Arrange
    const projectId = reviewing.project.projectId;
    const waiting = projectState(chain, { items: { '1a': { status: 'supplement_requested' } } });

    // Act
    const ready = refusal(() => agendaItemOf(leader, reviewing, { projectId, stepId: '1b' }, 0));
    const supplementing = refusal(() => agendaItemOf(leader, waiting, { projectId, stepId: '1a' }, 0));
    const unknown = refusal(() => agendaItemOf(leader, reviewing, { projectId, stepId: '9z' }, 0));

    // Assess
    expect(ready.code).toBe('MEETING.STEP_NOT_OPEN');
    expect(supplementing.message).toContain('补正');
    expect(unknown.code).toBe('STEP.NOT_FOUND');
  });

  it('lets a lead department convene only on the stages it leads, and an agent ask only for their own projects', () => {
    // Arrange
    const projectId = reviewing.project.projectId;

    // Act
    const notLead = refusal(() => agendaItemOf(nrp, reviewing, { projectId, stepId: '1a' }, 0));
    const lead = agendaItemOf(drc, reviewing, { projectId, stepId: '1a' }, 0);
    const own = agendaItemOf(wang, reviewing, { projectId, stepId: '1a' }, 0);
    const other = refusal(() => agendaItemOf(li, reviewing, { projectId, stepId: '1a' }, 0));

    // Assess
    expect(notLead.code).toBe('MEETING.NOT_YOUR_STAGE');
    expect(lead.stepId).toBe('1a');
    expect(own.stepId).toBe('1a');
    expect(other.kind).toBe('not_found');
  });
});

describe('a new meeting', () => {
  const agenda = [
    agendaItemOf(leader, reviewing, { projectId: reviewing.project.projectId, stepId: '1a' }, 0),
  ];
  const departmentIds = new Set(['NRP', 'DRC', 'HUD']);
  const make = (principal: Principal, overrides: Partial<MeetingInput> = {}, items: AgendaItem[] = agenda) =>
    newMeeting({ principal, input: input(overrides), agenda: items, departmentIds, meetingId: 'm1', now });

  it('is convened for a time and place, inviting the agenda’s departments and those named', () => {
    // Act
    const meeting = make(leader, { invite: ['HUD', 'DRC'] });

    // Assess
    expect(meeting).toMatchObject({
      status: 'scheduled',
      convenedBy: { userId: 'leader-zhang', role: 'leader' },
      scheduledAt: '2026-03-12T01:30:00.000Z',
      place: '301会议室',
      invited: ['DRC', 'HUD', 'NRP'],
      version: 1,
    });
    expect(meeting.requestedBy).toBeUndefined();
  });

  it('is requested by an agent with a reason, for a leader to schedule (no time or place of its own)', () => {
    // Act
    const requested = make(wang, { reason: '环评久拖未决' });
    const noReason = refusal(() => make(wang));

    // Assess
    expect(requested).toMatchObject({ status: 'requested', requestedBy: { userId: 'agent-wang' } });
    expect(requested.scheduledAt).toBeUndefined();
    expect(noReason.code).toBe('MEETING.REASON');
  });

  it('refuses a convened meeting without a place or in the past, a step twice, and a department that does not exist', () => {
    // Act
    const noPlace = refusal(() => make(leader, { place: undefined }));
    const past = refusal(() => make(leader, { scheduledAt: '2026-03-09T01:00:00.000Z' }));
    const twice = refusal(() => make(leader, {}, [...agenda, { ...(agenda[0] as AgendaItem), itemId: '2' }]));
    const unknown = refusal(() => make(leader, { invite: ['XYZ'] }));
    const investor = refusal(() =>
      make({ userId: 'investor-jinling', role: 'investor', name: '投资方', enterpriseId: 'x' }),
    );

    // Assess
    expect(noPlace.code).toBe('MEETING.WHEN_WHERE');
    expect(past.code).toBe('MEETING.TIME_PAST');
    expect(twice.code).toBe('MEETING.DUPLICATE_ITEM');
    expect(unknown.code).toBe('MEETING.UNKNOWN_DEPARTMENT');
    expect(investor.kind).toBe('forbidden');
  });
});

describe('the escalation ladder’s proposed meeting (联审会督办)', () => {
  const overdue = (stepId: string) => {
    const entry = agendaEntryOf(reviewing, { stepId }, '超期 3 个工作日');
    if (!entry) throw new Error(`no entry for ${stepId}`);
    return entry;
  };
  const propose = (existing: Meeting | undefined, stepId = '1a') =>
    joinProposal({
      existing,
      meetingId: proposalId('DRC', now, 1),
      entry: overdue(stepId),
      stageName: '立项用地',
      leadDepartmentId: 'DRC',
      now,
    });

  it('starts the lead department’s proposal of the day, then gathers that day’s overdue steps on it once each', () => {
    // Act
    const first = propose(undefined);
    if (typeof first === 'string') throw new Error(first);
    const second = propose(first, '1c');
    const again = propose(first, '1a');

    // Assess
    expect(first).toMatchObject({
      meetingId: 'proposal-DRC-20260310-1',
      status: 'proposed',
      title: '督办联审会（立项用地，2026-03-10）',
      version: 1,
      invited: ['DRC', 'NRP'],
      agenda: [{ itemId: '1', stepId: '1a', note: '超期 3 个工作日' }],
    });
    expect(second).toMatchObject({ version: 2, agenda: [{ stepId: '1a' }, { itemId: '2', stepId: '1c' }] });
    expect(again).toBe('already');
  });

  it('moves on to the next proposal when the day’s is full or no longer a proposal', () => {
    // Arrange
    const first = propose(undefined) as Meeting;
    const full: Meeting = {
      ...first,
      agenda: Array.from({ length: 8 }, (_, i) => ({
        ...(first.agenda[0] as AgendaItem),
        itemId: `${i + 1}`,
        stepId: `x${i}`,
      })),
    };

    // Act & Assess
    expect(propose(full)).toBe('full');
    expect(propose({ ...first, agenda: [], status: 'scheduled' })).toBe('full');
  });
});
