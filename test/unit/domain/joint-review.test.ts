import { describe, expect, it } from 'vitest';
import type { Chain } from '../../../shared/domain/chain.js';
import type { Decision, MissingMaterial } from '../../../shared/domain/decision.js';
import { InvalidInputError, NotFoundError } from '../../../shared/domain/errors.js';
import { jointOutcome, mergeNotices, severity } from '../../../shared/domain/joint-review.js';
import type { ProjectStep } from '../../../shared/domain/project.js';
import { decideStep } from '../../../shared/domain/steps/decision.js';
import { reapplyStep } from '../../../shared/domain/steps/reapplication.js';
import { resubmitStep } from '../../../shared/domain/steps/supplement.js';
import type { ProjectState } from '../../../shared/domain/transition.js';
import { jointReviewChain } from '../../support/chain-fixtures.js';
import {
  at,
  decided,
  decisionRefused,
  expectSoundChanges,
  officer,
  resubmitted,
  submitted,
} from '../../support/lifecycle.js';
import { changeAt, fixtureItems, itemAt, projectState } from '../../support/project-state.js';

/** stage 1: plan → drawings (joint: fire HUD 10/15, cad CAD 5/20, met MET 5/20) → permit; stage 2: works → archives. */
const chain: Chain = jointReviewChain();

/** A part item of `drawings` as it stands; override what the test is about. */
function part(partId: 'fire' | 'cad' | 'met', overrides: Partial<ProjectStep> = {}): ProjectStep {
  const item = fixtureItems(chain).find((i) => i.stepId === 'drawings' && i.partId === partId);
  if (!item) throw new Error(`no part ${partId}`);
  return { ...item, ...overrides };
}

const FIRE_MISSING: MissingMaterial[] = [
  { name: '消防设计专篇', reason: '缺少防火分区说明' },
  { materialId: 'drawings', name: '施工图设计文件', reason: '疏散宽度未标注' },
];
const CAD_MISSING: MissingMaterial[] = [
  { name: '人防工程设计图', reason: '缺少口部详图' },
  { materialId: 'drawings', name: '施工图设计文件', reason: '人防区域未标明' },
];

const supplement = (missingMaterials: MissingMaterial[]): Decision => ({
  outcome: 'supplement',
  missingMaterials,
});
const rejection: Decision = { outcome: 'rejected', legalBasis: '《消防法》第十一条', reason: '防火间距不足' };

/** plan approved; drawings submitted on Monday 2 March 2026 with every material: each part reviews. */
function reviewing(): ProjectState {
  const ready = projectState(chain, {
    items: { plan: { status: 'approved' }, drawings: { status: 'ready' } },
  });
  return submitted(ready, 'drawings', '2026-03-02 10:00', ['drawings', 'survey']);
}

/** The state after each part decides in turn, on Tuesday 3 March. */
function partsDecide(
  state: ProjectState,
  decisions: Array<['fire' | 'cad' | 'met', Decision]>,
): ProjectState {
  return decisions.reduce(
    (s, [partId, decision]) => decided(s, { stepId: 'drawings', partId }, '2026-03-03 10:00', decision),
    state,
  );
}

