import { describe, expect, it } from 'vitest';
import type { Chain } from '../../../shared/domain/chain.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../../../shared/domain/errors.js';
import type { ProjectStep } from '../../../shared/domain/project.js';
import { StepClockSchema } from '../../../shared/domain/step-clock.js';
import type { StepStatus } from '../../../shared/domain/step-status.js';
import { decideStep } from '../../../shared/domain/steps/decision.js';
import { openStep } from '../../../shared/domain/steps/gate-opening.js';
import { reapplyStep } from '../../../shared/domain/steps/reapplication.js';
import { submitStep } from '../../../shared/domain/steps/submission.js';
import { resubmitStep } from '../../../shared/domain/steps/supplement.js';
import { withdrawProject } from '../../../shared/domain/steps/withdrawal.js';
import { jointReviewChain, twoStageChain } from '../../support/chain-fixtures.js';
import {
  at,
  calendar,
  decided,
  decisionRefused,
  expectSoundChanges,
  officer,
  refusal,
  resubmitted,
  submitted,
} from '../../support/lifecycle.js';
import { afterTransition, changeAt, itemAt, projectState, withItems } from '../../support/project-state.js';

/** stage 1: 1a, 1b → 1c (gated on both); stage 2: 2a → 2b. Every step: NRP, 5 promised, 20 legal working days. */
const chain: Chain = twoStageChain();
/** stage 1: plan → drawings (joint: fire, cad, met) → permit; stage 2: works (milestone) → archives. */
const joint: Chain = jointReviewChain();

/** 1a in review since Monday 2 March 2026, 10:00 (promised limit due Monday 9 March); the rest pending. */
const reviewing1a = (items: Record<string, { status: StepStatus }> = {}) =>
  submitted(
    projectState(chain, { items: { '1a': { status: 'ready' }, ...items } }),
    '1a',
    '2026-03-02 10:00',
  );

const MISSING = [
  { materialId: 'site-plan', name: '总平面图', reason: '未加盖设计单位出图章' },
  { name: '土地权属证明', reason: '未提供' },
];

describe('opening a step (the engine delivers its task)', () => {
  it('opens a pending step whose prerequisites passed: ready, with the time it opened', () => {
    // Prepare
    const state = projectState(chain, {
      items: { '1a': { status: 'approved' }, '1b': { status: 'approved' } },
    });

    // Act
    const transition = openStep(at(state, '2026-03-02 10:00'), '1c');

    // Assess
    expectSoundChanges(state, transition);
    expect(changeAt(transition, '1c').after).toMatchObject({
      status: 'ready',
      openedAt: '2026-03-02T02:00:00.000Z',
      version: 2,
    });
    expect(transition.events).toEqual([
      { type: 'step_opened', stepId: '1c', before: { status: 'pending' }, after: { status: 'ready' } },
    ]);
    expect(transition.owed).toEqual([]);
    expect(transition.project).toBeUndefined();
  });

  it('blocks a step whose prerequisite was rejected, reports it and owes the gate of its dependent', () => {
    // Prepare: plan rejected (the project still active), drawings' task delivered
    const state = projectState(joint, { items: { plan: { status: 'rejected' } } });

    // Act
    const transition = openStep(at(state, '2026-03-02 10:00'), 'drawings');

    // Assess
    expectSoundChanges(state, transition);
    expect(changeAt(transition, 'drawings').after).toMatchObject({ status: 'pending', blocked: true });
    expect(transition.events).toEqual([
      { type: 'step_blocked', stepId: 'drawings', data: { reason: 'prerequisite step plan was rejected' } },
    ]);
    expect(transition.owed).toEqual([
      { kind: 'report', stepId: 'drawings' },
      { kind: 'open_gate', stepId: 'permit' },
    ]);
    expect(transition.relies).toEqual(['permit']);
  });

  it('blocks a step of a returned project and owes the gates of the stage’s waiting steps', () => {
    // Prepare
    const state = projectState(joint, {
      project: { status: 'returned' },
      items: { plan: { status: 'rejected' } },
    });

    // Act
    const transition = openStep(at(state, '2026-03-02 10:00'), 'drawings');

    // Assess
    expect(transition.events[0]?.data).toEqual({ reason: 'the project is returned' });
    expect(transition.owed).toEqual([
      { kind: 'report', stepId: 'drawings' },
      { kind: 'open_gate', stepId: 'permit' },
    ]);
  });

  it('blocks a step whose prerequisite was itself blocked', () => {
    // Prepare
    const state = projectState(joint, {
      items: { plan: { status: 'rejected' }, drawings: { blocked: true } },
    });

    // Act
    const transition = openStep(at(state, '2026-03-02 10:00'), 'permit');

    // Assess
    expect(transition.events[0]?.data).toEqual({ reason: 'prerequisite step drawings was blocked' });
    expect(transition.owed).toEqual([{ kind: 'report', stepId: 'permit' }]);
  });

  it.each([
    { what: 'a ready step', item: { status: 'ready' as const } },
    { what: 'a step in review', item: { status: 'in_review' as const } },
    { what: 'a blocked step', item: { status: 'pending' as const, blocked: true } },
  ])('leaves $what as it is (a duplicate or late delivery)', ({ item }) => {
    // Prepare
    const state = projectState(chain, { items: { '1a': item } });

    // Act
    const transition = openStep(at(state, '2026-03-02 10:00'), '1a');

    // Assess
    expect(transition).toEqual({ changes: [], events: [], owed: [], relies: [] });
  });
});

