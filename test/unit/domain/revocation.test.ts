import { describe, expect, it } from 'vitest';
import { approvalsCsv, approvalsOf } from '../../../shared/domain/approvals.js';
import { caseFactsOf, caseKindsOf } from '../../../shared/domain/case-kinds.js';
import { type Chain, ChainSchema } from '../../../shared/domain/chain.js';
import { brokenInvariants } from '../../../shared/domain/project-invariants.js';
import { stageEnd } from '../../../shared/domain/stage-end.js';
import { verifyCommitment } from '../../../shared/domain/steps/commitment-verification.js';
import { decideStep } from '../../../shared/domain/steps/decision.js';
import { reapplyStep } from '../../../shared/domain/steps/reapplication.js';
import { submitStep } from '../../../shared/domain/steps/submission.js';
import type { ProjectState } from '../../../shared/domain/transition.js';
import { fixtureStep } from '../../support/chain-fixtures.js';
import { at, decisionRefused, officer } from '../../support/lifecycle.js';
import { afterTransition, itemAt, projectState } from '../../support/project-state.js';

/**
 * stage 1: 1a on commitment (告知承诺制), 1b needs 1a, 1c on its own; stage 2: 2a needs 1b, 2b on its own.
 * So a revoked 1a takes back 1b (its dependent in stage 1) and 2a (through 1b, in stage 2), never 1c or 2b.
 */
const chain: Chain = ChainSchema.parse({
  id: 'revocation-chain',
  version: 1,
  name: '撤销流程',
  nameEn: 'Revocation chain',
  targetWorkingDays: 60,
  stages: [
    {
      id: 'stage-1',
      name: '立项用地',
      nameEn: 'Project and land',
      leadDepartmentId: 'DRC',
      steps: [
        fixtureStep('1a', [], {
          materials: [
            { id: 'form', name: '申请表' },
            { id: 'proof', name: '权属证明' },
          ],
          policy: {
            deemedApprovalAllowed: false,
            acceptWithMinorMissing: false,
            commitment: { materials: ['proof'], verificationDays: 5 },
          },
        }),
        fixtureStep('1b', ['1a']),
        fixtureStep('1c'),
      ],
    },
    {
      id: 'stage-2',
      name: '工程建设',
      nameEn: 'Construction',
      leadDepartmentId: 'HUD',
      steps: [fixtureStep('2a', ['1b']), fixtureStep('2b')],
    },
  ],
});

const approve = { outcome: 'approved', document: { number: '宁规〔2026〕1号', date: '2026-03-02' } } as const;

/** 1a approved on commitment on 2 March, 1b and 1c approved, the project in stage 2: 2a approved, 2b in review. */
function inStage2(): ProjectState {
  let state = projectState(chain, { items: { '1a': { status: 'ready' } } });
  state = afterTransition(
    state,
    submitStep(at(state, '2026-03-02 09:00'), '1a', {
      materials: ['form'],
      commitment: { signatory: '张伟', signedOn: '2026-03-01' },
    }),
  );
  state = afterTransition(
    state,
    decideStep(at(state, '2026-03-02 10:00'), { stepId: '1a' }, approve, officer),
  );
  return projectState(chain, {
    project: { currentStageIndex: 1, leadDepartmentId: 'HUD', stepsClosed: 4 },
    items: {
      '1a': itemAt(state, '1a'),
      '1b': {
        status: 'approved',
        submittedAt: '2026-03-03T01:00:00.000Z',
        decidedAt: '2026-03-04T01:00:00.000Z',
      },
      '1c': { status: 'approved', decidedAt: '2026-03-04T01:00:00.000Z' },
      '2a': {
        status: 'approved',
        submittedAt: '2026-03-05T01:00:00.000Z',
        decidedAt: '2026-03-06T01:00:00.000Z',
        approvalDocument: { number: '宁建〔2026〕7号', date: '2026-03-06', source: 'department' },
      },
      '2b': { status: 'in_review', submittedAt: '2026-03-05T01:00:00.000Z' },
    },
  });
}

const failed = { result: 'failed', findings: '现场核查与承诺不符' } as const;