describe('severity and outcome of a joint review’s parts', () => {
  it('ranks rejected above supplement above approved with conditions above approved above not applicable', () => {
    // Prepare
    const ranked = [
      part('fire', { status: 'rejected' }),
      part('fire', { status: 'supplement_requested' }),
      part('fire', { status: 'approved', outcome: 'approved_with_conditions' }),
      part('fire', { status: 'approved', outcome: 'approved' }),
      part('fire', { status: 'not_applicable' }),
    ];

    // Act
    const severities = ranked.map(severity);

    // Assess
    expect(severities).toEqual([...severities].sort((a, b) => (b ?? 0) - (a ?? 0)));
    expect(new Set(severities).size).toBe(5);
  });

  it.each(['pending', 'ready', 'in_review'] as const)('has no severity for a part that is %s', (status) => {
    expect(severity(part('fire', { status }))).toBeUndefined();
  });

  it('waits while any part is still reviewing', () => {
    // Act
    const outcome = jointOutcome([
      part('fire', { status: 'rejected' }),
      part('cad', { status: 'in_review' }),
      part('met', { status: 'approved', outcome: 'approved' }),
    ]);

    // Assess
    expect(outcome).toEqual({ kind: 'waiting' });
  });

  it('closes not applicable when no part applies', () => {
    // Act
    const outcome = jointOutcome([
      part('fire', { status: 'not_applicable' }),
      part('cad', { status: 'not_applicable' }),
    ]);

    // Assess
    expect(outcome).toEqual({ kind: 'closed', status: 'not_applicable', outcome: 'not_applicable' });
  });

  it('approves when the parts that apply approved and the others do not apply', () => {
    // Act
    const outcome = jointOutcome([
      part('fire', { status: 'approved', outcome: 'approved' }),
      part('cad', { status: 'not_applicable' }),
      part('met', { status: 'deemed_approved', outcome: 'deemed_approved' }),
    ]);

    // Assess
    expect(outcome).toEqual({ kind: 'closed', status: 'approved', outcome: 'approved' });
  });

  it('is deemed approved only when every part that applies was deemed approved', () => {
    // Act
    const outcome = jointOutcome([
      part('fire', { status: 'deemed_approved', outcome: 'deemed_approved' }),
      part('cad', { status: 'not_applicable' }),
    ]);

    // Assess
    expect(outcome).toEqual({ kind: 'closed', status: 'deemed_approved', outcome: 'deemed_approved' });
  });

  it('merges the parts’ notices into one list: each material once, with every part’s reason', () => {
    // Act
    const notice = mergeNotices([
      part('fire', { status: 'supplement_requested', missingMaterials: FIRE_MISSING }),
      part('cad', { status: 'supplement_requested', missingMaterials: CAD_MISSING }),
    ]);

    // Assess
    expect(notice).toEqual([
      { name: '消防设计专篇', reason: '缺少防火分区说明', partId: 'fire', departmentId: 'HUD' },
      {
        materialId: 'drawings',
        name: '施工图设计文件',
        reason: '疏散宽度未标注; 人防区域未标明',
        partId: 'fire',
        departmentId: 'HUD',
      },
      { name: '人防工程设计图', reason: '缺少口部详图', partId: 'cad', departmentId: 'CAD' },
    ]);
  });
});