describe('submitting a step (申报 and 受理)', () => {
  it('refuses a submission without every listed material, naming what is missing', () => {
    // Prepare
    const state = projectState(joint, { items: { drawings: { status: 'ready' } } });

    // Act
    const error = refusal(() =>
      submitStep(at(state, '2026-03-02 10:00'), 'drawings', { materials: ['drawings'] }),
    );

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.code).toBe('STEP.MATERIALS_MISSING');
    expect(error.message).toBe('step drawings cannot be accepted (受理) without: 岩土工程勘察报告 (survey)');
    expect(error.details).toEqual({ missing: ['survey'] });
  });

  it('refuses a material the step does not list, naming the ones it does', () => {
    // Prepare
    const state = projectState(joint, { items: { drawings: { status: 'ready' } } });

    // Act
    const error = refusal(() =>
      submitStep(at(state, '2026-03-02 10:00'), 'drawings', { materials: ['drawings', 'survey', 'photo'] }),
    );

    // Assess
    expect(error.code).toBe('STEP.UNKNOWN_MATERIAL');
    expect(error.message).toBe('step drawings does not list material(s) photo; it lists: drawings, survey');
  });

  it.each([
    {
      what: 'pending',
      item: { status: 'pending' as const },
      says: 'step 1c is pending; materials can be submitted only when it is ready (its prerequisites are not all approved yet)',
    },
    {
      what: 'blocked',
      item: { status: 'pending' as const, blocked: true },
      says:
        'step 1c is blocked; materials can be submitted only when it is ready (a prerequisite was rejected or ' +
        'the project was returned: it opens again only once the rejected step is re-applied)',
    },
    {
      what: 'in review',
      item: { status: 'in_review' as const },
      says: 'step 1c is in_review; materials can be submitted only when it is ready',
    },
  ])('refuses a submission while the step is $what, saying why', ({ item, says }) => {
    // Prepare
    const state = projectState(chain, { items: { '1c': item } });

    // Act
    const error = refusal(() => submitStep(at(state, '2026-03-02 10:00'), '1c', { materials: [] }));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('STEP.NOT_READY');
    expect(error.message).toBe(says);
  });

  it('starts the clock on submission, with the due dates of the promised and legal limits', () => {
    // Prepare
    const state = projectState(chain, { items: { '1a': { status: 'ready' } } });

    // Act: Friday 6 March 2026
    const transition = submitStep(at(state, '2026-03-06 10:00'), '1a', { materials: [], note: '原件已核' });

    // Assess: 5 working days after 6 March end on Friday 13 March; 20 end on Friday 3 April
    expectSoundChanges(state, transition);
    const after = changeAt(transition, '1a').after;
    expect(after).toMatchObject({
      status: 'in_review',
      submittedAt: '2026-03-06T02:00:00.000Z',
      materialsSubmitted: [],
      dueDate: '2026-03-13',
      dueAt: '2026-03-13T15:59:59.999Z',
      legalDueDate: '2026-04-03',
    });
    expect(after.clock).toEqual({
      acceptedAt: '2026-03-06T02:00:00.000Z',
      acceptedOn: '2026-03-06',
      promisedDays: 5,
      legalDays: 20,
      pauses: [],
    });
    expect(after.dueFlagged).toBeUndefined();
    expect(transition.events).toEqual([
      {
        type: 'step_submitted',
        stepId: '1a',
        before: { status: 'ready' },
        after: { status: 'in_review', dueDate: '2026-03-13', legalDueDate: '2026-04-03' },
        data: { materials: [], note: '原件已核' },
      },
    ]);
    expect(transition.owed).toEqual([]);
  });

  it('counts a Saturday submission from Monday', () => {
    // Prepare
    const state = projectState(chain, { items: { '1a': { status: 'ready' } } });

    // Act: Saturday 7 March 2026
    const after = changeAt(submitStep(at(state, '2026-03-07 16:00'), '1a', { materials: [] }), '1a').after;

    // Assess: counted from Monday 9 March: Monday 16 March
    expect(after.clock?.acceptedOn).toBe('2026-03-09');
    expect(after.dueDate).toBe('2026-03-16');
  });

  it('flags the due date of a submission in 2027, whose schedule the calendar does not have', () => {
    // Prepare
    const state = projectState(chain, { items: { '1a': { status: 'ready' } } });

    // Act
    const after = changeAt(submitStep(at(state, '2027-03-01 10:00'), '1a', { materials: [] }), '1a').after;

    // Assess
    expect(after).toMatchObject({ dueDate: '2027-03-08', dueFlagged: true });
  });

  it('closes a milestone on its report and owes the report and the gate of its dependent', () => {
    // Prepare: works completed (施工完成) is ready in stage 2
    const state = projectState(joint, {
      project: { currentStageIndex: 1 },
      items: {
        plan: { status: 'approved' },
        drawings: { status: 'approved' },
        permit: { status: 'approved' },
        works: { status: 'ready' },
      },
    });

    // Act
    const transition = submitStep(at(state, '2028-05-10 10:00'), 'works', {
      materials: [],
      note: '主体完工',
    });

    // Assess
    expectSoundChanges(state, transition);
    expect(changeAt(transition, 'works').after).toMatchObject({
      status: 'approved',
      outcome: 'reported',
      submittedAt: '2028-05-10T02:00:00.000Z',
      decidedAt: '2028-05-10T02:00:00.000Z',
    });
    expect(changeAt(transition, 'works').after.clock).toBeUndefined();
    expect(transition.events).toEqual([
      {
        type: 'milestone_reported',
        stepId: 'works',
        before: { status: 'ready' },
        after: { status: 'approved' },
        data: { note: '主体完工' },
      },
    ]);
    expect(transition.project).toEqual({ add: { stepsClosed: 1 } });
    expect(transition.owed).toEqual([
      { kind: 'report', stepId: 'works' },
      { kind: 'open_gate', stepId: 'archives' },
    ]);
  });
});

