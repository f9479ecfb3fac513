import { describe, expect, it } from 'vitest';
import type { Chain } from '../../../shared/domain/chain.js';
import { statsOf } from '../../../shared/domain/counted-against.js';
import { decideStep } from '../../../shared/domain/steps/decision.js';
import { reapplyStep } from '../../../shared/domain/steps/reapplication.js';
import { submitStep } from '../../../shared/domain/steps/submission.js';
import { jointReviewChain, twoStageChain } from '../../support/chain-fixtures.js';
import {
  at,
  calendar,
  decided,
  officer,
  resubmitted as resubmittedAt,
  submitted,
} from '../../support/lifecycle.js';
import { projectState } from '../../support/project-state.js';

/** stage 1: 1a, 1b → 1c; stage 2: 2a → 2b. Every step: NRP, 5 promised, 20 legal working days. */
const chain: Chain = twoStageChain();
/** plan → drawings (joint: fire HUD 10/15, cad CAD 5/20, met MET 5/20) → permit. */
const joint: Chain = jointReviewChain();

/** 1a in review since Monday 2 March 2026, 10:00: its promised limit is due Monday 9 March. */
const reviewing = () =>
  submitted(projectState(chain, { items: { '1a': { status: 'ready' } } }), '1a', '2026-03-02 10:00');

const countsOf = (additions: ReturnType<typeof statsOf>, dimension: string, id: string) =>
  additions.filter((a) => a.dimension === dimension && a.id === id).map((a) => a.add);

describe('what counts against a department (and for its agent)', () => {
  it('counts a submission for the agent only: nobody has decided anything yet', () => {
    // Prepare
    const state = projectState(chain, { items: { '1a': { status: 'ready' } } });
    const input = at(state, '2026-03-02 10:00');

    // Act
    const additions = statsOf(state, submitStep(input, '1a', { materials: [] }), input.now, calendar);

    // Assess
    expect(additions).toEqual([{ dimension: 'agent', id: 'agent-wang', add: { submitted: 1 } }]);
  });

  it('counts a decision in time as on time, with the working days it took against both limits', () => {
    // Prepare
    const state = reviewing();
    const input = at(state, '2026-03-04 16:00');

    // Act
    const transition = decideStep(input, { stepId: '1a' }, { outcome: 'approved' }, officer);
    const additions = statsOf(state, transition, input.now, calendar);

    // Assess
    const decision = { decided: 1, onTime: 1, workingDaysUsed: 2, promisedDays: 5, legalDays: 20 };
    expect(countsOf(additions, 'department', 'NRP')).toEqual([decision]);
    expect(countsOf(additions, 'agent', 'agent-wang')).toEqual([decision]);
  });

  it('counts a decision after the promised limit as late, and a rejection as one', () => {
    // Prepare
    const state = reviewing();
    const input = at(state, '2026-03-11 10:00');

    // Act
    const transition = decideStep(
      input,
      { stepId: '1a' },
      { outcome: 'rejected', reason: '不符合规划', legalBasis: '《城乡规划法》第三十八条' },
      officer,
    );
    const [department] = countsOf(statsOf(state, transition, input.now, calendar), 'department', 'NRP');

    // Assess
    expect(department).toMatchObject({ decided: 1, late: 1, rejected: 1 });
    expect(department).not.toHaveProperty('onTime');
  });

  it('counts a second supplement request on the same step as a violation of the one-time notice (一次性告知)', () => {
    // Prepare
    const missing = [{ name: '土地权属证明', reason: '未提供' }];
    const first = decided(reviewing(), { stepId: '1a' }, '2026-03-02 14:00', {
      outcome: 'supplement',
      missingMaterials: missing,
    });
    const resubmitted = resubmittedAt(first, '1a', '2026-03-03 09:00', ['土地权属证明']);
    const input = at(resubmitted, '2026-03-03 10:00');

    // Act
    const transition = decideStep(
      input,
      { stepId: '1a' },
      { outcome: 'supplement', missingMaterials: missing, repeatReason: '规划条件调整后新增' },
      officer,
    );

    // Assess
    expect(countsOf(statsOf(resubmitted, transition, input.now, calendar), 'department', 'NRP')).toEqual([
      { supplements: 1, oneTimeNoticeViolations: 1 },
    ]);
  });

  it('counts a deemed approval (超时默认) against the department that missed its limit', () => {
    // Prepare
    const state = reviewing();
    const input = at(state, '2026-03-10 09:00');

    // Act
    const transition = decideStep(
      input,
      { stepId: '1a' },
      { outcome: 'deemed_approved', reason: '超过承诺时限' },
      { userId: 'system', via: 'sla' },
    );

    // Assess
    expect(countsOf(statsOf(state, transition, input.now, calendar), 'department', 'NRP')).toEqual([
      expect.objectContaining({ decided: 1, late: 1, deemedApprovals: 1 }),
    ]);
  });

  it("counts a joint review's part against the part's own department, not the step's", () => {
    // Prepare
    const state = submitted(
      projectState(joint, { items: { plan: { status: 'approved' }, drawings: { status: 'ready' } } }),
      'drawings',
      '2026-03-02 10:00',
      ['drawings', 'survey'],
    );
    const input = at(state, '2026-03-03 10:00');

    // Act
    const transition = decideStep(
      input,
      { stepId: 'drawings', partId: 'cad' },
      { outcome: 'approved' },
      officer,
    );
    const additions = statsOf(state, transition, input.now, calendar);

    // Assess
    expect(countsOf(additions, 'department', 'CAD')).toEqual([expect.objectContaining({ decided: 1 })]);
    expect(countsOf(additions, 'department', 'HUD')).toEqual([]);
  });

  it('counts a re-application for the agent, and nothing against the department that rejected', () => {
    // Prepare
    const state = projectState(chain, {
      project: { status: 'returned' },
      items: { '1a': { status: 'rejected', decidedAt: '2026-03-03T02:00:00.000Z' } },
    });
    const input = at(state, '2026-03-05 10:00');

    // Act
    const additions = statsOf(state, reapplyStep(input, '1a'), input.now, calendar);

    // Assess
    expect(additions).toEqual([{ dimension: 'agent', id: 'agent-wang', add: { reapplied: 1 } }]);
  });
});
