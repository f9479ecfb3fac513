import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError } from '../../../shared/domain/errors.js';
import {
  assertCodeYearPassed,
  nationalCodeAssignment,
  withNationalCode,
} from '../../../shared/domain/national-code.js';
import { twoStageChain } from '../../support/chain-fixtures.js';
import { fixtureProject } from '../../support/project-state.js';

const NOW = new Date('2026-03-02T01:00:00.000Z');
const NATIONAL = '2026-320115-04-01-000007';

describe('the national project code (项目代码)', () => {
  it('refuses a code of a year still to come in China, naming the field', () => {
    // Assess: late on 31 December UTC is already next year in Beijing
    expect(() => assertCodeYearPassed('2027-320115-04-01-000007', NOW, 'code')).toThrow(InvalidInputError);
    expect(() =>
      assertCodeYearPassed('2027-320115-04-01-000007', new Date('2026-12-31T16:00:00.000Z'), 'code'),
    ).not.toThrow();
    expect(() => assertCodeYearPassed(NATIONAL, NOW, 'projectCode')).not.toThrow();
  });

  it('replaces the provisional code, keeping it to find the project by, and records it', () => {
    // Prepare
    const project = fixtureProject(twoStageChain(), { codeKind: 'provisional' });

    // Act
    const transition = nationalCodeAssignment(project, NATIONAL, NOW);

    // Assess
    expect(transition?.project).toEqual({
      set: { code: NATIONAL, codeKind: 'national', provisionalCode: project.code },
      expect: { code: project.code },
    });
    expect(transition?.events[0]).toMatchObject({ type: 'project_code_assigned', after: { code: NATIONAL } });
    expect(withNationalCode(project, NATIONAL)).toMatchObject({
      code: NATIONAL,
      codeKind: 'national',
      provisionalCode: project.code,
    });
  });

  it('does nothing for the code the project has, and refuses a second national code', () => {
    // Prepare
    const provisional = fixtureProject(twoStageChain(), { codeKind: 'provisional' });
    const national = fixtureProject(twoStageChain(), { code: NATIONAL, codeKind: 'national' });

    // Assess
    expect(nationalCodeAssignment(provisional, provisional.code, NOW)).toBeUndefined();
    expect(() => nationalCodeAssignment(national, '2026-320115-04-01-000009', NOW)).toThrow(ConflictError);
  });
});
