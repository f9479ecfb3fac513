import { describe, expect, it } from 'vitest';
import { slaStep } from '../../../shared/domain/sla.js';
import { step1aInReviewSince } from '../../support/deemed-approval.js';
import { at } from '../../support/lifecycle.js';
import { changeAt } from '../../support/project-state.js';

describe('the SLA sweep on a step held by a city or provincial department (上下协同)', () => {
  // 1a in review since Monday 2 March 2026, 10:00: its promised limit ends Monday 9 March
  const state = step1aInReviewSince('2026-03-02 10:00');

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