describe('deciding a step in review', () => {
  it('closes an approved step, reports it and keeps its due date for the record', () => {
    // Prepare
    const state = reviewing1a();

    // Act
    const transition = decideStep(
      at(state, '2026-03-05 15:00'),
      { stepId: '1a' },
      { outcome: 'approved' },
      officer,
    );

    // Assess
    expectSoundChanges(state, transition);
    const after = changeAt(transition, '1a').after;
    expect(after).toMatchObject({
      status: 'approved',
      outcome: 'approved',
      decidedAt: '2026-03-05T07:00:00.000Z',
      decidedBy: 'officer-zhao',
      dueDate: '2026-03-09',
    });
    expect(after.dueAt).toBeUndefined();
    expect(after.lateByDays).toBeUndefined();
    expect(transition.events).toEqual([
      {
        type: 'step_decided',
        stepId: '1a',
        before: { status: 'in_review' },
        after: { status: 'approved', outcome: 'approved' },
        data: { outcome: 'approved' },
      },
    ]);
    expect(transition.project).toEqual({ add: { decisions: 1, stepsClosed: 1 } });
    expect(transition.owed).toContainEqual({ kind: 'report', stepId: '1a' });
  });

  it('records the conditions of an approval with conditions', () => {
    // Prepare
    const state = reviewing1a();
    const conditions = ['开工前完成地勘补充', '严格按审定红线施工'];

    // Act
    const transition = decideStep(
      at(state, '2026-03-05 15:00'),
      { stepId: '1a' },
      { outcome: 'approved_with_conditions', conditions },
      officer,
    );

    // Assess
    expect(changeAt(transition, '1a').after).toMatchObject({
      status: 'approved',
      outcome: 'approved_with_conditions',
      conditions,
    });
    expect(transition.events[0]?.after).toEqual({ status: 'approved', outcome: 'approved_with_conditions' });
    expect(transition.owed).toContainEqual({ kind: 'report', stepId: '1a' });
  });

  it('closes a step the department finds not applicable, with its reason', () => {
    // Prepare
    const state = reviewing1a();

    // Act
    const transition = decideStep(
      at(state, '2026-03-05 15:00'),
      { stepId: '1a' },
      { outcome: 'not_applicable', reason: '项目不涉及压覆矿产' },
      officer,
    );

    // Assess
    expect(changeAt(transition, '1a').after).toMatchObject({
      status: 'not_applicable',
      outcome: 'not_applicable',
      reason: '项目不涉及压覆矿产',
    });
    expect(transition.project?.add).toEqual({ decisions: 1, stepsClosed: 1 });
  });

  it('returns the project on a rejection and releases the gates of the stage’s waiting steps', () => {
    // Prepare: 1b is in review too; 1c waits for both
    const state = reviewing1a({ '1b': { status: 'in_review' } });
    const rejection = {
      outcome: 'rejected' as const,
      legalBasis: '《土地管理法》第五十二条',
      reason: '选址不符合国土空间规划',
    };

    // Act
    const transition = decideStep(at(state, '2026-03-05 15:00'), { stepId: '1a' }, rejection, officer);

    // Assess
    expectSoundChanges(state, transition);
    expect(changeAt(transition, '1a').after).toMatchObject({
      status: 'rejected',
      outcome: 'rejected',
      legalBasis: rejection.legalBasis,
      reason: rejection.reason,
    });
    expect(transition.project).toEqual({
      add: { decisions: 1, stepsClosed: 1 },
      set: { status: 'returned', returnedAt: '2026-03-05T07:00:00.000Z' },
    });
    expect(transition.events.map((e) => e.type)).toEqual(['step_decided', 'project_returned']);
    expect(transition.events[1]).toEqual({
      type: 'project_returned',
      stepId: '1a',
      before: { status: 'active' },
      after: { status: 'returned' },
    });
    expect(transition.owed).toEqual([
      { kind: 'report', stepId: '1a' },
      { kind: 'open_gate', stepId: '1c' },
    ]);
  });

  it('does not return a project that is already returned a second time', () => {
    // Prepare: 1b was rejected before
    const state = reviewing1a({ '1b': { status: 'rejected' } });
    const returned = { ...state, project: { ...state.project, status: 'returned' as const } };

    // Act
    const transition = decideStep(
      at(returned, '2026-03-05 15:00'),
      { stepId: '1a' },
      { outcome: 'rejected', legalBasis: '《城乡规划法》第三十八条', reason: '规划条件不符' },
      officer,
    );

    // Assess
    expect(transition.project).toEqual({ add: { decisions: 1, stepsClosed: 1 } });
    expect(transition.events.map((e) => e.type)).toEqual(['step_decided']);
  });

  it('pauses the clock on a supplement request and removes the due fields while it stands still', () => {
    // Prepare
    const state = reviewing1a();

    // Act: Tuesday 3 March, the first of 5 working days
    const transition = decideStep(
      at(state, '2026-03-03 11:00'),
      { stepId: '1a' },
      { outcome: 'supplement', missingMaterials: MISSING },
      officer,
    );

    // Assess
    expectSoundChanges(state, transition);
    const after = changeAt(transition, '1a').after;
    expect(after).toMatchObject({
      status: 'supplement_requested',
      missingMaterials: MISSING,
      supplementRounds: 1,
    });
    expect(after.clock?.pauses).toEqual([
      {
        pauseId: 'supplement-1',
        kind: 'supplement',
        from: '2026-03-03T03:00:00.000Z',
        fromDate: '2026-03-03',
      },
    ]);
    for (const field of ['dueDate', 'dueAt', 'legalDueDate', 'dueFlagged'] as const) {
      expect(after[field], field).toBeUndefined();
    }
    expect(transition.events).toEqual([
      {
        type: 'supplement_requested',
        stepId: '1a',
        before: { status: 'in_review' },
        after: { status: 'supplement_requested' },
        data: { outcome: 'supplement', missingMaterials: MISSING },
      },
    ]);
    expect(transition.project).toEqual({ add: { decisions: 1, supplements: 1 } });
    expect(transition.owed).toEqual([]);
  });

  it('refuses a supplement request in the second half of the promised limit (补不过半)', () => {
    // Prepare: 5 working days from Monday 2 March; Thursday 5 March is the third
    const state = reviewing1a();

    // Act
    const error = decisionRefused(state, { stepId: '1a' }, '2026-03-05 11:00', {
      outcome: 'supplement',
      missingMaterials: MISSING,
    });

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('STEP.SUPPLEMENT_TOO_LATE');
    expect(error.message).toMatch(/^step 1a: 补不过半: .*3 working day\(s\) have passed and 2 are left/);
  });

  it('allows a supplement request on the last day of the first half', () => {
    // Prepare
    const state = reviewing1a();

    // Act: Wednesday 4 March is the second of 5 working days
    const transition = decideStep(
      at(state, '2026-03-04 17:00'),
      { stepId: '1a' },
      { outcome: 'supplement', missingMaterials: MISSING },
      officer,
    );

    // Assess
    expect(changeAt(transition, '1a').after.status).toBe('supplement_requested');
  });

  it('refuses a second supplement request without a reason, and flags one with a reason as a violation (一次性告知)', () => {
    // Prepare: asked once on Tuesday 3 March, everything supplied on Wednesday 4 March
    const asked = decided(reviewing1a(), { stepId: '1a' }, '2026-03-03 11:00', {
      outcome: 'supplement',
      missingMaterials: MISSING,
    });
    const state = resubmitted(asked, '1a', '2026-03-04 09:00', ['site-plan', '土地权属证明']);
    const again = [{ name: '地质勘察报告', reason: '补正后发现需补充' }];

    // Act
    const withoutReason = decisionRefused(state, { stepId: '1a' }, '2026-03-04 15:00', {
      outcome: 'supplement',
      missingMaterials: again,
    });
    const transition = decideStep(
      at(state, '2026-03-04 15:00'),
      { stepId: '1a' },
      { outcome: 'supplement', missingMaterials: again, repeatReason: '补正材料显示地块存在软土层' },
      officer,
    );

    // Assess
    expect(withoutReason).toBeInstanceOf(InvalidInputError);
    expect(withoutReason.code).toBe('STEP.SUPPLEMENT_REPEATED');
    expect(withoutReason.message).toContain('repeatReason');
    const after = changeAt(transition, '1a').after;
    expect(after).toMatchObject({
      status: 'supplement_requested',
      supplementRounds: 2,
      missingMaterials: again,
    });
    expect(after.clock?.pauses.map((p) => p.pauseId)).toEqual(['supplement-1', 'supplement-2']);
    expect(transition.events[0]?.data).toMatchObject({ oneTimeNoticeViolation: true, round: 2 });
  });

  it.each([
    { status: 'ready', says: 'step 1a is not in review: the agent has not submitted its materials yet' },
    { status: 'pending', says: 'step 1a is not in review: it has not opened yet' },
    {
      status: 'supplement_requested',
      says: 'step 1a is not in review: the agent has not supplied the missing materials yet',
    },
    {
      status: 'deemed_approved',
      says: 'step 1a is already deemed approved (超时默认): the department missed its promised limit, so no later decision applies',
    },
    { status: 'approved', says: 'step 1a is already decided (approved); it cannot be decided again' },
    { status: 'withdrawn', says: 'step 1a is already decided (withdrawn); it cannot be decided again' },
  ] as const)('refuses a decision on a step that is $status, naming why', ({ status, says }) => {
    // Prepare
    const state = projectState(chain, { items: { '1a': { status } } });

    // Act
    const error = decisionRefused(state, { stepId: '1a' }, '2026-03-05 15:00', { outcome: 'approved' });

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('STEP.NOT_IN_REVIEW');
    expect(error.message).toBe(says);
    expect(error.details).toEqual({ status });
  });

  it('records how many working days late a decision after the promised limit is', () => {
    // Prepare: due Monday 9 March
    const state = reviewing1a();

    // Act: Wednesday 11 March
    const transition = decideStep(
      at(state, '2026-03-11 09:30'),
      { stepId: '1a' },
      { outcome: 'approved' },
      officer,
    );

    // Assess
    expect(changeAt(transition, '1a').after.lateByDays).toBe(2);
    expect(transition.events[0]?.data).toEqual({ outcome: 'approved', lateByDays: 2 });
  });

  it('records no lateness for a decision on the due date itself', () => {
    // Prepare
    const state = reviewing1a();

    // Act
    const transition = decideStep(
      at(state, '2026-03-09 23:00'),
      { stepId: '1a' },
      { outcome: 'approved' },
      officer,
    );

    // Assess
    expect(changeAt(transition, '1a').after.lateByDays).toBeUndefined();
  });

  it('records a deemed approval (超时默认) by the SLA sweep as such', () => {
    // Prepare
    const state = reviewing1a();

    // Act: the next working day after the due date
    const transition = decideStep(
      at(state, '2026-03-10 00:05'),
      { stepId: '1a' },
      { outcome: 'deemed_approved', reason: '超过承诺时限未作决定' },
      { userId: 'system', via: 'sla' },
    );

    // Assess
    expect(changeAt(transition, '1a').after).toMatchObject({
      status: 'deemed_approved',
      outcome: 'deemed_approved',
      decidedBy: 'system',
      lateByDays: 1,
    });
    expect(transition.events[0]?.data).toMatchObject({ via: 'sla' });
    expect(transition.owed).toContainEqual({ kind: 'report', stepId: '1a' });
  });

  it.each(['approved', 'not_applicable', 'deemed_approved'] as const)(
    'owes the gate of a dependent whose other prerequisite is %s',
    (other) => {
      // Prepare
      const state = reviewing1a({ '1b': { status: other } });

      // Act
      const transition = decideStep(
        at(state, '2026-03-05 15:00'),
        { stepId: '1a' },
        { outcome: 'approved' },
        officer,
      );

      // Assess
      expect(transition.owed).toEqual([
        { kind: 'report', stepId: '1a' },
        { kind: 'open_gate', stepId: '1c' },
      ]);
      expect(transition.relies).toEqual(['1c']);
    },
  );

  it('relies on the waiting dependent and its other unfinished prerequisite instead of opening its gate', () => {
    // Prepare
    const state = reviewing1a({ '1b': { status: 'in_review' } });

    // Act
    const transition = decideStep(
      at(state, '2026-03-05 15:00'),
      { stepId: '1a' },
      { outcome: 'approved' },
      officer,
    );

    // Assess
    expect(transition.owed).toEqual([{ kind: 'report', stepId: '1a' }]);
    expect(transition.relies).toEqual(['1c', '1b']);
  });

  it('names an unknown step, and a part asked of a step that is not a joint review', () => {
    // Prepare
    const state = reviewing1a();

    // Act
    const unknownStep = decisionRefused(state, { stepId: '9z' }, '2026-03-05 15:00', { outcome: 'approved' });
    const unknownPart = decisionRefused(state, { stepId: '1a', partId: 'fire' }, '2026-03-05 15:00', {
      outcome: 'approved',
    });

    // Assess
    expect(unknownStep).toBeInstanceOf(NotFoundError);
    expect(unknownStep.message).toBe("this project's chain has no step '9z'");
    expect(unknownPart.code).toBe('STEP.PART_NOT_FOUND');
    expect(unknownPart.message).toBe('step 1a is not a joint review and has no parts');
  });
});

