import { describe, expect, it } from 'vitest';
import type { Chain } from '../../../shared/domain/chain.js';
import type { Meeting } from '../../../shared/domain/meeting.js';
import type { Principal } from '../../../shared/domain/principal.js';
import type { ProjectEvent } from '../../../shared/domain/project.js';
import { eventAsSeenBy, meetingAsSeenBy } from '../../../shared/domain/redaction.js';
import { twoStageChain } from '../../support/chain-fixtures.js';

/** Every step of the fixture chain is NRP's. */
const chain: Chain = twoStageChain();

const decided: ProjectEvent = {
  projectId: '01PROJECT',
  eventId: '01EVENT',
  at: '2026-11-23T02:00:00.000Z',
  type: 'step_decided',
  stepId: '1a',
  actor: { userId: 'officer-zhao', role: 'officer', name: '赵科长' },
  data: { outcome: 'approved', comment: '内部：材料偏薄', repeatReason: '—' },
};

const as = (principal: Principal) => eventAsSeenBy(principal, decided, chain);

describe('what a reader sees of an event', () => {
  it("keeps the comment for the department that decided, and for leaders and the project's agent", () => {
    expect(as({ userId: 'o', role: 'officer', name: 'o', departmentId: 'NRP' }).data?.comment).toBe(
      '内部：材料偏薄',
    );
    expect(as({ userId: 'l', role: 'leader', name: 'l' }).data?.comment).toBe('内部：材料偏薄');
    expect(as({ userId: 'a', role: 'agent', name: 'a' }).data?.comment).toBe('内部：材料偏薄');
  });

  it("drops another department's internal comment but keeps what it decided", () => {
    // Act
    const seen = as({ userId: 'o', role: 'officer', name: 'o', departmentId: 'ENV' });

    // Assess
    expect(seen.data).toEqual({ outcome: 'approved' });
  });

  it('shows an investor the decision and the department, not the comment nor the officer', () => {
    // Act
    const seen = as({ userId: 'i', role: 'investor', name: 'i', enterpriseId: '91320115MA1X0000XX' });

    // Assess
    expect(seen.data).toEqual({ outcome: 'approved' });
    expect(seen.actor).toEqual({ userId: 'officer', role: 'officer', name: '赵科长' });
  });
});

describe('what an investor sees of a meeting', () => {
  const item = (itemId: string, enterpriseId: string) => ({
    itemId,
    projectId: `P${itemId}`,
    projectCode: `code-${itemId}`,
    projectName: `name-${itemId}`,
    agentId: 'agent-wang',
    enterpriseId,
    stepId: '7',
    stepName: '环评',
    departmentId: 'ENV',
    note: '内部：督办',
  });
  const meeting: Meeting = {
    meetingId: 'M1',
    version: 3,
    status: 'minuted',
    title: '联审会',
    agenda: [item('1', 'MINE'), item('2', 'THEIRS')],
    invited: ['ENV'],
    responses: {
      ENV: { answer: 'leave', reason: '出差', by: 'officer-env', at: '2026-11-23T02:00:00.000Z' },
    },
    minutes: {
      number: '联审纪要〔2026〕第0001号',
      at: '2026-11-24T02:00:00.000Z',
      by: 'leader-zhang',
      items: [
        { itemId: '1', decision: { outcome: 'approved', comment: '内部' }, binding: 'present' },
        { itemId: '2', decision: { outcome: 'approved' }, binding: 'present' },
      ],
    },
    createdAt: '2026-11-23T02:00:00.000Z',
    updatedAt: '2026-11-24T02:00:00.000Z',
  };

  it("keeps only their own enterprise's items, without notes, comments or who answered", () => {
    // Act
    const seen = meetingAsSeenBy({ userId: 'i', role: 'investor', name: 'i', enterpriseId: 'MINE' }, meeting);

    // Assess
    expect(seen.agenda.map((i) => i.projectCode)).toEqual(['code-1']);
    expect(seen.agenda[0]?.note).toBeUndefined();
    expect(seen.minutes?.items).toEqual([
      { itemId: '1', decision: { outcome: 'approved' }, binding: 'present' },
    ]);
    expect(seen.responses.ENV).toEqual({ answer: 'leave', by: 'ENV', at: '2026-11-23T02:00:00.000Z' });
  });

  it('changes nothing for a leader', () => {
    expect(meetingAsSeenBy({ userId: 'l', role: 'leader', name: 'l' }, meeting)).toBe(meeting);
  });
});
