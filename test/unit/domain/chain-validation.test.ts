import { describe, expect, it } from 'vitest';
import type { JointPart, StepDefinitionInput } from '../../../shared/domain/chain.js';
import { ChainSchema } from '../../../shared/domain/chain.js';
import { dependentsInStage, findStep, inStagePrerequisites } from '../../../shared/domain/chain-graph.js';
import { MAX_ITEMS_PER_CHAIN, validateChain } from '../../../shared/domain/chain-validation.js';
import type { Department } from '../../../shared/domain/department.js';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import { referenceDepartments } from '../../../shared/domain/reference/departments.js';
import { referenceChainInput, referenceChainV1 } from '../../../shared/domain/reference/industrial-chain.js';
import { chainInput, fixtureStep, jointReviewChain } from '../../support/chain-fixtures.js';

const departments: Department[] = [
  { id: 'NRP', name: '自然资源和规划局', nameEn: 'Natural Resources and Planning Bureau', level: 'district' },
  {
    id: 'HUD',
    name: '住房和城乡建设局',
    nameEn: 'Housing and Urban-Rural Development Bureau',
    level: 'district',
  },
];

function step(id: string, prerequisites: string[] = [], overrides: Partial<StepDefinitionInput> = {}) {
  return { ...fixtureStep(id, prerequisites), ...overrides };
}

/** A part of a joint review by NRP unless told otherwise (the joint step it sits in: 5 promised, 20 legal). */
function part(id: string, overrides: Partial<JointPart> = {}): JointPart {
  return {
    id,
    name: `部分 ${id}`,
    nameEn: `Part ${id}`,
    departmentId: 'NRP',
    promisedDays: 5,
    legalDays: 20,
    ...overrides,
  };
}

/** `count` plain steps with ids unique across the chain. */
const steps = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => step(`${prefix}${i + 1}`));

/** A chain of these stages declaring one boolean attribute, hazardousWorks. */
const chain = (...stages: StepDefinitionInput[][]) =>
  chainInput(stages, {
    attributes: [{ key: 'hazardousWorks', label: '高危作业', type: 'boolean', default: false }],
  });

function problemsOf(input: unknown, known: readonly Department[] = departments): string[] {
  try {
    validateChain(input, known);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    const invalid = error as InvalidInputError;
    expect(invalid.code).toBe('CHAIN.INVALID');
    const { problems } = invalid.details as { problems: string[] };
    for (const problem of problems) expect(invalid.message).toContain(problem);
    return problems;
  }
  return [];
}

