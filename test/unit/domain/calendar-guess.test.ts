import { describe, expect, it } from 'vitest';
import { chineseDaysCalendar } from '../../../shared/calendar/chinese-days-calendar.js';
import { approvedOnCommitment, recountVerification } from '../../../shared/domain/commitment.js';
import { recountDeferral } from '../../../shared/domain/deferred-materials.js';
import { noticeCorrection } from '../../../shared/domain/notice-correction.js';
import { slaStep } from '../../../shared/domain/sla.js';
import { recomputeDue } from '../../../shared/domain/steps/due-dates.js';
import type { ProjectState } from '../../../shared/domain/transition.js';
import { step1aInReviewSince } from '../../support/deemed-approval.js';
import { at } from '../../support/lifecycle.js';
import { afterTransition, changeAt, chinaTime, itemAt } from '../../support/project-state.js';

/** The calendar once an admin has added the 2027 schedule (New Year's Day off). */
const with2027 = chineseDaysCalendar({
  years: { '2027': { holidays: ['2027-01-01'], workdays: [] } },
  closures: {},
});
/** The calendar with a local closure on Tuesday 10 March 2026. */
const closed10March = chineseDaysCalendar({ years: {}, closures: { '2026-03-10': '停电' } });

describe('the SLA sweep on a due date counted through a year without a schedule', () => {
  // 1a accepted Monday 28 December 2026: 1 January 2027 counted as a working day, so the guess is 4 January
  const state = step1aInReviewSince('2026-12-28 10:00');

  it('flags the guessed due date', () => {
    expect(itemAt(state, '1a')).toMatchObject({
      dueDate: '2027-01-04',
      dueFlagged: true,
      legalDueFlagged: true,
    });
  });

  it('neither breaches, escalates nor deems on the guess: it holds the step and names the year to add', () => {
    // Act: Wednesday 6 January, after the guessed 超时默认 day
    const { actions, transition } = slaStep(at(state, '2027-01-06 09:00'), { stepId: '1a' });

    // Assess
    const kinds = actions.map((a) => a.kind);
    expect(kinds).not.toContain('red');
    expect(kinds).not.toContain('escalate');
    expect(kinds).not.toContain('deemed');
    expect(actions).toContainEqual({ kind: 'held', deadline: 'due', date: '2027-01-04', years: [2027] });
    const after = changeAt(transition, '1a').after;
    expect(after.status).toBe('in_review');
    expect(after.slaCheckAt).toBeUndefined();
  });

  it('is recomputed and re-armed once 2027 is added, and then deemed on the real day', () => {
    // Prepare
    const held = afterTransition(state, slaStep(at(state, '2027-01-06 09:00'), { stepId: '1a' }).transition);
    const input = (s: ProjectState, wallClock: string) => ({ ...at(s, wallClock), calendar: with2027 });

    // Act
    const recomputed = recomputeDue(input(held, '2027-01-06 10:00'), { stepId: '1a' });
    const rearmed = afterTransition(held, recomputed);
    const swept = slaStep(input(rearmed, '2027-01-06 11:00'), { stepId: '1a' });

    // Assess: the limit really ends on Tuesday 5 January, so 超时默认 comes on Wednesday 6 January
    const item = itemAt(rearmed, '1a');
    expect(item).toMatchObject({ dueDate: '2027-01-05' });
    expect(item.dueFlagged).toBeUndefined();
    expect(item.slaCheckAt).toBeDefined();
    expect(recomputed.events[0]).toMatchObject({
      type: 'due_recomputed',
      before: { dueDate: '2027-01-04', dueFlagged: true },
      after: { dueDate: '2027-01-05', dueFlagged: false },
    });
    expect(swept.actions.map((a) => a.kind)).toContain('deemed');
  });
});

describe('the escalation ladder counts the real working days overdue', () => {
  // 1a accepted Monday 2 March 2026: due Monday 9 March
  const state = step1aInReviewSince('2026-03-02 10:00');

  it('says one working day overdue on the first rung the day after the due date, not "0 个工作日以上"', () => {
    // Act
    const { actions } = slaStep(at(state, '2026-03-10 09:00'), { stepId: '1a' });

    // Assess
    expect(actions.find((a) => a.kind === 'escalate')).toMatchObject({ afterOverdueDays: 0, overdueDays: 1 });
  });
});