describe('a revoked approval takes back what rested on it', () => {
  it('reopens the dependents approved since, in its stage and later ones, with the reason, and leaves the rest', () => {
    // Prepare
    const state = inStage2();

    // Act
    const transition = verifyCommitment(at(state, '2026-03-09 10:00'), '1a', failed, officer);
    const after = afterTransition(state, transition);

    // Assess
    expect(itemAt(after, '1a')).toMatchObject({ status: 'rejected', outcome: 'revoked' });
    for (const id of ['1b', '2a']) {
      expect(itemAt(after, id)).toMatchObject({ status: 'pending', round: 2 });
      expect(itemAt(after, id).earlierRounds?.[0]).toMatchObject({
        round: 1,
        outcome: 'reopened',
        was: 'approved',
        reason: expect.stringContaining('第 1a 项审批经告知承诺核查不符已撤销'),
      });
    }
    expect(itemAt(after, '1c').status).toBe('approved');
    expect(itemAt(after, '2b').status).toBe('in_review');
    expect(transition.events.filter((e) => e.type === 'step_reopened').map((e) => e.stepId)).toEqual([
      '1b',
      '2a',
    ]);
    expect(after.project.stepsClosed).toBe(2);
  });

  it('takes the project back to the stage of the revoked step, its executions named apart from then on', () => {
    // Prepare
    const state = inStage2();

    // Act
    const transition = verifyCommitment(at(state, '2026-03-09 10:00'), '1a', failed, officer);
    const after = afterTransition(state, transition);

    // Assess
    expect(after.project).toMatchObject({
      status: 'returned',
      currentStageIndex: 0,
      leadDepartmentId: 'DRC',
      rewinds: 1,
    });
    expect(transition.events.find((e) => e.type === 'stage_reopened')).toMatchObject({
      before: { stageIndex: 1 },
      after: { stageIndex: 0 },
    });
    expect(brokenInvariants(after)).toEqual([]);
  });

  it('does not let the stage the project left end it (the re-application in stage 2 completed the project)', () => {
    // Prepare: revoked, then re-applied
    const state = inStage2();
    const revoked = afterTransition(
      state,
      verifyCommitment(at(state, '2026-03-09 10:00'), '1a', failed, officer),
    );
    const reapplied = afterTransition(revoked, reapplyStep(at(revoked, '2026-03-10 10:00'), '1a'));

    // Act / Assess: a late report of stage 2 moves nothing; stage 1 is not done until 1a and 1b pass again
    expect(reapplied.project).toMatchObject({ status: 'active', currentStageIndex: 0 });
    expect(itemAt(reapplied, '1a')).toMatchObject({ status: 'ready', round: 2 });
    expect(stageEnd(reapplied, 1)).toMatchObject({ kind: 'none' });
    expect(stageEnd(reapplied, 0)).toMatchObject({
      kind: 'none',
      why: expect.stringContaining('1a (ready)'),
    });
    expect(brokenInvariants(reapplied)).toEqual([]);
  });

  it('keeps the revoked approval and the reopened one on the approvals list and CSV, and the step stays 退办件', () => {
    // Prepare
    const state = inStage2();
    const revoked = afterTransition(
      state,
      verifyCommitment(at(state, '2026-03-09 10:00'), '1a', failed, officer),
    );
    let again = afterTransition(revoked, reapplyStep(at(revoked, '2026-03-10 10:00'), '1a'));
    again = afterTransition(
      again,
      submitStep(at(again, '2026-03-10 11:00'), '1a', { materials: ['form', 'proof'] }),
    );
    again = afterTransition(
      again,
      decideStep(
        at(again, '2026-03-11 10:00'),
        { stepId: '1a' },
        { outcome: 'approved', document: { number: '宁规〔2026〕9号', date: '2026-03-11' } },
        officer,
      ),
    );

    // Act
    const rows = approvalsOf(again, []);

    // Assess
    expect(rows.filter((r) => r.stepId === '1a')).toEqual([
      expect.objectContaining({
        outcome: 'revoked',
        documentNumber: '宁规〔2026〕1号',
        decidedAt: '2026-03-02T02:00:00.000Z',
        endedAt: '2026-03-09T02:00:00.000Z',
      }),
      expect.objectContaining({ outcome: 'approved', documentNumber: '宁规〔2026〕9号' }),
    ]);
    expect(rows.find((r) => r.stepId === '2a')).toMatchObject({
      outcome: 'reopened',
      documentNumber: '宁建〔2026〕7号',
    });
    const csv = approvalsCsv(again.project, rows);
    expect(csv).toContain(
      '"已撤销（告知承诺核查不符）","宁规〔2026〕1号","2026-03-02","2026-03-02","审批部门出具","","2026-03-09"',
    );
    const definition = chain.stages[0]?.steps.find((step) => step.id === '1a');
    if (!definition) throw new Error('the chain has no step 1a');
    expect(caseKindsOf(caseFactsOf(definition, itemAt(again, '1a')))).toContain('returned');
  });

  it('refuses to approve a step while its prerequisite stands revoked, saying which', () => {
    // Prepare: stored before revocations reopened dependents: 1b still in review on a revoked 1a
    const state = projectState(chain, {
      project: { status: 'returned' },
      items: {
        '1a': { status: 'rejected', outcome: 'revoked' },
        '1b': { status: 'in_review', submittedAt: '2026-03-03T01:00:00.000Z' },
      },
    });

    // Act
    const error = decisionRefused(state, { stepId: '1b' }, '2026-03-09 10:00', approve);

    // Assess
    expect(error.code).toBe('STEP.PREREQUISITE_NOT_PASSED');
    expect(error.message).toContain('prerequisite step 1a is revoked');
  });
});