describe('validateChain', () => {
  it('accepts a sound chain and returns it parsed with defaults', () => {
    // Act
    const parsed = validateChain(chain([step('1'), step('2', ['1'])], [step('3', ['1', '2'])]), departments);

    // Assess
    expect(parsed.stages[0]?.steps[1]?.policy).toEqual({
      deemedApprovalAllowed: false,
      acceptWithMinorMissing: false,
    });
  });

  it('lists the first ten problems of a chain with thousands and says how many more, keeping all in details', () => {
    // Prepare: 2,000 stages of the wrong kind
    const input = { stages: Array.from({ length: 2000 }, () => 7) };

    // Act
    let refused: unknown;
    try {
      validateChain(input, departments);
    } catch (error) {
      refused = error;
    }

    // Assess
    expect(refused).toBeInstanceOf(InvalidInputError);
    const { message, details } = refused as InvalidInputError;
    const { problems } = details as { problems: string[] };
    expect(problems.length).toBeGreaterThan(2000);
    expect(message.split('\n').filter((line) => line.startsWith('- '))).toHaveLength(11);
    expect(message).toContain(`- and ${problems.length - 10} more`);
    expect(message.length).toBeLessThan(2000);
  });

  it('names the cycle when two steps are each other’s prerequisite', () => {
    // Prepare
    const input = chain([step('16', ['23']), step('23', ['16'])]);

    // Act
    const problems = problemsOf(input);

    // Assess
    expect(problems).toEqual(['互为前置: step 16 ↔ step 23']);
  });

  it('names a three-step cycle in the order the steps wait for each other, once', () => {
    // Prepare: 2 needs 1, 3 needs 2, 1 needs 3
    const input = chain([step('1', ['3']), step('2', ['1']), step('3', ['2'])]);

    // Act
    const problems = problemsOf(input);

    // Assess
    expect(problems).toEqual(['互为前置: step 1 → step 2 → step 3 → step 1']);
  });

  it('names every cycle of a tangle, each once', () => {
    // Prepare: a ↔ b, and a → b → c → a
    const input = chain([step('a', ['b', 'c']), step('b', ['a']), step('c', ['b'])]);

    // Act
    const problems = problemsOf(input);

    // Assess
    expect(problems).toEqual(['互为前置: step a ↔ step b', '互为前置: step a → step b → step c → step a']);
  });

  it('reports a step that needs itself without calling it a cycle between steps', () => {
    // Act
    const problems = problemsOf(chain([step('1', ['1'])]));

    // Assess
    expect(problems).toEqual(['step 1 needs itself']);
  });

  it('names unknown departments of steps and stage leads', () => {
    // Prepare
    const input = chain([step('1', [], { departmentId: 'XYZ' })]);
    const stage = input.stages[0];
    if (stage) stage.leadDepartmentId = 'LEAD';

    // Act
    const problems = problemsOf(input);

    // Assess
    expect(problems).toEqual([
      "stage stage-1 has unknown lead department 'LEAD'",
      "step 1 names unknown department 'XYZ'",
    ]);
  });

  it('rejects a prerequisite from a later stage and an unknown prerequisite', () => {
    // Prepare
    const input = chain([step('3', ['16']), step('5', ['99'])], [step('16')]);

    // Act
    const problems = problemsOf(input);

    // Assess
    expect(problems).toEqual([
      'step 3 (stage-1) needs step 16 from a later stage (stage-2); stages run in order',
      'step 5 needs unknown step 99',
    ]);
  });

  it('rejects a stage of more than 40 steps, naming the Parallel limit of the local engine', () => {
    // Prepare
    const input = chain(Array.from({ length: 41 }, (_, i) => step(String(i + 1))));

    // Act
    const problems = problemsOf(input);

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/stage stage-1 has 41 steps; at most 40 .*Parallel branches/);
  });

  it('accepts a stage of exactly 40 steps', () => {
    // Act
    const problems = problemsOf(chain(Array.from({ length: 40 }, (_, i) => step(String(i + 1)))));

    // Assess
    expect(problems).toEqual([]);
  });

  it('rejects duplicate step ids and ids that collide with generated state names', () => {
    // Prepare
    const input = chain(
      [step('1'), step('1-gate'), step('x-failed'), step('StageCompleted')],
      [step('1'), step('stage-1')],
    );

    // Act
    const problems = problemsOf(input);

    // Assess
    expect(problems).toEqual([
      "step id '1' is used 2 times (stage-1, stage-2)",
      "step id '1-gate' ends in '-gate', which is reserved for generated state names",
      "step id 'x-failed' ends in '-failed', which is reserved for generated state names",
      "step id 'StageCompleted' is reserved for a generated state name",
      "step id 'stage-1' is also a stage id; state names must be unique",
    ]);
  });

  it('rejects duplicate stage ids', () => {
    // Prepare
    const input = chain([step('1')], [step('2')]);
    const second = input.stages[1];
    if (second) second.id = 'stage-1';

    // Act / Assess
    expect(problemsOf(input)).toEqual(["stage id 'stage-1' is used by more than one stage"]);
  });

  it('requires department and limits of approval steps, and none of milestones', () => {
    // Prepare
    const input = chain([
      step('a', [], { departmentId: null }),
      step('b', [], { promisedDays: null }),
      step('c', [], { promisedDays: 10, legalDays: 5 }),
      step('m', [], { kind: 'milestone', departmentId: 'NRP', promisedDays: 1, legalDays: 1 }),
      step('n', [], { kind: 'milestone', departmentId: null, promisedDays: null, legalDays: null }),
    ]);

    // Act
    const problems = problemsOf(input);

    // Assess
    expect(problems).toEqual([
      'step a is an approval step and needs a department',
      'step b is an approval step and needs both promisedDays and legalDays',
      'step c: the legal limit (5 working days) is shorter than the promised limit (10)',
      'step m is a milestone and must have no department (departmentId null)',
      'step m is a milestone and must have no limits (promisedDays and legalDays null)',
    ]);
  });

  it('rejects applicability rules on undeclared attributes or with the wrong type', () => {
    // Prepare
    const input = chain([
      step('1', [], { applicability: { attribute: 'siteAreaM2', atLeast: 20000 } }),
      step('2', [], { applicability: { not: { attribute: 'hazardousWorks', equals: 'yes' } } }),
      step('3', [], { applicability: { all: [{ attribute: 'hazardousWorks', below: 3 }] } }),
      step('4', [], { applicability: { attribute: 'hazardousWorks', equals: true } }),
    ]);

    // Act
    const problems = problemsOf(input);

    // Assess
    expect(problems).toEqual([
      "step 1 applicability reads undeclared attribute 'siteAreaM2' (declared: hazardousWorks)",
      'step 2 applicability compares boolean attribute \'hazardousWorks\' with a string ("yes")',
      "step 3 applicability uses 'below' on boolean attribute 'hazardousWorks', which is not a number",
    ]);
  });

  it('collects every problem into one error', () => {
    // Prepare
    const input = chain([step('1', ['2'], { departmentId: 'XYZ' }), step('2', ['1'])], [step('3', ['99'])]);

    // Act
    const problems = problemsOf(input);

    // Assess
    expect(problems).toEqual([
      "step 1 names unknown department 'XYZ'",
      '互为前置: step 1 ↔ step 2',
      'step 3 needs unknown step 99',
    ]);
  });

  it('turns schema failures into path: message lines', () => {
    // Prepare
    const input = chain([step('1', [], { promisedDays: -1 }), step('bad id')]);

    // Act
    const problems = problemsOf(input);

    // Assess
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^stages\.0\.steps\.0\.promisedDays: /);
    expect(problems[1]).toMatch(/^stages\.0\.steps\.1\.id: a step id is/);
  });

  it('names the chain in the message', () => {
    // Act / Assess
    expect(() => validateChain(chain([step('1', ['1'])]), departments)).toThrow(
      /^chain test-chain@1 is invalid \(1 problem\):\n- step 1 needs itself$/,
    );
  });
});

