import { describe, expect, it } from 'vitest';
import {
  type CaseFacts,
  caseKindsOf,
  countCaseKinds,
  projectCaseKinds,
} from '../../../shared/domain/case-kinds.js';
import type { ProjectStep } from '../../../shared/domain/project.js';

/** A decided single-department approval; override what a test is about. */
const decided = (overrides: Partial<CaseFacts> = {}): CaseFacts => ({
  promisedDays: 5,
  status: 'approved',
  submittedAt: '2026-11-16T01:00:00.000Z',
  decidedAt: '2026-11-16T02:00:00.000Z',
  joint: false,
  supplementRounds: 0,
  ...overrides,
});

describe('the five kinds of case (五件)', () => {
  it('calls a step with a promised limit of 0 an instant case (即办件) and any other a promised case (承诺件)', () => {
    // Act
    const instant = caseKindsOf(decided({ promisedDays: 0 }));
    const promised = caseKindsOf(decided({ promisedDays: 5 }));

    // Assess
    expect(instant).toEqual(['instant']);
    expect(promised).toEqual(['promised']);
  });

  it('calls a 0-day step decided on a later day a promised case, not an instant one', () => {
    // Act
    const nextDay = caseKindsOf(decided({ promisedDays: 0, decidedAt: '2026-11-17T02:00:00.000Z' }));
    // 23:30 and 00:30 China time: two days, though under an hour apart
    const overMidnight = caseKindsOf(
      decided({
        promisedDays: 0,
        submittedAt: '2026-11-16T15:30:00.000Z',
        decidedAt: '2026-11-16T16:30:00.000Z',
      }),
    );
    const noSubmission = caseKindsOf(decided({ promisedDays: 0, submittedAt: undefined }));

    // Assess
    expect([nextDay, overMidnight, noSubmission]).toEqual([['promised'], ['promised'], ['promised']]);
  });

  it('counts a joint review and a step a meeting decided as joint cases (联办件)', () => {
    // Act
    const jointReview = caseKindsOf(decided({ joint: true, promisedDays: null }));
    const byMeeting = caseKindsOf(decided({ decidedVia: 'meeting' }));

    // Assess
    expect(jointReview).toEqual(['promised', 'joint']);
    expect(byMeeting).toEqual(['promised', 'joint']);
  });

  it('counts a rejection, now or in an earlier round, as returned (退办件)', () => {
    // Act
    const rejected = caseKindsOf(decided({ status: 'rejected' }));
    const reapplied = caseKindsOf(decided({ earlierRounds: [{ outcome: 'rejected' }] }));

    // Assess
    expect(rejected).toEqual(['promised', 'returned']);
    expect(reapplied).toEqual(['promised', 'returned']);
  });

  it('counts a step that had a supplement round as a supplement case (补办件) besides its own kind', () => {
    // Act
    const kinds = caseKindsOf(
      decided({ supplementRounds: 2, decidedVia: 'meeting', status: 'deemed_approved' }),
    );

    // Assess
    expect(kinds).toEqual(['promised', 'joint', 'supplement']);
  });

  it('counts nothing for steps no department decided: open, not applicable, withdrawn, milestones', () => {
    // Act
    const kinds = [
      caseKindsOf(decided({ status: 'in_review', decidedAt: undefined })),
      caseKindsOf(decided({ status: 'not_applicable' })),
      caseKindsOf(decided({ status: 'withdrawn' })),
      caseKindsOf(decided({ promisedDays: null })),
    ];

    // Assess
    expect(kinds).toEqual([[], [], [], []]);
  });

  it('adds the kinds of many steps up', () => {
    // Act
    const counts = countCaseKinds([
      decided({ promisedDays: 0 }),
      decided({ supplementRounds: 1 }),
      decided({ status: 'rejected' }),
      decided({ joint: true }),
      decided({ status: 'in_review', decidedAt: undefined }),
    ]);

    // Assess
    expect(counts).toEqual({ instant: 1, promised: 3, joint: 1, returned: 1, supplement: 1 });
  });

  it("gives each of a project's steps its kinds from its item under the chain's definition", () => {
    // Prepare
    const item = (stepId: string, fields: Partial<ProjectStep>): ProjectStep => ({
      projectId: 'p1',
      stepId,
      stageIndex: 0,
      departmentId: 'ENV',
      kind: 'approval',
      status: 'approved',
      version: 3,
      round: 1,
      supplementRounds: 0,
      submittedAt: '2026-11-16T01:00:00.000Z',
      decidedAt: '2026-11-16T02:00:00.000Z',
      updatedAt: '2026-11-16T02:00:00.000Z',
      ...fields,
    });
    const { decidedAt: _, ...inReview } = item('8', { status: 'in_review' });
    const items = new Map<string, ProjectStep>([
      ['7', item('7', { supplementRounds: 1 })],
      ['23', item('23', { kind: 'joint', departmentId: null })],
      ['23#fire', item('23', { partId: 'fire', status: 'rejected' })],
      ['8', inReview],
    ]);

    // Act
    const kinds = projectCaseKinds(
      [
        { id: '7', promisedDays: 10 },
        { id: '8', promisedDays: 0 },
        { id: '23', promisedDays: null, parts: [] },
        { id: '30', promisedDays: 5 },
      ],
      items,
    );

    // Assess
    expect(Object.fromEntries(kinds)).toEqual({
      '7': ['promised', 'supplement'],
      '8': [],
      '23': ['promised', 'joint'],
    });
  });
});
