import { describe, expect, it } from 'vitest';
import {
  executionName,
  newExecution,
  renewalDue,
  renewalOf,
} from '../../../shared/domain/execution-renewal.js';
import type { ExecutionRef } from '../../../shared/domain/project.js';

const DAY_MS = 86_400_000;
/** Step Functions ends a standard execution after one year. */
const ENGINE_LIMIT_DAYS = 365;
const MAX_AGE_DAYS = 300;

const project = (execution: ExecutionRef | undefined, currentStageIndex = 3, rewinds?: number) => ({
  projectId: 'P1',
  currentStageIndex,
  ...(execution ? { execution } : {}),
  ...(rewinds ? { rewinds } : {}),
});

describe('renewing executions through a construction period', () => {
  it('names an execution by project, stage and generation, apart after a rewind', () => {
    expect(executionName('P1', 2, 1)).toBe('P1-s2-g1');
    expect(executionName('P1', 2, 3, 1)).toBe('P1-r1-s2-g3');
  });

  it('renews a new execution after the maximum age', () => {
    const { execution, renewAt } = newExecution('P1', 0, 1, new Date('2026-03-02T00:00:00Z'), MAX_AGE_DAYS);

    expect(execution).toEqual({
      name: 'P1-s0-g1',
      stageIndex: 0,
      generation: 1,
      startedAt: '2026-03-02T00:00:00.000Z',
    });
    expect(renewAt).toBe('2026-12-27T00:00:00.000Z');
    expect(renewalDue({ renewAt }, new Date('2026-12-26T23:59:59Z'))).toBe(false);
    expect(renewalDue({ renewAt }, new Date(renewAt))).toBe(true);
    expect(renewalDue({}, new Date('2030-01-01T00:00:00Z'))).toBe(false);
  });

  it('replaces the execution with the next generation of the same stage, stopping the old one first', () => {
    // Prepare
    const old = newExecution('P1', 3, 2, new Date('2026-01-01T00:00:00Z'), MAX_AGE_DAYS).execution;

    // Act
    const renewal = renewalOf(project(old), new Date('2026-10-28T00:00:00Z'), MAX_AGE_DAYS);

    // Assess
    expect(renewal.stop).toEqual(old);
    expect(renewal.execution).toMatchObject({ name: 'P1-s3-g3', stageIndex: 3, generation: 3 });
    expect(renewal.change).toEqual({
      set: { execution: renewal.execution, renewAt: '2027-08-24T00:00:00.000Z' },
      remove: ['executionEndedAt'],
      expect: { executionName: 'P1-s3-g2' },
    });
  });

  it('starts the stage afresh, named apart, when a revoked approval took the project back to it', () => {
    const later = newExecution('P1', 3, 4, new Date('2026-01-01T00:00:00Z'), MAX_AGE_DAYS).execution;

    const renewal = renewalOf(project(later, 1, 1), new Date('2026-02-01T00:00:00Z'), MAX_AGE_DAYS);

    expect(renewal.execution).toMatchObject({ name: 'P1-r1-s1-g1', stageIndex: 1, generation: 1 });
    expect(renewal.change.expect).toEqual({ executionName: 'P1-s3-g4' });
  });

  it('starts a first execution when the project has none, expecting none', () => {
    const renewal = renewalOf(project(undefined, 0), new Date('2026-02-01T00:00:00Z'), MAX_AGE_DAYS);

    expect(renewal.stop).toBeUndefined();
    expect(renewal.execution.name).toBe('P1-s0-g1');
    expect(renewal.change.expect).toEqual({ executionName: null });
  });

  it('never lets an execution reach the engine’s one-year limit over three years of construction', () => {
    // Prepare: works start on 1 April 2026 and are complete three years later
    const start = new Date('2026-04-01T00:00:00Z');
    const end = new Date(start.getTime() + 3 * 365 * DAY_MS);
    let current = newExecution('P1', 3, 1, start, MAX_AGE_DAYS);
    const generations: ExecutionRef[] = [current.execution];

    // Act: renew each time the renewal comes due
    for (let now = start; now < end; now = new Date(now.getTime() + DAY_MS)) {
      if (!renewalDue({ renewAt: current.renewAt }, now)) continue;
      const renewal = renewalOf(project(current.execution), now, MAX_AGE_DAYS);
      current = { execution: renewal.execution, renewAt: String(renewal.change.set?.renewAt) };
      generations.push(renewal.execution);
    }

    // Assess
    expect(generations.map((g) => g.name)).toEqual(['P1-s3-g1', 'P1-s3-g2', 'P1-s3-g3', 'P1-s3-g4']);
    for (const [i, generation] of generations.entries()) {
      const until = generations[i + 1]?.startedAt ?? end.toISOString();
      const ageDays = (Date.parse(until) - Date.parse(generation.startedAt)) / DAY_MS;
      expect(ageDays, generation.name).toBeLessThan(ENGINE_LIMIT_DAYS);
    }
  });
});
