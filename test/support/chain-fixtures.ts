import {
  type Chain,
  ChainSchema,
  type JointPart,
  type StepDefinitionInput,
} from '../../shared/domain/chain.js';

/** A plain approval step of department NRP (5 promised, 20 legal working days); pass what the test is about. */
export const fixtureStep = (
  id: string,
  prerequisites: string[] = [],
  overrides: Partial<StepDefinitionInput> = {},
): StepDefinitionInput => ({
  id,
  name: `步骤 ${id}`,
  nameEn: `Step ${id}`,
  departmentId: 'NRP',
  promisedDays: 5,
  legalDays: 20,
  prerequisites,
  serviceContent: '审批',
  procedure: ['受理', '审查', '决定'],
  fee: { basis: '不收费', standard: '不收费' },
  ...overrides,
});

/**
 * A chain as an author writes it, not yet validated, with one stage per list of steps: stage n is `stage-n` (阶段n),
 * led by NRP. `more` adds or replaces top-level fields (another id, declared attributes).
 */
export function chainInput(stages: StepDefinitionInput[][], more: Record<string, unknown> = {}) {
  return {
    id: 'test-chain',
    version: 1,
    name: '测试流程',
    nameEn: 'Test chain',
    targetWorkingDays: 60,
    ...more,
    stages: stages.map((steps, i) => ({
      id: `stage-${i + 1}`,
      name: `阶段${i + 1}`,
      nameEn: `Stage ${i + 1}`,
      leadDepartmentId: 'NRP',
      steps,
    })),
  };
}

/**
 * A small two-stage chain with a DAG: stage 1: 1c needs both 1a and 1b (gated);
 * stage 2: 2a needs 1a (earlier stage: no gate), 2b needs 2a (gated) and 1c.
 */
export function twoStageChain(version = 1): Chain {
  return ChainSchema.parse({
    id: 'test-chain',
    version,
    name: '测试流程',
    nameEn: 'Test chain',
    targetWorkingDays: 60,
    stages: [
      {
        id: 'stage-1',
        name: '立项用地',
        nameEn: 'Project and land',
        leadDepartmentId: 'DRC',
        steps: [fixtureStep('1a'), fixtureStep('1b'), fixtureStep('1c', ['1a', '1b'])],
      },
      {
        id: 'stage-2',
        name: '工程建设',
        nameEn: 'Construction',
        leadDepartmentId: 'HUD',
        steps: [fixtureStep('2a', ['1a']), fixtureStep('2b', ['2a', '1c'])],
      },
    ],
  });
}

/** The parts of the test joint review: fire (HUD, 10/15), civil air defence (CAD, 5/20) and lightning (MET, 5/20). */
export const fixtureParts = {
  fire: {
    id: 'fire',
    name: '消防审查',
    nameEn: 'Fire',
    departmentId: 'HUD',
    promisedDays: 10,
    legalDays: 15,
  },
  cad: {
    id: 'cad',
    name: '人防审查',
    nameEn: 'Civil air defence',
    departmentId: 'CAD',
    promisedDays: 5,
    legalDays: 20,
  },
  met: {
    id: 'met',
    name: '防雷审查',
    nameEn: 'Lightning',
    departmentId: 'MET',
    promisedDays: 5,
    legalDays: 20,
  },
} satisfies Record<string, JointPart>;

/**
 * A chain with a joint review (联合审查) and a milestone, modelled on stages 3 and 4 of the reference chain:
 * stage 1: `plan` (NRP, needs the site plan) → `drawings`, a joint construction-drawing review led by HUD with three
 * parts, `fire` (HUD, 10/15), `cad` (CAD, 5/20) and `met` (MET, 5/20) → `permit` (HUD);
 * stage 2: `works`, the agent's milestone 施工完成 (needs `permit`) → `archives` (ARC).
 */
export function jointReviewChain(version = 1): Chain {
  return ChainSchema.parse({
    id: 'joint-chain',
    version,
    name: '联审测试流程',
    nameEn: 'Joint review chain',
    targetWorkingDays: 60,
    stages: [
      {
        id: 'permits',
        name: '施工许可',
        nameEn: 'Construction permit',
        leadDepartmentId: 'HUD',
        steps: [
          fixtureStep('plan', [], {
            materials: [{ id: 'site-plan', name: '总平面图' }],
          }),
          fixtureStep('drawings', ['plan'], {
            name: '施工图联合审查',
            nameEn: 'Joint construction-drawing review',
            departmentId: 'HUD',
            promisedDays: 10,
            legalDays: 20,
            materials: [
              { id: 'drawings', name: '施工图设计文件' },
              { id: 'survey', name: '岩土工程勘察报告' },
            ],
            parts: [fixtureParts.fire, fixtureParts.cad, fixtureParts.met],
          }),
          fixtureStep('permit', ['drawings'], { departmentId: 'HUD', promisedDays: 3, legalDays: 15 }),
        ],
      },
      {
        id: 'acceptance',
        name: '竣工验收',
        nameEn: 'Completion acceptance',
        leadDepartmentId: 'HUD',
        steps: [
          fixtureStep('works', ['permit'], {
            name: '施工完成',
            nameEn: 'Works completed',
            kind: 'milestone',
            departmentId: null,
            promisedDays: null,
            legalDays: null,
          }),
          fixtureStep('archives', ['works'], { departmentId: 'ARC' }),
        ],
      },
    ],
  });
}
