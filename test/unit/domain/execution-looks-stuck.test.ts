import { describe, expect, it } from 'vitest';
import { executionLooksStuck } from '../../../shared/domain/execution-health.js';
import type { ItemTokens } from '../../../shared/domain/project.js';
import type { ProjectState } from '../../../shared/domain/transition.js';
import { twoStageChain } from '../../support/chain-fixtures.js';
import { FIXTURE_PROJECT_ID, projectState } from '../../support/project-state.js';

const chain = twoStageChain();
const EXECUTION = `${FIXTURE_PROJECT_ID}-s0-g1`;
const ref = (state: string, execution = EXECUTION) => ({ token: `local:${execution}:${state}`, execution });
/** long after the fixture's registration (2026-03-02) */
const LATER = new Date('2026-03-03T00:00:00.000Z');
const STUCK_AFTER = 300;

/** Stage 1 with 1a and 1b open, and the tokens given. */
function open(tokens: Record<string, ItemTokens>): ProjectState {
  const state = projectState(chain, { items: { '1a': { status: 'in_review' }, '1b': { status: 'ready' } } });
  return { ...state, tokens: new Map(Object.entries(tokens)) };
}

describe('executionLooksStuck (an execution that lost track of open steps)', () => {
  it('says no while every open step holds a task token from the current execution', () => {
    // Act + Assess
    expect(
      executionLooksStuck(open({ '1a': { task: ref('1a') }, '1b': { task: ref('1b') } }), LATER, STUCK_AFTER),
    ).toBe(false);
  });

  it('says yes once an open step holds no token, or one of an execution since replaced', () => {
    // Prepare
    const missing = open({ '1a': { task: ref('1a') } });
    const older = open({
      '1a': { task: ref('1a') },
      '1b': { task: ref('1b', `${FIXTURE_PROJECT_ID}-s0-g0`) },
    });

    // Assess
    expect(executionLooksStuck(missing, LATER, STUCK_AFTER)).toBe(true);
    expect(executionLooksStuck(older, LATER, STUCK_AFTER)).toBe(true);
  });

  it('gives a young execution time before saying so', () => {
    // Prepare
    const missing = open({});
    const startedAt = missing.project.execution?.startedAt ?? '';

    // Assess
    expect(executionLooksStuck(missing, new Date(new Date(startedAt).getTime() + 1000), STUCK_AFTER)).toBe(
      false,
    );
  });
});
