import { describe, expect, it } from 'vitest';
import { executionWaitsQuietly } from '../../../shared/domain/execution-health.js';
import type { ItemTokens } from '../../../shared/domain/project.js';
import type { ProjectState } from '../../../shared/domain/transition.js';
import { twoStageChain } from '../../support/chain-fixtures.js';
import { FIXTURE_PROJECT_ID, projectState } from '../../support/project-state.js';

const chain = twoStageChain();
const EXECUTION = `${FIXTURE_PROJECT_ID}-s0-g1`;
const ref = (state: string, execution = EXECUTION) => ({ token: `local:${execution}:${state}`, execution });

/** Stage 1 as its execution leaves it once its handlers ran: 1a and 1b open with task tokens, 1c gated. */
function waiting(tokens: Record<string, ItemTokens> = {}): ProjectState {
  const state = projectState(chain, { items: { '1a': { status: 'in_review' }, '1b': { status: 'ready' } } });
  return {
    ...state,
    tokens: new Map(
      Object.entries({
        '1a': { task: ref('1a') },
        '1b': { task: ref('1b') },
        '1c': { gate: ref('1c-gate') },
        ...tokens,
      }),
    ),
  };
}

describe('executionWaitsQuietly (whether a restart may park the execution)', () => {
  it('says yes when every open step holds a task token and every pending one a shut gate, from this execution', () => {
    // Act + Assess
    expect(executionWaitsQuietly(waiting())).toBe(true);
  });

  it('says no when an open step has no token from this execution (its handler never ran, or ran for another)', () => {
    // Prepare
    const missing = waiting({ '1b': {} });
    const older = waiting({ '1b': { task: ref('1b', `${FIXTURE_PROJECT_ID}-s0-g0`) } });

    // Act + Assess
    expect(executionWaitsQuietly(missing)).toBe(false);
    expect(executionWaitsQuietly(older)).toBe(false);
  });

  it('says no when a pending step has no gate token, or its gate should open now', () => {
    // Prepare
    const noGate = waiting({ '1c': {} });
    const base = waiting();
    const passed: ProjectState = {
      ...base,
      items: new Map(
        [...base.items].map(([key, item]) => [key, key === '1c' ? item : { ...item, status: 'approved' }]),
      ),
    };

    // Act + Assess
    expect(executionWaitsQuietly(noGate)).toBe(false);
    expect(executionWaitsQuietly(passed)).toBe(false);
  });

  it('says no when nothing of the stage is left to wait on (the stage is ending), or the project is not active', () => {
    // Prepare
    const base = waiting();
    const allClosed: ProjectState = {
      ...base,
      items: new Map(
        [...base.items].map(([key, item]) => [
          key,
          item.stageIndex === 0 ? { ...item, status: 'approved' } : item,
        ]),
      ),
    };
    const returned: ProjectState = { ...base, project: { ...base.project, status: 'returned' } };

    // Act + Assess
    expect(executionWaitsQuietly(allClosed)).toBe(false);
    expect(executionWaitsQuietly(returned)).toBe(false);
  });
});
