import { describe, expect, it } from 'vitest';
import {
  alreadyCorrected,
  assertCalendarChange,
  calendarAfter,
  correctionDocument,
  correctionNotice,
  countChanges,
  firstDayChanged,
  nothingRecomputed,
  touched,
} from '../../../shared/domain/calendar-change.js';
import { NO_OVERRIDES } from '../../../shared/domain/calendar-overrides.js';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import type { ProjectEvent, ProjectStep } from '../../../shared/domain/project.js';
import type { EventDraft } from '../../../shared/domain/transition.js';
import { twoStageChain } from '../../support/chain-fixtures.js';
import { projectState } from '../../support/project-state.js';

const chain = twoStageChain();
const SCHEDULE = { holidays: ['2027-10-01'], workdays: [] };

/** Step 1a in review, its clock running, due on `dueDate`. */
function inReview(overrides: Partial<ProjectStep> = {}): ProjectStep {
  const state = projectState(chain, { items: { '1a': { status: 'in_review' } } });
  const item = state.items.get('1a');
  if (!item) throw new Error('the fixture has step 1a');
  return {
    ...item,
    clock: {
      acceptedAt: '2026-03-02T01:00:00.000Z',
      acceptedOn: '2026-03-02',
      promisedDays: 10,
      legalDays: 20,
      pauses: [],
    },
    dueDate: '2026-03-16',
    legalDueDate: '2026-03-30',
    ...overrides,
  };
}

const record: EventDraft = {
  type: 'deemed_notice_corrected',
  stepId: '1a',
  after: { dueDate: '2026-03-17' },
  data: { notice: '超时默认〔2026〕1号', noticeDate: '2026-03-16', reason: '到期日因调休改为 2026-03-17' },
};

describe('a calendar change', () => {
  it("refuses a year's schedule with problems, and lets a closure through", () => {
    // Assess
    expect(() =>
      assertCalendarChange({ year: 2027, schedule: { holidays: ['2026-10-01'], workdays: [] } }),
    ).toThrow(InvalidInputError);
    expect(() => assertCalendarChange({ year: 2027, schedule: SCHEDULE })).not.toThrow();
    expect(() => assertCalendarChange({ closure: '2026-05-06', reason: '台风' })).not.toThrow();
  });

  it('adds a year or a closure, lifts a closure with no reason, and moves dates from the first day it touches', () => {
    // Act
    const withYear = calendarAfter(NO_OVERRIDES, { year: 2027, schedule: SCHEDULE });
    const closed = calendarAfter(withYear, { closure: '2026-05-06', reason: '台风' });
    const lifted = calendarAfter(closed, { closure: '2026-05-06', reason: null });

    // Assess
    expect(closed).toEqual({ years: { '2027': SCHEDULE }, closures: { '2026-05-06': '台风' } });
    expect(lifted).toEqual({ years: { '2027': SCHEDULE }, closures: {} });
    expect(firstDayChanged({ year: 2027, schedule: SCHEDULE })).toBe('2027-01-01');
    expect(firstDayChanged({ closure: '2026-05-06', reason: null })).toBe('2026-05-06');
  });

  it('touches an open item due on or after the first day changed, or with a flagged date; never a decided one', () => {
    // Assess
    expect(touched(inReview(), '2026-03-10')).toBe(true);
    expect(touched(inReview(), '2026-04-01')).toBe(false);
    expect(touched(inReview({ dueFlagged: true }), '9999-12-31')).toBe(true);
    expect(touched(inReview({ decidedAt: '2026-03-05T01:00:00.000Z' }), '2026-03-10')).toBe(false);
  });

  it('counts each kind of date it moved', () => {
    // Prepare
    const answer = nothingRecomputed();

    // Act
    countChanges(answer, inReview(), inReview({ dueDate: '2026-03-17' }));
    countChanges(answer, inReview(), inReview({ legalDueDate: '2026-03-31', dueDate: '2026-03-17' }));

    // Assess
    expect(answer).toMatchObject({ recomputed: 2, dueDates: 2, legalDueDates: 1, supplyDeadlines: 0 });
  });

  it('corrects a notice once per due date, telling the department, the agent and the leaders', () => {
    // Prepare
    const state = projectState(chain);
    const item = inReview({ departmentId: 'DRC' });
    const earlier = {
      ...record,
      eventId: 'e1',
      projectId: state.project.projectId,
    } as unknown as ProjectEvent;
    const other = { ...earlier, after: { dueDate: '2026-03-18' } } as ProjectEvent;

    // Act
    const notice = correctionNotice(state.project, item, record);
    const document = correctionDocument(state, item, record, 'doc-1', new Date('2026-03-20T02:00:00.000Z'));

    // Assess
    expect(alreadyCorrected([earlier], record)).toBe(true);
    expect(alreadyCorrected([other], record)).toBe(false);
    expect(notice.audiences).toEqual([
      { departmentId: 'DRC' },
      { userId: state.project.agentId },
      { role: 'leader' },
    ]);
    expect(document).toMatchObject({
      docId: 'doc-1',
      kind: 'notice_correction',
      number: '超时默认〔2026〕1号更正',
      stepId: '1a',
      departmentId: 'DRC',
      fields: { dueDate: '2026-03-17', noticeDate: '2026-03-20', correctedNotice: '超时默认〔2026〕1号' },
    });
  });
});
