import { describe, expect, it } from 'vitest';
import { type Batch, type BatchItem, carriedUp } from '../../../shared/domain/batch.js';
import {
  assertDistinctSteps,
  assertInNoOpenBatch,
  batchDestination,
  batchItemOf,
  batchListFilter,
  carriedStep,
  collectedOutcomes,
  collectionPlan,
  lastOpenedOf,
  newBatch,
  openBatchSteps,
} from '../../../shared/domain/batch-rules.js';
import type { Chain } from '../../../shared/domain/chain.js';
import type { Department } from '../../../shared/domain/department.js';
import type { Principal } from '../../../shared/domain/principal.js';
import { jointReviewChain, twoStageChain } from '../../support/chain-fixtures.js';
import { at, refusal } from '../../support/lifecycle.js';
import { chinaTime, projectState } from '../../support/project-state.js';

/** stage 1: 1a, 1b → 1c; stage 2: 2a → 2b. 1a and 1b are held by the city's ENV_CITY below. */
const chain: Chain = twoStageChain();
const envCity: Department = { id: 'ENV_CITY', name: '市生态环境局', level: 'city' } as Department;
const district: Department = { id: 'ENV', name: '生态环境局', level: 'district' } as Department;

const wang: Principal = { userId: 'agent-wang', role: 'agent', name: '王代办' };
const li: Principal = { userId: 'agent-li', role: 'agent', name: '李代办' };

const state = projectState(chain, {
  items: {
    '1a': { status: 'ready', departmentId: 'ENV_CITY', openedAt: '2026-03-02T02:00:00.000Z' },
    '1b': { status: 'ready', departmentId: 'ENV_CITY', openedAt: '2026-03-03T02:00:00.000Z' },
    '1c': { departmentId: 'ENV_CITY' },
  },
});
const now = chinaTime('2026-03-10 09:00');
const batchOf = (items: BatchItem[]): Batch =>
  newBatch({ batchId: 'b1', department: envCity, agentId: 'agent-wang', items, now });

describe('what goes in a batch carried up (上下协同)', () => {
  it('goes to a department above the district that exists', () => {
    expect(batchDestination('ENV_CITY', envCity)).toBe(envCity);
    expect(refusal(() => batchDestination('ENV', district)).code).toBe('BATCH.DISTRICT_DEPARTMENT');
    expect(refusal(() => batchDestination('NOPE', undefined)).code).toBe('BATCH.UNKNOWN_DEPARTMENT');
  });

  it('takes a ready approval of the agent’s own project held by that department, named and numbered', () => {
    // Act
    const item = batchItemOf(wang, state, '1a', envCity, 0);

    // Assess
    expect(item).toEqual({
      itemId: '1',
      projectId: state.project.projectId,
      projectCode: state.project.code,
      projectName: state.project.name,
      enterpriseId: state.project.enterpriseId,
      stepId: '1a',
      stepName: '步骤 1a',
    });
  });

  it('refuses a step not ready, one another department holds, a joint review, a step of another agent’s project', () => {
    // Arrange
    const joint = projectState(jointReviewChain(), { items: { drawings: { status: 'ready' } } });
    const otherDepartment = projectState(chain, { items: { '2a': { status: 'ready' } } });

    // Act & Assess
    expect(refusal(() => batchItemOf(wang, state, '1c', envCity, 0)).code).toBe('BATCH.STEP_NOT_READY');
    expect(refusal(() => batchItemOf(wang, otherDepartment, '2a', envCity, 0)).code).toBe(
      'BATCH.OTHER_DEPARTMENT',
    );
    expect(refusal(() => batchItemOf(wang, joint, 'drawings', envCity, 0)).code).toBe(
      'BATCH.NOT_AN_APPROVAL',
    );
    expect(refusal(() => batchItemOf(wang, state, '9z', envCity, 0)).code).toBe('STEP.NOT_FOUND');
    expect(refusal(() => batchItemOf(li, state, '1a', envCity, 0)).kind).toBe('not_found');
  });

  it('holds a step once, and a step sits in one open batch at a time (a collected or cancelled one frees it)', () => {
    // Arrange
    const projectId = state.project.projectId;
    const open = batchOf([batchItemOf(wang, state, '1a', envCity, 0)]);
    const done: Batch = { ...open, batchId: 'b0', status: 'collected' };

    // Act
    const steps = openBatchSteps([open, done]);

    // Assess
    expect(
      refusal(() =>
        assertDistinctSteps([
          { projectId, stepId: '1a' },
          { projectId, stepId: '1a' },
        ]),
      ).code,
    ).toBe('BATCH.DUPLICATE_ITEM');
    expect(refusal(() => assertInNoOpenBatch({ projectId, stepId: '1a' }, steps)).message).toContain(
      'batch b1',
    );
    expect(() => assertInNoOpenBatch({ projectId, stepId: '1b' }, openBatchSteps([done]))).not.toThrow();
  });
});

