import { describe, expect, it } from 'vitest';
import type { Chain } from '../../../shared/domain/chain.js';
import { type Binding, bindingsOf, type Meeting } from '../../../shared/domain/meeting.js';
import { agendaItemOf } from '../../../shared/domain/meeting-agenda.js';
import {
  minutesDocument,
  minutesNumber,
  minutesTransitions,
} from '../../../shared/domain/meeting-minutes.js';
import type { Principal } from '../../../shared/domain/principal.js';
import type { ProjectState } from '../../../shared/domain/transition.js';
import { twoStageChain } from '../../support/chain-fixtures.js';
import { at, refusal, submitted } from '../../support/lifecycle.js';
import { projectState, withItems } from '../../support/project-state.js';

/** stage 1 (lead DRC): 1a, 1b → 1c; every step NRP. Departments are varied per item below. */
const chain: Chain = twoStageChain();
const leader: Principal = { userId: 'leader-zhang', role: 'leader', name: '张主任' };

/** 1a and 1b both in review since Monday 2 March 2026; 1a held by NRP, 1b by WAT. */
const state: ProjectState = withItems(
  submitted(
    submitted(
      projectState(chain, { items: { '1a': { status: 'ready' }, '1b': { status: 'ready' } } }),
      '1a',
      '2026-03-02 10:00',
    ),
    '1b',
    '2026-03-02 10:00',
  ),
  { '1b': { departmentId: 'WAT' } },
);
const projectId = state.project.projectId;

const meeting = (attendance: { present: string[]; onLeave: string[]; absent: string[] }): Meeting => ({
  meetingId: 'm1',
  version: 3,
  status: 'scheduled',
  title: '联审会',
  scheduledAt: '2026-03-05T01:30:00.000Z',
  place: '301会议室',
  convenedBy: { userId: 'leader-zhang', name: '张主任', role: 'leader' },
  agenda: [
    agendaItemOf(leader, state, { projectId, stepId: '1a' }, 0),
    agendaItemOf(leader, state, { projectId, stepId: '1b' }, 1),
  ],
  invited: ['NRP', 'WAT'],
  responses: {
    WAT: { answer: 'leave', reason: '外出调研', by: 'officer-wat', at: '2026-03-04T01:00:00.000Z' },
  },
  attendance: { ...attendance, at: '2026-03-05T01:30:00.000Z', by: 'leader-zhang' },
  createdAt: '2026-03-03T01:00:00.000Z',
  updatedAt: '2026-03-05T01:30:00.000Z',
});

const decide = (m: Meeting, decisions: Parameters<typeof bindingsOf>[1]) =>
  minutesTransitions({
    bound: bindingsOf(m, decisions),
    states: new Map([[projectId, state]]),
    inputOf: (s) => at(s, '2026-03-05 10:00'),
    meetingId: m.meetingId,
    number: minutesNumber('2026', 7),
    by: 'leader-zhang',
  });

describe("a meeting's minutes (会议纪要)", () => {
  it('are numbered per year', () => {
    expect(minutesNumber('2026', 7)).toBe('联审纪要〔2026〕第0007号');
  });

  it('decide a present department’s step and an absent one’s (缺席默认), tagged with the meeting; one on leave keeps its step', () => {
    // Arrange: NRP came; WAT absent without leave
    const absent = meeting({ present: ['NRP'], onLeave: [], absent: ['WAT'] });
    const onLeave = meeting({ present: ['NRP'], onLeave: ['WAT'], absent: [] });
    const both = [
      { itemId: '1', decision: { outcome: 'approved' as const } },
      { itemId: '2', decision: { outcome: 'approved' as const } },
    ];

    // Act
    const withAbsent = decide(absent, both);
    const withLeave = decide(onLeave, both);

    // Assess
    expect(withAbsent.counted).toBe(2);
    const events = withAbsent.perProject.get(projectId)?.transition?.events ?? [];
    const bindings = events.filter((e) => e.data?.meetingId === 'm1').map((e) => [e.stepId, e.data?.binding]);
    expect(bindings).toEqual(
      expect.arrayContaining([
        ['1a', 'present'],
        ['1b', '缺席默认'],
      ]),
    );
    expect(withAbsent.perProject.get(projectId)?.state.items.get('1b')?.status).toBe('approved');
    expect(withLeave.counted).toBe(1);
    expect(withLeave.perProject.get(projectId)?.state.items.get('1b')?.status).toBe('in_review');
  });

  it('take note of a step its department already decided, and refuse "noted" for one still under review', () => {
    // Arrange
    const m = meeting({ present: ['NRP', 'WAT'], onLeave: [], absent: [] });

    // Act
    const stillInReview = refusal(() =>
      decide(m, [
        { itemId: '1', decision: { outcome: 'noted' } },
        { itemId: '2', decision: { outcome: 'approved' } },
      ]),
    );

    // Assess
    expect(stillInReview.code).toBe('MEETING.STILL_IN_REVIEW');
  });

  it('print on each copy how each department was bound, and why one on leave was excused', () => {
    // Arrange
    const m = meeting({ present: ['NRP'], onLeave: ['WAT'], absent: [] });
    const bound = bindingsOf(m, [
      { itemId: '1', decision: { outcome: 'approved_with_conditions', conditions: ['夜间不施工'] } },
      { itemId: '2', decision: { outcome: 'approved' } },
    ]);
    const written: Meeting = {
      ...m,
      status: 'minuted',
      minutes: {
        number: minutesNumber('2026', 7),
        at: '2026-03-05T02:00:00.000Z',
        by: 'leader-zhang',
        items: bound.map((b) => ({
          itemId: b.item.itemId,
          decision: b.decision,
          binding: b.binding as Binding,
        })),
      },
    };

    // Act
    const document = minutesDocument(written, projectId, '2026-03-05T02:00:00.000Z', (id) => `${id}局`);

    // Assess
    expect(document).toMatchObject({ kind: 'meeting_minutes', number: '联审纪要〔2026〕第0007号' });
    expect(document.fields.onLeaveReasons).toEqual(['WAT局：外出调研']);
    expect(document.fields.decisions).toEqual([
      expect.objectContaining({
        decision: '有条件同意',
        details: '夜间不施工',
        rule: '该部门参会，会议议定即为部门决定',
      }),
      expect.objectContaining({ department: 'WAT局', rule: '该部门请假，本事项不作约束，仍由该部门办理' }),
    ]);
    expect(
      minutesDocument(written, 'another-project', '2026-03-05T02:00:00.000Z', (id) => id).fields.decisions,
    ).toEqual([]);
  });
});
