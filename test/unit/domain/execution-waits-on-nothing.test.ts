import { describe, expect, it } from 'vitest';
import { executionWaitsOnNothing } from '../../../shared/domain/execution-health.js';
import type { ItemTokens } from '../../../shared/domain/project.js';
import type { ProjectState } from '../../../shared/domain/transition.js';
import type { OutboxEntry } from '../../../shared/store/store.port.js';
import { twoStageChain } from '../../support/chain-fixtures.js';
import { FIXTURE_PROJECT_ID, type ItemOverrides, projectState } from '../../support/project-state.js';

const chain = twoStageChain();
const EXECUTION = `${FIXTURE_PROJECT_ID}-s0-g1`;
const ref = (state: string, execution = EXECUTION) => ({ token: `local:${execution}:${state}`, execution });
/** long after the fixture's registration (2026-03-02) and every change of it */
const LATER = new Date('2026-03-03T00:00:00.000Z');
const STUCK_AFTER = 300;

/** Stage 1 as its execution leaves it: 1a and 1b open with task tokens, 1c waiting at its gate. */
function state(
  items: Record<string, ItemOverrides> = {
    '1a': { status: 'in_review' },
    '1b': { status: 'ready' },
  },
  tokens: Record<string, ItemTokens> = {
    '1a': { task: ref('1a') },
    '1b': { task: ref('1b') },
    '1c': { gate: ref('1c-gate') },
  },
): ProjectState {
  return { ...projectState(chain, { items }), tokens: new Map(Object.entries(tokens)) };
}

const owing = (token: string): OutboxEntry => ({
  projectId: FIXTURE_PROJECT_ID,
  outboxId: '01OUTBOX',
  createdAt: '2026-03-02T01:00:00.000Z',
  retryAt: '2026-03-02T01:00:30.000Z',
  attempts: 0,
  sends: [{ type: 'task_success', token, output: { open: true }, what: 'gate' }],
});

describe('executionWaitsOnNothing (what the audit renews although the engine says it runs)', () => {
  it('says nothing of an execution whose open steps hold its tasks and whose pending step waits at a shut gate', () => {
    expect(executionWaitsOnNothing(state(), [], LATER, STUCK_AFTER)).toBeUndefined();
  });

  it('finds a fresh stage whose steps are all pending with no task or gate of the execution', () => {
    // Act
    const reason = executionWaitsOnNothing(state({}, {}), [], LATER, STUCK_AFTER);

    // Assess
    expect(reason).toContain('never opened');
  });

  it('finds a gate that should have opened when no signal is owed to it, and waits while one is', () => {
    // Prepare: 1a and 1b approved, so 1c's gate should be open
    const passed = state(
      { '1a': { status: 'approved' }, '1b': { status: 'approved' } },
      { '1c': { gate: ref('1c-gate') } },
    );

    // Act / Assess
    expect(executionWaitsOnNothing(passed, [], LATER, STUCK_AFTER)).toContain('gate of step 1c');
    expect(
      executionWaitsOnNothing(passed, [owing(ref('1c-gate').token)], LATER, STUCK_AFTER),
    ).toBeUndefined();
  });

  it('does not count a signal owed to an execution that is gone', () => {
    // Prepare: the gate's token is from this execution; the outbox owes a signal to the previous generation's
    const passed = state(
      { '1a': { status: 'approved' }, '1b': { status: 'approved' } },
      { '1c': { gate: ref('1c-gate') } },
    );
    const gone = owing(ref('1c-gate', `${FIXTURE_PROJECT_ID}-s0-g0`).token);

    // Act / Assess
    expect(executionWaitsOnNothing(passed, [gone], LATER, STUCK_AFTER)).toContain('gate of step 1c');
  });

  it('finds a stage whose steps are all decided but which never finished', () => {
    const decided = state(
      { '1a': { status: 'approved' }, '1b': { status: 'approved' }, '1c': { status: 'approved' } },
      { '1c': { task: ref('1c') } },
    );
    expect(executionWaitsOnNothing(decided, [], LATER, STUCK_AFTER)).toContain('never finished');
    expect(executionWaitsOnNothing(decided, [owing(ref('1c').token)], LATER, STUCK_AFTER)).toBeUndefined();
  });

  it('finds an open step whose task is not the execution’s', () => {
    const other = state(undefined, {
      '1a': { task: ref('1a', `${FIXTURE_PROJECT_ID}-s0-g0`) },
      '1b': { task: ref('1b') },
      '1c': { gate: ref('1c-gate') },
    });
    expect(executionWaitsOnNothing(other, [], LATER, STUCK_AFTER)).toContain('1a is open');
  });

  it('gives a project that moved within stuckAfterSeconds time (a stage just started or finishing)', () => {
    // Prepare: nothing stored yet, but the project changed a minute ago
    const fresh = state({ '1a': { status: 'pending', updatedAt: '2026-03-02T23:59:00.000Z' } }, {});

    // Act / Assess
    expect(executionWaitsOnNothing(fresh, [], LATER, STUCK_AFTER)).toBeUndefined();
    expect(executionWaitsOnNothing(fresh, [], LATER, 30)).toContain('never opened');
  });

  it('leaves returned projects and projects without an execution alone', () => {
    const returned = { ...state({}, {}), project: { ...state().project, status: 'returned' as const } };
    const none = { ...state({}, {}), project: { ...state().project, execution: undefined } };
    expect(executionWaitsOnNothing(returned, [], LATER, STUCK_AFTER)).toBeUndefined();
    expect(executionWaitsOnNothing(none, [], LATER, STUCK_AFTER)).toBeUndefined();
  });
});
