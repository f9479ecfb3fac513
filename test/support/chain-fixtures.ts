import { type Chain, ChainSchema, type StepDefinitionInput } from '../../shared/domain/chain.js';

/** A plain approval step of department NRP; pass what the test is about. */
export const fixtureStep = (id: string, prerequisites: string[] = []): StepDefinitionInput => ({
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
});

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
