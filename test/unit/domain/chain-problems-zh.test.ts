import { describe, expect, it } from 'vitest';
import type { StepDefinitionInput } from '../../../shared/domain/chain.js';
import { checkChain, validateChain } from '../../../shared/domain/chain-validation.js';
import type { Department } from '../../../shared/domain/department.js';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import { chainInput, fixtureStep } from '../../support/chain-fixtures.js';

const departments: Department[] = [
  { id: 'NRP', name: '自然资源和规划局', nameEn: 'Natural Resources and Planning Bureau', level: 'district' },
];

const step = (
  id: string,
  name: string,
  prerequisites: string[] = [],
  more: Partial<StepDefinitionInput> = {},
) => fixtureStep(id, prerequisites, { name, ...more });

const chain = (...stages: StepDefinitionInput[][]) => chainInput(stages, { id: 'zh-chain' });

const zhOf = (input: unknown) => checkChain(input, departments).problems.map((p) => p.zh);

describe('chain problems in Chinese, naming the step', () => {
  it('names both steps of a cycle 互为前置 by number and name', () => {
    // Prepare
    const input = chain([step('16', '施工图审查', ['23']), step('23', '施工许可', ['16'])]);

    // Act
    const problems = zhOf(input);

    // Assess
    expect(problems).toEqual(['步骤 16（施工图审查）与步骤 23（施工许可）互为前置']);
  });

  it('names a longer cycle in the order the steps wait for each other', () => {
    // Prepare
    const input = chain([step('1', '甲', ['3']), step('2', '乙', ['1']), step('3', '丙', ['2'])]);

    // Act / Assess
    expect(zhOf(input)).toEqual([
      '互为前置（循环）：步骤 1（甲） → 步骤 2（乙） → 步骤 3（丙） → 步骤 1（甲）',
    ]);
  });

  it('names an unknown prerequisite, an unknown department and a prerequisite from a later stage', () => {
    // Prepare
    const input = chain(
      [step('1', '立项', ['9']), step('2', '用地', [], { departmentId: 'XYZ' }), step('3', '规划', ['4'])],
      [step('4', '施工许可')],
    );

    // Act
    const problems = zhOf(input);

    // Assess
    expect(problems).toEqual([
      '步骤 1（立项）的前置步骤 9 不存在',
      '步骤 2（用地）的办理部门“XYZ”不存在',
      '步骤 3（规划）（第1阶段）以后面第2阶段的步骤 4（施工许可）为前置；阶段按顺序进行',
    ]);
  });

  it('says where a field of the wrong type is, stage and step counted from 1', () => {
    // Prepare
    const input = chain([step('1', '立项'), step('2', '用地', [], { promisedDays: -1 })]);

    // Act
    const [problem, ...rest] = zhOf(input);

    // Assess
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^第1阶段第2个步骤的 promisedDays：/);
  });

  it('keeps the English problems for the API and carries the Chinese beside them', () => {
    // Prepare
    const input = chain([step('16', '施工图审查', ['23']), step('23', '施工许可', ['16'])]);

    // Act
    let refusal: unknown;
    try {
      validateChain(input, departments);
    } catch (error) {
      refusal = error;
    }

    // Assess
    expect(refusal).toBeInstanceOf(InvalidInputError);
    expect((refusal as InvalidInputError).details).toEqual({
      problems: ['互为前置: step 16 ↔ step 23'],
      problemsZh: ['步骤 16（施工图审查）与步骤 23（施工许可）互为前置'],
    });
  });

  it('finds nothing wrong with a sound chain', () => {
    // Act
    const { chain: parsed, problems } = checkChain(
      chain([step('1', '立项'), step('2', '用地', ['1'])]),
      departments,
    );

    // Assess
    expect(problems).toEqual([]);
    expect(parsed?.stages[0]?.steps.map((s) => s.id)).toEqual(['1', '2']);
  });
});