describe('resubmitting after a supplement request (补正)', () => {
  /** 1a asked for MISSING on Tuesday 3 March (due Monday 9 March before the pause). */
  const asked = () =>
    decided(reviewing1a(), { stepId: '1a' }, '2026-03-03 11:00', {
      outcome: 'supplement',
      missingMaterials: MISSING,
    });

  it('refuses a resubmission while anything asked for is missing, naming it', () => {
    // Prepare
    const state = asked();

    // Act
    const error = refusal(() =>
      resubmitStep(at(state, '2026-03-06 10:00'), '1a', { supplied: ['总平面图'] }),
    );

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.code).toBe('STEP.SUPPLEMENT_INCOMPLETE');
    expect(error.message).toBe('the supplement notice also asked for: 土地权属证明');
    expect(error.details).toEqual({ missing: ['土地权属证明'] });
  });

  it('resumes the clock: the due date moves on by exactly the working days it stood still', () => {
    // Prepare
    const state = asked();

    // Act: everything supplied on Friday 6 March (4, 5 and 6 March stood still), by material id and by name
    const transition = resubmitStep(at(state, '2026-03-06 10:00'), '1a', {
      supplied: ['site-plan', '土地权属证明'],
    });

    // Assess
    expectSoundChanges(state, transition);
    const after = changeAt(transition, '1a').after;
    expect(after).toMatchObject({ status: 'in_review', dueDate: '2026-03-12', legalDueDate: '2026-04-02' });
    expect(after.missingMaterials).toBeUndefined();
    expect(after.clock?.pauses[0]).toMatchObject({ toDate: '2026-03-06' });
    expect(calendar.workingDaysBetween('2026-03-09', after.dueDate ?? '').days).toBe(3);
    expect(transition.events).toEqual([
      {
        type: 'step_resubmitted',
        stepId: '1a',
        before: { status: 'supplement_requested' },
        after: { status: 'in_review', dueDate: '2026-03-12' },
        data: { supplied: ['site-plan', '土地权属证明'], round: 1 },
      },
    ]);
  });

  it('refuses a resubmission when no supplement was requested', () => {
    // Prepare
    const state = reviewing1a();

    // Act
    const error = refusal(() =>
      resubmitStep(at(state, '2026-03-06 10:00'), '1a', { supplied: ['总平面图'] }),
    );

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('STEP.NO_SUPPLEMENT_REQUESTED');
    expect(error.message).toBe('step 1a is in_review; a resubmission answers a supplement notice');
  });
});