describe('carrying a batch up and collecting its approvals', () => {
  const items = [batchItemOf(wang, state, '1a', envCity, 0), batchItemOf(wang, state, '1b', envCity, 1)];

  it('is not done before the last of its steps opened', () => {
    expect(lastOpenedOf(batchOf(items), new Map([[state.project.projectId, state]]))).toBe(
      '2026-03-03T02:00:00.000Z',
    );
  });

  it('submits each step with all its materials, marked with the batch and its level', () => {
    // Arrange
    const batch = batchOf(items);

    // Act
    const transition = carriedStep(at(state, '2026-03-04 10:00'), batch, items[0] as BatchItem);

    // Assess
    const step = transition.changes.find((c) => c.after.stepId === '1a')?.after;
    expect(step).toMatchObject({ status: 'in_review', batchId: 'b1' });
    expect(transition.events[0]?.data).toMatchObject({ batchId: 'b1', departmentLevel: 'city' });
  });

  it('names the item that held the whole batch back', () => {
    // Arrange: 1a already in review, so it cannot be submitted again
    const inReview = projectState(chain, {
      items: { '1a': { status: 'in_review', departmentId: 'ENV_CITY' } },
    });

    // Act
    const error = refusal(() =>
      carriedStep(at(inReview, '2026-03-04 10:00'), batchOf(items), items[0] as BatchItem),
    );

    // Assess
    expect(error.code).toBe('BATCH.STEP_NOT_READY');
    expect(error.message).toMatch(/^item 1 \(.* step 1a\)/);
  });

  it('collects a decision per item, dropping one its department decided directly, refusing an item decided twice', () => {
    // Arrange
    const batch = carriedUp(batchOf(items), now, 'agent-wang', now);
    const approved = {
      itemId: '1',
      outcome: 'approved' as const,
      document: { number: '宁环审〔2026〕201号', date: '2026-03-09' },
    };
    const statuses: Record<string, string> = { '1a': 'in_review', '1b': 'approved' };

    // Act
    const plan = collectionPlan(batch, [approved, { ...approved, itemId: '2' }], (i) => statuses[i.stepId]);
    const twice = refusal(() => collectionPlan(batch, [approved, approved], () => 'in_review'));

    // Assess
    expect([...plan.decisions.keys()]).toEqual(['1']);
    expect(plan.dropped).toEqual(new Map([['2', 'approved']]));
    expect(collectedOutcomes(plan.decisions)).toEqual(
      new Map([['1', { outcome: 'approved', documentNumber: '宁环审〔2026〕201号' }]]),
    );
    expect(twice.code).toBe('BATCH.DUPLICATE_DECISION');
  });
});

describe('who lists which batches', () => {
  it('shows an agent their own, an officer their department’s, leaders all, the efficiency office and investors none', () => {
    expect(batchListFilter(wang)).toEqual({ agentId: 'agent-wang' });
    expect(batchListFilter({ userId: 'o', role: 'officer', name: 'o', departmentId: 'ENV_CITY' })).toEqual({
      departmentId: 'ENV_CITY',
    });
    expect(batchListFilter({ userId: 'l', role: 'leader', name: 'l' })).toEqual({});
    expect(batchListFilter({ userId: 'e', role: 'efficiency', name: 'e' })).toBeUndefined();
    expect(batchListFilter({ userId: 'i', role: 'investor', name: 'i', enterpriseId: 'x' })).toBeUndefined();
  });
});