describe('a closure recomputes the dates derived from the calendar', () => {
  const state = step1aInReviewSince('2026-03-02 10:00');

  it('moves both due dates of a step in review by the day closed', () => {
    // Act
    const transition = recomputeDue(
      { ...at(state, '2026-03-03 10:00'), calendar: closed10March },
      { stepId: '1a' },
    );

    // Assess: due 9 March stays (before the closure); the legal due date (30 March) moves to 31 March
    expect(changeAt(transition, '1a').after).toMatchObject({
      dueDate: '2026-03-09',
      legalDueDate: '2026-03-31',
    });
  });

  it('moves a 容缺 supply deadline and a verification date that fall after it', () => {
    // Act
    const deferral = recountDeferral(
      {
        materials: [{ materialId: 'm', name: '授权委托书' }],
        supplied: [],
        supplyBy: '2026-03-16',
        from: '2026-03-02',
      },
      10,
      closed10March,
      '2026-03-02',
    );
    const approved = approvedOnCommitment(
      { signatory: '张三', signedOn: '2026-03-02', replaces: [], verificationDays: 10 },
      chineseDaysCalendar(),
      chinaTime('2026-03-02 10:00'),
    );

    // Assess
    expect(deferral.supplyBy).toBe('2026-03-17');
    expect(approved.verifyBy).toBe('2026-03-16');
    expect(recountVerification(approved, closed10March).verifyBy).toBe('2026-03-17');
  });

  it('flags a supply deadline and a verification date counted through 2027, each on its own', () => {
    // Act
    const deferral = recountDeferral(
      { materials: [{ materialId: 'm', name: '授权委托书' }], supplied: [], supplyBy: '2027-01-07' },
      10,
      chineseDaysCalendar(),
      '2026-12-24',
    );
    const approved = approvedOnCommitment(
      { signatory: '张三', signedOn: '2026-12-24', replaces: [], verificationDays: 10 },
      chineseDaysCalendar(),
      chinaTime('2026-12-24 10:00'),
    );

    // Assess
    expect(deferral).toMatchObject({ supplyBy: '2027-01-07', supplyByFlagged: true });
    expect(approved).toMatchObject({ verifyBy: '2027-01-07', verifyByFlagged: true });
    expect(recountVerification(approved, with2027)).toMatchObject({ verifyBy: '2027-01-08' });
    expect(recountVerification(approved, with2027).verifyByFlagged).toBeUndefined();
  });
});

describe('a 超时默认通知单 the calendar proves wrong', () => {
  // 1a accepted Monday 2 March 2026, due Monday 9 March, deemed approved by a notice dated Tuesday 10 March
  const deemed = {
    ...itemAt(step1aInReviewSince('2026-03-02 10:00'), '1a'),
    status: 'deemed_approved' as const,
    decidedAt: chinaTime('2026-03-10 09:00').toISOString(),
    approvalDocument: {
      number: '超时默认〔2026〕第0001号',
      date: '2026-03-10',
      source: 'deemed_notice' as const,
    },
  };

  it('stands when the change leaves the due date before the notice', () => {
    expect(noticeCorrection(chineseDaysCalendar(), deemed)).toBeUndefined();
  });

  it('gets a correcting record when a closure before the due date shows the department was not yet late', () => {
    // Act: the centre was closed on Thursday 5 March
    const record = noticeCorrection(
      chineseDaysCalendar({ years: {}, closures: { '2026-03-05': '停电' } }),
      deemed,
    );

    // Assess
    expect(record).toMatchObject({
      type: 'deemed_notice_corrected',
      stepId: '1a',
      before: { dueDate: '2026-03-09' },
      after: { dueDate: '2026-03-10' },
      data: { notice: '超时默认〔2026〕第0001号', noticeDate: '2026-03-10', deemableFrom: '2026-03-11' },
    });
  });
});