describe('re-applying a rejected step (退办后重新申请)', () => {
  const REJECTED_AT = '2026-03-05T07:00:00.000Z';
  /** 1a rejected (the project returned), 1b in review, 1c blocked. */
  const returned = (items: Record<string, Partial<ProjectStep>> = {}) =>
    projectState(chain, {
      project: {
        status: 'returned',
        returnedAt: REJECTED_AT,
        executionEndedAt: '2026-03-06T01:00:00.000Z',
        stepsClosed: 1,
      },
      items: {
        '1a': {
          status: 'rejected',
          version: 4,
          outcome: 'rejected',
          decidedAt: REJECTED_AT,
          decidedBy: 'officer-zhao',
          legalBasis: '《土地管理法》第五十二条',
          reason: '选址不符合国土空间规划',
          openedAt: '2026-03-02T01:00:00.000Z',
          submittedAt: '2026-03-02T02:00:00.000Z',
          materialsSubmitted: [],
          clock: StepClockSchema.parse({
            acceptedAt: '2026-03-02T02:00:00.000Z',
            acceptedOn: '2026-03-02',
            promisedDays: 5,
            legalDays: 20,
            pauses: [],
          }),
          dueDate: '2026-03-09',
          legalDueDate: '2026-03-30',
          supplementRounds: 1,
        },
        '1b': { status: 'in_review' },
        '1c': { blocked: true, version: 2 },
        ...items,
      },
    });

  it('starts a new round, keeps the rejection, unblocks the stage and makes the project active again', () => {
    // Prepare
    const state = returned();

    // Act
    const transition = reapplyStep(at(state, '2026-03-20 10:00'), '1a', '已调整选址');

    // Assess
    expectSoundChanges(state, transition);
    expect(changeAt(transition, '1a').after).toEqual({
      projectId: state.project.projectId,
      stepId: '1a',
      stageIndex: 0,
      departmentId: 'NRP',
      kind: 'approval',
      status: 'ready',
      version: 5,
      round: 2,
      supplementRounds: 0,
      openedAt: '2026-03-20T02:00:00.000Z',
      earlierRounds: [
        {
          round: 1,
          outcome: 'rejected',
          decidedAt: REJECTED_AT,
          decidedBy: 'officer-zhao',
          legalBasis: '《土地管理法》第五十二条',
          reason: '选址不符合国土空间规划',
        },
      ],
      updatedAt: '2026-03-20T02:00:00.000Z',
    });
    expect(changeAt(transition, '1c').after).toMatchObject({ status: 'pending', version: 3 });
    expect(changeAt(transition, '1c').after.blocked).toBeUndefined();
    expect(transition.changes).toHaveLength(2);
    expect(transition.events).toEqual([
      {
        type: 'step_reapplied',
        stepId: '1a',
        before: { status: 'rejected', round: 1 },
        after: { status: 'ready', round: 2 },
        data: { note: '已调整选址', unblocked: ['1c'] },
      },
      { type: 'project_reactivated', before: { status: 'returned' }, after: { status: 'active' } },
    ]);
    expect(transition.project).toEqual({
      add: { stepsClosed: -1 },
      set: { status: 'active' },
      remove: ['returnedAt', 'executionEndedAt'],
      expect: { status: 'returned' },
    });
    expect(afterTransition(state, transition).project).toMatchObject({ status: 'active', stepsClosed: 0 });
  });

  it('keeps the project returned while another of its steps is still rejected', () => {
    // Prepare
    const state = returned({ '1b': { status: 'rejected', outcome: 'rejected' } });

    // Act
    const transition = reapplyStep(at(state, '2026-03-20 10:00'), '1a');

    // Assess
    expect(transition.project).toEqual({ add: { stepsClosed: -1 }, expect: { status: 'returned' } });
    expect(transition.events.map((e) => e.type)).toEqual(['step_reapplied']);
  });

  it('keeps every earlier round when a step is rejected again', () => {
    // Prepare: round 2 rejected too
    const first = afterTransition(returned(), reapplyStep(at(returned(), '2026-03-20 10:00'), '1a'));
    const state = withItems(
      { ...first, project: { ...first.project, status: 'returned' } },
      {
        '1a': {
          status: 'rejected',
          outcome: 'rejected',
          decidedAt: '2026-04-01T02:00:00.000Z',
          decidedBy: 'officer-qian',
          legalBasis: '《城乡规划法》第三十七条',
          reason: '仍不符合',
        },
      },
    );

    // Act
    const after = changeAt(reapplyStep(at(state, '2026-04-10 10:00'), '1a'), '1a').after;

    // Assess
    expect(after.round).toBe(3);
    expect(after.earlierRounds?.map((r) => [r.round, r.decidedBy])).toEqual([
      [1, 'officer-zhao'],
      [2, 'officer-qian'],
    ]);
  });

  it('refuses to re-apply a step that is not rejected', () => {
    // Prepare
    const state = reviewing1a();

    // Act
    const error = refusal(() => reapplyStep(at(state, '2026-03-20 10:00'), '1a'));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('STEP.NOT_REJECTED');
    expect(error.message).toBe('step 1a is in_review; only a rejected step can be re-applied');
  });
});