describe('容缺受理 and 告知承诺制 in the chain', () => {
  it('refuses a deferrable material on a step that accepts nothing missing, and a commitment for unlisted materials', () => {
    // Prepare
    const materials = [
      { id: 'application', name: '申请表' },
      { id: 'power-of-attorney', name: '授权委托书', deferrable: true },
    ];
    const input = chain([
      step('1', [], { materials }),
      step('2', [], {
        materials,
        policy: {
          acceptWithMinorMissing: true,
          commitment: { materials: ['test-report'], verificationDays: 20 },
        },
      }),
    ]);

    // Act
    const problems = problemsOf(input);

    // Assess
    expect(problems).toEqual([
      'step 1 marks power-of-attorney deferrable, but its policy does not accept a submission with a minor material missing (acceptWithMinorMissing)',
      'step 2: its commitment stands for material(s) it does not list: test-report',
    ]);
  });

  it('accepts the reference chain’s deferrable materials and commitments', () => {
    // Act
    const deferrable = referenceChainV1.stages
      .flatMap((s) => s.steps)
      .flatMap((s) => s.materials.filter((m) => m.deferrable).map((m) => `${s.id}:${m.id}`));
    const commitments = referenceChainV1.stages
      .flatMap((s) => s.steps)
      .filter((s) => s.policy.commitment)
      .map((s) => s.id);

    // Assess
    expect(deferrable).toEqual([
      '2:power-of-attorney',
      '7:eia-redacted-statement',
      '15:land-title',
      '23:designer-qualification',
    ]);
    expect(commitments).toEqual(['8', '29']);
    expect(problemsOf(referenceChainInput, referenceDepartments)).toEqual([]);
  });
});

