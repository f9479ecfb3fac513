import { describe, expect, it } from 'vitest';
import { assertInvariants } from '../../../shared/domain/effects/kept-invariants.js';
import { ConflictError } from '../../../shared/domain/errors.js';
import type { Transition } from '../../../shared/domain/transition.js';
import { twoStageChain } from '../../support/chain-fixtures.js';
import { refusal } from '../../support/lifecycle.js';
import { projectState } from '../../support/project-state.js';

/** stage 1: 1a, 1b → 1c; stage 2: 2a (needs 1a) → 2b (needs 2a and 1c). */
const chain = twoStageChain();

const completing: Transition = {
  changes: [],
  events: [{ type: 'project_completed' }],
  project: { set: { status: 'completed' } },
  owed: [],
  relies: [],
};

describe('every transaction keeps the project consistent', () => {
  it('refuses a change that would complete a project with a step still open, naming it (409 PROJECT.INVARIANT)', () => {
    // Prepare
    const state = projectState(chain, {
      project: { currentStageIndex: 1 },
      items: {
        '1a': { status: 'approved' },
        '1b': { status: 'approved' },
        '1c': { status: 'approved' },
        '2a': { status: 'approved' },
        '2b': { status: 'ready' },
      },
    });

    // Act
    const error = refusal(() => assertInvariants(state, completing));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('PROJECT.INVARIANT');
    expect(error.message).toContain('the project is completed but step 2b is ready');
  });

  it('lets a change through that leaves an old contradiction as it was (the change that repairs it must pass)', () => {
    // Prepare: stored before the checks existed: stage 1 behind the project with 1b revoked
    const state = projectState(chain, {
      project: { status: 'returned', currentStageIndex: 1 },
      items: {
        '1a': { status: 'approved' },
        '1b': { status: 'rejected', outcome: 'revoked' },
        '1c': { status: 'approved' },
        '2a': { status: 'in_review' },
      },
    });
    const touching: Transition = { changes: [], events: [{ type: 'clock_paused' }], owed: [], relies: [] };

    // Act / Assess
    expect(() => assertInvariants(state, touching)).not.toThrow();
  });
});
