import { describe, expect, it } from 'vitest';
import type { Chain } from '../../../shared/domain/chain.js';
import {
  gateShouldOpen,
  gatesAfterClosing,
  gatesToRelease,
  stoppingPrerequisite,
} from '../../../shared/domain/gates.js';
import type { ProjectStatus, StepStatus } from '../../../shared/domain/step-status.js';
import { twoStageChain } from '../../support/chain-fixtures.js';
import { itemAt, projectState } from '../../support/project-state.js';

/** stage 1: 1a, 1b → 1c (gated on both); stage 2: 2a (needs 1a, an earlier stage) → 2b (needs 2a and 1c). */
const chain: Chain = twoStageChain();

/** A project on the two-stage chain with 1a and 1b as given. */
const stage1 = (a: StepStatus, b: StepStatus, project: { status?: ProjectStatus } = {}) =>
  projectState(chain, { project, items: { '1a': { status: a }, '1b': { status: b } } });

describe('whether a step’s gate opens (并联审批)', () => {
  it.each([
    ['approved', 'approved'],
    ['approved', 'deemed_approved'],
    ['not_applicable', 'approved'],
  ] as const)('opens when every in-stage prerequisite passed (%s, %s)', (a, b) => {
    expect(gateShouldOpen(stage1(a, b), '1c')).toBe(true);
  });

  it.each([
    ['approved', 'in_review'],
    ['approved', 'supplement_requested'],
    ['pending', 'approved'],
    ['ready', 'ready'],
  ] as const)('keeps waiting while a prerequisite is still open (%s, %s)', (a, b) => {
    expect(gateShouldOpen(stage1(a, b), '1c')).toBe(false);
  });

  it('opens for a step that can never open, so its task ends as blocked: a prerequisite was rejected', () => {
    // Prepare
    const state = stage1('rejected', 'in_review');

    // Act and Assess
    expect(gateShouldOpen(state, '1c')).toBe(true);
    expect(stoppingPrerequisite(state, '1c')?.stepId).toBe('1a');
  });

  it('opens when a prerequisite was itself blocked', () => {
    // Prepare
    const state = projectState(chain, {
      project: { currentStageIndex: 1 },
      items: { '2a': { blocked: true } },
    });

    // Act and Assess
    expect(gateShouldOpen(state, '2b')).toBe(true);
    expect(stoppingPrerequisite(state, '2b')?.stepId).toBe('2a');
  });

  it.each(['returned', 'withdrawn', 'completed'] as const)('opens every gate of a %s project', (status) => {
    expect(gateShouldOpen(stage1('in_review', 'in_review', { status }), '1c')).toBe(true);
  });

  it('opens for a step that is already closed or blocked (a late delivery)', () => {
    // Prepare
    const withdrawn = projectState(chain, { items: { '1c': { status: 'withdrawn' } } });
    const blocked = projectState(chain, { items: { '1c': { blocked: true } } });

    // Act and Assess
    expect(gateShouldOpen(withdrawn, '1c')).toBe(true);
    expect(gateShouldOpen(blocked, '1c')).toBe(true);
  });

  it('never waits on a prerequisite from an earlier stage (stages run in order)', () => {
    // Prepare: 2a needs 1a, which is only in review in this made-up state
    const state = projectState(chain, { items: { '1a': { status: 'in_review' } } });

    // Act and Assess
    expect(gateShouldOpen(state, '2a')).toBe(true);
  });
});

describe('the gates a change releases', () => {
  it('owes the opening of each waiting step whose gate may open, relying on it', () => {
    // Act
    const released = gatesToRelease(stage1('approved', 'approved'), ['1c']);

    // Assess
    expect(released).toEqual({ owed: [{ kind: 'open_gate', stepId: '1c' }], relies: ['1c'] });
  });

  it('relies on a gate still waiting and on each of its prerequisites not yet passed', () => {
    // Act
    const released = gatesToRelease(stage1('approved', 'in_review'), ['1c']);

    // Assess
    expect(released).toEqual({ owed: [], relies: ['1c', '1b'] });
  });

  it.each([
    { what: 'open', item: { status: 'ready' as const } },
    { what: 'closed', item: { status: 'withdrawn' as const } },
    { what: 'blocked', item: { blocked: true } },
  ])('leaves out a step that is already $what', ({ item }) => {
    // Prepare
    const state = projectState(chain, {
      items: { '1a': { status: 'approved' }, '1b': { status: 'approved' }, '1c': item },
    });

    // Act and Assess
    expect(gatesToRelease(state, ['1c'])).toEqual({ owed: [], relies: [] });
  });

  it('looks at the closed step’s dependents in its stage while the project is active', () => {
    // Prepare: 1a just approved
    const state = stage1('approved', 'approved');

    // Act
    const released = gatesAfterClosing(state, itemAt(state, '1a'));

    // Assess: 2a depends on 1a too, but from the next stage: the stage's start opens it
    expect(released.owed).toEqual([{ kind: 'open_gate', stepId: '1c' }]);
  });

  it('releases every waiting step of the stage once the project is no longer active', () => {
    // Prepare: 1a rejected returned the project; 1b and 1c still pending
    const state = stage1('rejected', 'pending', { status: 'returned' });

    // Act
    const released = gatesAfterClosing(state, itemAt(state, '1a'));

    // Assess
    expect(released.owed).toEqual([
      { kind: 'open_gate', stepId: '1b' },
      { kind: 'open_gate', stepId: '1c' },
    ]);
    expect(released.relies).toEqual(['1b', '1c']);
  });
});