describe('joint reviews (联合审查)', () => {
  it('accepts the joint-review fixture chain with the reference departments', () => {
    // Act
    const parsed = validateChain(jointReviewChain(), referenceDepartments);

    // Assess
    expect(parsed.stages[0]?.steps[1]?.parts?.map((p) => p.id)).toEqual(['fire', 'cad', 'met']);
  });

  it('needs at least two parts', () => {
    // Act
    const problems = problemsOf(chain([step('j', [], { parts: [part('fire')] })]));

    // Assess
    expect(problems).toEqual(['step j is a joint review with 1 part(s); it needs at least 2']);
  });

  it('rejects a part listed twice and a part id reserved for generated state names', () => {
    // Act
    const problems = problemsOf(
      chain([step('j', [], { parts: [part('fire'), part('fire'), part('gate')] })]),
    );

    // Assess
    expect(problems).toEqual([
      'step j part fire is listed more than once',
      "step j part gate: 'gate' is reserved for generated state names",
    ]);
  });

  it('names a part’s unknown department and limits that do not fit the part or the joint review', () => {
    // Prepare: the joint review promises 5 and allows 20 working days
    const input = chain([
      step('j', [], {
        parts: [
          part('cad', { departmentId: 'CAD' }),
          part('x', { promisedDays: 4, legalDays: 3 }),
          part('y', { promisedDays: 6 }),
          part('z', { legalDays: 25 }),
        ],
      }),
    ]);

    // Act
    const problems = problemsOf(input);

    // Assess
    expect(problems).toEqual([
      "step j part cad names unknown department 'CAD'",
      'step j part x: the legal limit (3 working days) is shorter than the promised limit (4)',
      "step j part y: its promised limit (6) is longer than the joint review's (5)",
      "step j part z: its legal limit (25) is longer than the joint review's (20)",
    ]);
  });

  it('rejects a milestone with parts', () => {
    // Prepare
    const input = chain([
      step('m', [], {
        kind: 'milestone',
        departmentId: null,
        promisedDays: null,
        legalDays: null,
        parts: [part('a'), part('b')],
      }),
    ]);

    // Act / Assess
    expect(problemsOf(input)).toEqual(['step m is a milestone and cannot be a joint review']);
  });

  it('refuses a part id that is not short and lower-case', () => {
    // Act
    const problems = problemsOf(chain([step('j', [], { parts: [part('Fire'), part('cad')] })]));

    // Assess
    expect(problems).toEqual(['stages.0.steps.0.parts.0.id: a part id is 1–20 lower-case letters or digits']);
  });
});

describe('the size of a chain (every transaction of a project under 100 items)', () => {
  it(`accepts exactly ${MAX_ITEMS_PER_CHAIN} steps`, () => {
    // Act
    const problems = problemsOf(chain(steps('a', 30), steps('b', 30), steps('c', 30)));

    // Assess
    expect(MAX_ITEMS_PER_CHAIN).toBe(90);
    expect(problems).toEqual([]);
  });

  it('rejects 91 steps, saying why and what to do', () => {
    // Act
    const problems = problemsOf(chain(steps('a', 30), steps('b', 30), steps('c', 31)));

    // Assess
    expect(problems).toEqual([
      'the chain has 91 steps and joint-review parts; at most 90 are allowed (so that every transaction of a ' +
        "project fits in DynamoDB's 100 items): split it into two chains",
    ]);
  });

  it('counts each part of a joint review as an item of its own', () => {
    // Prepare: 88 steps, one of them a joint review of 3 parts: 91 items
    const joint = step('j', [], { parts: [part('fire'), part('cad', { departmentId: 'HUD' }), part('met')] });

    // Act
    const problems = problemsOf(chain(steps('a', 30), steps('b', 30), [...steps('c', 27), joint]));

    // Assess
    expect(problems).toEqual([
      expect.stringMatching(/^the chain has 91 steps and joint-review parts; at most 90/),
    ]);
  });
});

describe('chain navigation', () => {
  it('finds a step with its stage and stage index', () => {
    // Act
    const found = findStep(referenceChainV1, '23');

    // Assess
    expect(found?.stage.id).toBe('stage-3');
    expect(found?.stageIndex).toBe(2);
    expect(findStep(referenceChainV1, '99')).toBeUndefined();
  });

  it('gates only on prerequisites of the same stage', () => {
    // Assess: 23 needs 16, 17, 18 from stage 2 — nothing to wait for inside stage 3
    expect(inStagePrerequisites(referenceChainV1, '23')).toEqual([]);
    expect(inStagePrerequisites(referenceChainV1, '27')).toEqual(['23', '26']);
    expect(inStagePrerequisites(referenceChainV1, '38')).toEqual(['32', '33', '34', '35', '36', '37']);
    expect(inStagePrerequisites(referenceChainV1, '1')).toEqual([]);
  });

  it('lists the dependents of a step inside its stage', () => {
    // Assess
    expect(dependentsInStage(referenceChainV1, '23')).toEqual(['24', '27']);
    expect(dependentsInStage(referenceChainV1, '31')).toEqual(['32', '33', '34', '35', '36', '37']);
    expect(dependentsInStage(referenceChainV1, '16')).toEqual(['21', '22']);
    expect(dependentsInStage(referenceChainV1, '40')).toEqual([]);
  });

  it('validates the reference chain input unchanged by the schema', () => {
    // Assess
    expect(validateChain(referenceChainInput, referenceDepartments)).toEqual(
      ChainSchema.parse(referenceChainInput),
    );
  });
});