describe('withdrawing the project (撤回/终止)', () => {
  it('closes every open step as withdrawn and removes the execution, leaving closed steps alone', () => {
    // Prepare: 1a approved, 1b in review, 1c pending; stage 2 pending
    const approved = decided(
      reviewing1a({ '1b': { status: 'ready' } }),
      { stepId: '1a' },
      '2026-03-04 10:00',
      {
        outcome: 'approved',
      },
    );
    const open = submitted(approved, '1b', '2026-03-04 11:00');

    // Act
    const transition = withdrawProject(at(open, '2026-03-06 10:00'), '企业调整投资计划');

    // Assess
    expectSoundChanges(open, transition);
    expect(transition.changes.map((c) => c.after.stepId)).toEqual(['1b', '1c', '2a', '2b']);
    for (const { after } of transition.changes) {
      expect(after).toMatchObject({
        status: 'withdrawn',
        outcome: 'withdrawn',
        reason: '企业调整投资计划',
        decidedAt: '2026-03-06T02:00:00.000Z',
      });
      expect(after.dueAt).toBeUndefined();
    }
    expect(transition.project).toEqual({
      set: { status: 'withdrawn', withdrawnAt: '2026-03-06T02:00:00.000Z' },
      remove: ['execution', 'renewAt'],
      expect: { status: 'active' },
    });
    expect(transition.events).toEqual([
      {
        type: 'project_withdrawn',
        before: { status: 'active' },
        after: { status: 'withdrawn' },
        data: { reason: '企业调整投资计划', withdrawnSteps: ['1b', '1c', '2a', '2b'] },
      },
    ]);
    expect(afterTransition(open, transition).project.execution).toBeUndefined();
  });

  it('ends the pause of a step whose supplement was still awaited', () => {
    // Prepare
    const state = decided(reviewing1a(), { stepId: '1a' }, '2026-03-03 11:00', {
      outcome: 'supplement',
      missingMaterials: MISSING,
    });

    // Act
    const after = changeAt(withdrawProject(at(state, '2026-03-06 10:00'), '企业撤回'), '1a').after;

    // Assess
    expect(after.clock?.pauses).toEqual([expect.objectContaining({ toDate: '2026-03-06' })]);
  });

  it('withdraws a returned project, and the parts of a joint review with their step', () => {
    // Prepare
    const state = projectState(joint, {
      project: { status: 'returned' },
      items: {
        plan: { status: 'approved' },
        drawings: { status: 'rejected' },
        'drawings#cad': { status: 'in_review' },
      },
    });

    // Act
    const transition = withdrawProject(at(state, '2026-03-06 10:00'), '企业撤回');

    // Assess
    expect(transition.changes.map((c) => [c.after.stepId, c.after.partId])).toEqual([
      ['drawings', 'fire'],
      ['drawings', 'cad'],
      ['drawings', 'met'],
      ['permit', undefined],
      ['works', undefined],
      ['archives', undefined],
    ]);
    expect(transition.events[0]?.data).toMatchObject({ withdrawnSteps: ['permit', 'works', 'archives'] });
    expect(transition.project?.expect).toEqual({ status: 'returned' });
  });

  it.each(['completed', 'withdrawn'] as const)('refuses to withdraw a %s project', (status) => {
    // Prepare
    const state = projectState(chain, { project: { status } });

    // Act
    const error = refusal(() => withdrawProject(at(state, '2026-03-06 10:00'), '企业撤回'));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('PROJECT.NOT_IN_FLIGHT');
    expect(error.details).toEqual({ status });
  });
});