describe('a joint review (联合审查) through its lifecycle', () => {
  it('gives each part its own clock on submission while the step itself has none', () => {
    // Act
    const state = reviewing();

    // Assess: fire 10 working days, cad and met 5, from Monday 2 March
    expect(itemAt(state, 'drawings')).toMatchObject({ status: 'in_review' });
    expect(itemAt(state, 'drawings').clock).toBeUndefined();
    expect(itemAt(state, 'drawings#fire')).toMatchObject({ status: 'in_review', dueDate: '2026-03-16' });
    expect(itemAt(state, 'drawings#cad')).toMatchObject({ status: 'in_review', dueDate: '2026-03-09' });
    expect(itemAt(state, 'drawings#met')).toMatchObject({ status: 'in_review', dueDate: '2026-03-09' });
  });

  it('keeps the step waiting while a part still reviews, writing it so concurrent parts collide', () => {
    // Prepare
    const state = reviewing();

    // Act
    const transition = decideStep(
      at(state, '2026-03-03 10:00'),
      { stepId: 'drawings', partId: 'cad' },
      { outcome: 'approved' },
      officer,
    );

    // Assess
    expectSoundChanges(state, transition);
    expect(changeAt(transition, 'drawings#cad').after).toMatchObject({
      status: 'approved',
      decidedBy: 'officer-zhao',
    });
    expect(changeAt(transition, 'drawings').after.status).toBe('in_review');
    expect(transition.events).toEqual([
      {
        type: 'step_decided',
        stepId: 'drawings',
        partId: 'cad',
        before: { status: 'in_review' },
        after: { status: 'approved', outcome: 'approved' },
        data: { outcome: 'approved' },
      },
    ]);
    expect(transition.project).toEqual({ add: { decisions: 1 } });
    expect(transition.owed).toEqual([]);
  });

  it('sends one merged notice once every part answered, when fire asks for materials and the others approve', () => {
    // Prepare: fire asks, cad approves; met is the last to answer
    const state = partsDecide(reviewing(), [
      ['fire', supplement(FIRE_MISSING)],
      ['cad', { outcome: 'approved' }],
    ]);
    expect(itemAt(state, 'drawings').status).toBe('in_review');

    // Act
    const transition = decideStep(
      at(state, '2026-03-03 15:00'),
      { stepId: 'drawings', partId: 'met' },
      { outcome: 'approved' },
      officer,
    );

    // Assess
    expectSoundChanges(state, transition);
    const notice = FIRE_MISSING.map((m) => ({ ...m, partId: 'fire', departmentId: 'HUD' }));
    expect(changeAt(transition, 'drawings').after).toMatchObject({
      status: 'supplement_requested',
      missingMaterials: notice,
      supplementRounds: 1,
    });
    expect(transition.events.map((e) => e.type)).toEqual(['step_decided', 'joint_supplement_notice']);
    expect(transition.events[1]).toEqual({
      type: 'joint_supplement_notice',
      stepId: 'drawings',
      before: { status: 'in_review' },
      after: { status: 'supplement_requested' },
      data: { parts: ['fire'], missingMaterials: notice },
    });
    expect(transition.owed).toEqual([]);
  });

  it('sends the agent nothing while the part that asked still waits for the others', () => {
    // Act
    const state = partsDecide(reviewing(), [['fire', supplement(FIRE_MISSING)]]);

    // Assess
    expect(itemAt(state, 'drawings#fire').status).toBe('supplement_requested');
    expect(itemAt(state, 'drawings').status).toBe('in_review');
    expect(itemAt(state, 'drawings').missingMaterials).toBeUndefined();
  });

  it('puts only the part that asked back into review once the agent supplied everything', () => {
    // Prepare
    const state = partsDecide(reviewing(), [
      ['fire', supplement(FIRE_MISSING)],
      ['cad', { outcome: 'approved' }],
      ['met', { outcome: 'approved' }],
    ]);

    // Act: supplied on Thursday 5 March (4 and 5 March stood still for fire)
    const transition = resubmitStep(at(state, '2026-03-05 10:00'), 'drawings', {
      supplied: ['消防设计专篇', 'drawings'],
    });

    // Assess
    expectSoundChanges(state, transition);
    expect(transition.changes.map((c) => c.after.partId)).toEqual([undefined, 'fire']);
    expect(changeAt(transition, 'drawings').after.status).toBe('in_review');
    expect(changeAt(transition, 'drawings#fire').after).toMatchObject({
      status: 'in_review',
      dueDate: '2026-03-18',
    });
    expect(changeAt(transition, 'drawings#fire').after.missingMaterials).toBeUndefined();
    expect(transition.events[0]?.after).toEqual({ status: 'in_review', partsReviewingAgain: ['fire'] });
  });

  it('approves the step when the part that asked approves after the supplement', () => {
    // Prepare
    const asked = partsDecide(reviewing(), [
      ['fire', supplement(FIRE_MISSING)],
      ['cad', { outcome: 'approved' }],
      ['met', { outcome: 'approved' }],
    ]);
    const state = resubmitted(asked, 'drawings', '2026-03-05 10:00', ['消防设计专篇', '施工图设计文件']);

    // Act
    const transition = decideStep(
      at(state, '2026-03-06 10:00'),
      { stepId: 'drawings', partId: 'fire' },
      { outcome: 'approved' },
      officer,
    );

    // Assess
    expectSoundChanges(state, transition);
    expect(changeAt(transition, 'drawings').after).toMatchObject({ status: 'approved', outcome: 'approved' });
    expect(transition.owed).toEqual([
      { kind: 'report', stepId: 'drawings' },
      { kind: 'open_gate', stepId: 'permit' },
    ]);
    expect(transition.project).toEqual({ add: { decisions: 1, stepsClosed: 1 } });
  });

  it('rejects the step when one part rejects and another asked for materials: that request lapses', () => {
    // Prepare: cad asked for materials, met approved; fire is the last to answer
    const state = partsDecide(reviewing(), [
      ['cad', supplement(CAD_MISSING)],
      ['met', { outcome: 'approved' }],
    ]);

    // Act
    const transition = decideStep(
      at(state, '2026-03-04 10:00'),
      { stepId: 'drawings', partId: 'fire' },
      rejection,
      officer,
    );

    // Assess
    expectSoundChanges(state, transition);
    const cad = changeAt(transition, 'drawings#cad').after;
    expect(cad).toMatchObject({
      status: 'withdrawn',
      outcome: 'lapsed',
      decidedAt: '2026-03-04T02:00:00.000Z',
    });
    expect(cad.clock?.pauses.every((p) => p.toDate !== undefined)).toBe(true);
    expect(changeAt(transition, 'drawings').after).toMatchObject({
      status: 'rejected',
      outcome: 'rejected',
      legalBasis: '[fire] 《消防法》第十一条',
      reason: '[fire] 防火间距不足',
    });
    expect(transition.events.map((e) => e.type)).toEqual([
      'step_decided',
      'joint_review_concluded',
      'project_returned',
    ]);
    expect(transition.events[1]?.data).toMatchObject({ lapsedParts: ['cad'] });
    expect(transition.project).toMatchObject({ set: { status: 'returned' } });
    expect(transition.owed).toEqual([
      { kind: 'report', stepId: 'drawings' },
      { kind: 'open_gate', stepId: 'permit' },
    ]);
  });

  it('rejects the step when one part rejected first and another then asks for materials: that request lapses', () => {
    // Prepare: fire rejected, met approved; cad is the last to answer
    const state = partsDecide(reviewing(), [
      ['fire', rejection],
      ['met', { outcome: 'approved' }],
    ]);
    expect(itemAt(state, 'drawings').status).toBe('in_review');

    // Act
    const transition = decideStep(
      at(state, '2026-03-04 10:00'),
      { stepId: 'drawings', partId: 'cad' },
      supplement(CAD_MISSING),
      officer,
    );

    // Assess
    expectSoundChanges(state, transition);
    expect(changeAt(transition, 'drawings#cad').after).toMatchObject({
      status: 'withdrawn',
      outcome: 'lapsed',
      version: itemAt(state, 'drawings#cad').version + 1,
    });
    expect(changeAt(transition, 'drawings').after.status).toBe('rejected');
    expect(transition.owed).toContainEqual({ kind: 'report', stepId: 'drawings' });
  });

  it('approves with every part’s conditions, each tagged with its part, when all approve with conditions', () => {
    // Prepare
    const state = partsDecide(reviewing(), [
      ['fire', { outcome: 'approved_with_conditions', conditions: ['竣工前完成消防设施检测'] }],
      ['cad', { outcome: 'approved_with_conditions', conditions: ['人防门按图施工'] }],
    ]);

    // Act
    const transition = decideStep(
      at(state, '2026-03-04 10:00'),
      { stepId: 'drawings', partId: 'met' },
      { outcome: 'approved_with_conditions', conditions: ['防雷检测合格后投用'] },
      officer,
    );

    // Assess
    expect(changeAt(transition, 'drawings').after).toMatchObject({
      status: 'approved',
      outcome: 'approved_with_conditions',
      conditions: ['[fire] 竣工前完成消防设施检测', '[cad] 人防门按图施工', '[met] 防雷检测合格后投用'],
    });
    expect(transition.events[1]).toMatchObject({
      type: 'joint_review_concluded',
      after: { status: 'approved', outcome: 'approved_with_conditions' },
    });
  });

  it('refuses a decision on the joint step itself, naming the parts and their departments', () => {
    // Prepare
    const state = reviewing();

    // Act
    const error = decisionRefused(state, { stepId: 'drawings' }, '2026-03-03 10:00', { outcome: 'approved' });

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.code).toBe('STEP.DECIDE_A_PART');
    expect(error.message).toContain('(fire: HUD, cad: CAD, met: MET)');
    expect(error.message).toContain('…/steps/drawings/parts/{partId}/decision');
  });

  it('refuses a part the joint review does not have, naming the ones it has', () => {
    // Prepare
    const state = reviewing();

    // Act
    const error = decisionRefused(state, { stepId: 'drawings', partId: 'water' }, '2026-03-03 10:00', {
      outcome: 'approved',
    });

    // Assess
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe("step drawings has no part 'water'; its parts are fire, cad, met");
  });

  it('needs a reason for a part’s second supplement request (一次性告知 holds for each department)', () => {
    // Prepare: fire asked once, the agent supplied it, fire reviews again
    const asked = partsDecide(reviewing(), [
      ['fire', supplement(FIRE_MISSING)],
      ['cad', { outcome: 'approved' }],
      ['met', { outcome: 'approved' }],
    ]);
    const state = resubmitted(asked, 'drawings', '2026-03-04 10:00', ['消防设计专篇', '施工图设计文件']);

    // Act
    const error = decisionRefused(
      state,
      { stepId: 'drawings', partId: 'fire' },
      '2026-03-05 10:00',
      supplement([{ name: '消防水源说明', reason: '未说明' }]),
    );

    // Assess
    expect(error.code).toBe('STEP.SUPPLEMENT_REPEATED');
    expect(error.message).toContain('part fire of step drawings already had a supplement request');
  });

  it('starts every part afresh when the rejected joint review is re-applied', () => {
    // Prepare
    const state = partsDecide(reviewing(), [
      ['cad', supplement(CAD_MISSING)],
      ['met', { outcome: 'approved' }],
      ['fire', rejection],
    ]);

    // Act
    const transition = reapplyStep(at(state, '2026-03-20 10:00'), 'drawings');

    // Assess
    expectSoundChanges(state, transition);
    expect(changeAt(transition, 'drawings').after).toMatchObject({ status: 'ready', round: 2 });
    for (const partId of ['fire', 'cad', 'met']) {
      const after = changeAt(transition, `drawings#${partId}`).after;
      expect(after).toMatchObject({ status: 'pending', round: 2, supplementRounds: 0 });
      expect(after.clock).toBeUndefined();
    }
    expect(changeAt(transition, 'drawings#cad').after.earlierRounds).toEqual([
      {
        round: 1,
        outcome: 'lapsed',
        decidedAt: '2026-03-03T02:00:00.000Z',
        reason: 'another part of the joint review rejected it',
      },
    ]);
  });
});
