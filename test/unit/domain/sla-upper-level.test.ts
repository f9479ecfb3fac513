import { describe, expect, it } from 'vitest';
import type { Chain } from '../../../shared/domain/chain.js';
import { slaStep } from '../../../shared/domain/sla.js';
import { twoStageChain } from '../../support/chain-fixtures.js';
import { at, submitted } from '../../support/lifecycle.js';
import { changeAt, projectState } from '../../support/project-state.js';

/** The test chain with deemed approval (超时默认) allowed on 1a. */
function chainDeemingOn1a(): Chain {
  const chain = structuredClone(twoStageChain());
  const step = chain.stages[0]?.steps.find((s) => s.id === '1a');
  if (!step) throw new Error('the fixture chain has no step 1a');
  step.policy = { ...step.policy, deemedApprovalAllowed: true };
  return chain;
}

describe('the SLA sweep on a step held by a city or provincial department (上下协同)', () => {
  // 1a in review since Monday 2 March 2026, 10:00: its promised limit ends Monday 9 March
  const state = submitted(
    projectState(chainDeemingOn1a(), { items: { '1a': { status: 'ready' } } }),
    '1a',
    '2026-03-02 10:00',
  );

  it('deems the step approved when a district department misses its promised limit', () => {
    // Act
    const { actions, transition } = slaStep(at(state, '2026-03-10 09:00'), { stepId: '1a' });

    // Assess
    expect(actions.map((a) => a.kind)).toContain('deemed');
    expect(changeAt(transition, '1a').after.status).toBe('deemed_approved');
  });

  it('never deems it approved when the city holds it: the breach is marked and the ladder climbs instead', () => {
    // Act
    const { actions, transition } = slaStep(
      at(state, '2026-03-10 09:00'),
      { stepId: '1a' },
      { heldUpstairs: true },
    );

    // Assess
    expect(actions.map((a) => a.kind)).not.toContain('deemed');
    expect(actions.map((a) => a.kind)).toContain('red');
    expect(changeAt(transition, '1a').after.status).toBe('in_review');
  });
});