describe('versions', () => {
  it('moves every item a step’s whole life changes up by exactly one version per change', () => {
    // Prepare
    let state = projectState(chain, {
      items: { '1a': { status: 'approved' }, '1b': { status: 'approved' } },
    });
    const moves = [
      (s: typeof state) => openStep(at(s, '2026-03-02 09:00'), '1c'),
      (s: typeof state) => submitStep(at(s, '2026-03-02 10:00'), '1c', { materials: [] }),
      (s: typeof state) =>
        decideStep(
          at(s, '2026-03-03 10:00'),
          { stepId: '1c' },
          { outcome: 'supplement', missingMaterials: MISSING },
          officer,
        ),
      (s: typeof state) =>
        resubmitStep(at(s, '2026-03-04 10:00'), '1c', { supplied: ['site-plan', '土地权属证明'] }),
      (s: typeof state) =>
        decideStep(
          at(s, '2026-03-05 10:00'),
          { stepId: '1c' },
          { outcome: 'rejected', legalBasis: '法', reason: '不符' },
          officer,
        ),
      (s: typeof state) => reapplyStep(at(s, '2026-03-10 10:00'), '1c'),
      (s: typeof state) => withdrawProject(at(s, '2026-03-11 10:00'), '企业撤回'),
    ];

    // Act and Assess
    for (const move of moves) {
      const transition = move(state);
      expectSoundChanges(state, transition);
      state = afterTransition(state, transition);
    }
    expect(itemAt(state, '1c')).toMatchObject({ status: 'withdrawn', version: 8, round: 2 });
  });
});
