import { describe, expect, it } from 'vitest';
import { brokenInvariants } from '../../../shared/domain/project-invariants.js';
import { twoStageChain } from '../../support/chain-fixtures.js';
import { projectState } from '../../support/project-state.js';

/** stage 1: 1a, 1b → 1c (gated on both); stage 2: 2a (needs 1a) → 2b (needs 2a and 1c). */
const chain = twoStageChain();
const passedStage1 = {
  '1a': { status: 'approved' as const },
  '1b': { status: 'approved' as const },
  '1c': { status: 'approved' as const },
};

describe('the invariants of a project (a project never contradicts itself)', () => {
  it('finds nothing broken in a project just registered, nor in one moving through its stages', () => {
    expect(brokenInvariants(projectState(chain))).toEqual([]);
    expect(
      brokenInvariants(
        projectState(chain, {
          project: { currentStageIndex: 1 },
          items: { ...passedStage1, '2a': { status: 'in_review' } },
        }),
      ),
    ).toEqual([]);
  });

  it('finds a completed project with a step still open', () => {
    const state = projectState(chain, {
      project: { status: 'completed', currentStageIndex: 1 },
      items: { ...passedStage1, '2a': { status: 'approved' }, '2b': { status: 'ready' } },
    });

    expect(brokenInvariants(state)).toEqual([
      expect.objectContaining({ invariant: 'completed_has_open_step', stepId: '2b' }),
    ]);
  });

  it('finds a stage behind the project with a step not passed (a revoked approval in an earlier stage)', () => {
    const state = projectState(chain, {
      project: { status: 'returned', currentStageIndex: 1 },
      items: { ...passedStage1, '1b': { status: 'rejected', outcome: 'revoked' } },
    });

    expect(brokenInvariants(state)).toEqual([
      expect.objectContaining({ invariant: 'stage_done_with_open_step', stepId: '1b' }),
      expect.objectContaining({ invariant: 'approved_on_unpassed_prerequisite', stepId: '1c' }),
    ]);
    expect(brokenInvariants(state)[1]?.message).toContain('prerequisite 1b is revoked');
  });

  it('finds a step approved while one of its prerequisites stands rejected', () => {
    const state = projectState(chain, {
      project: { status: 'returned' },
      items: { '1a': { status: 'rejected' }, '1b': { status: 'approved' }, '1c': { status: 'approved' } },
    });

    expect(brokenInvariants(state)).toEqual([
      expect.objectContaining({ invariant: 'approved_on_unpassed_prerequisite', stepId: '1c' }),
    ]);
  });

  it('finds a returned project with no rejected step, and an active one with a rejected step', () => {
    expect(brokenInvariants(projectState(chain, { project: { status: 'returned' } }))).toEqual([
      expect.objectContaining({ invariant: 'returned_without_rejection' }),
    ]);
    expect(brokenInvariants(projectState(chain, { items: { '1a': { status: 'rejected' } } }))).toEqual([
      expect.objectContaining({ invariant: 'active_with_rejection' }),
    ]);
  });

  it('takes steps not applicable or deemed approved as passed', () => {
    const state = projectState(chain, {
      project: { currentStageIndex: 1 },
      items: {
        '1a': { status: 'deemed_approved' },
        '1b': { status: 'not_applicable' },
        '1c': { status: 'approved' },
        '2a': { status: 'approved' },
      },
    });

    expect(brokenInvariants(state)).toEqual([]);
  });
});
