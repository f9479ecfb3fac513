import type { ChainInput, StepDefinitionInput } from '../chain.js';

/*
 * Version 2 of the reference chain: the two places where districts review together (并联审批) become joint reviews
 * (联合审查), each department deciding its own part of one submission, the step following the most severe part:
 *
 * - 23 施工图联合审查: structure (审图中心, HUD), fire (住建局消防审查, HUD), civil air defence (人防办, CAD, where the
 *   project has a shelter) and lightning protection (气象局, MET): one submission of the drawings, four opinions.
 * - 32 联合验收: planning verification (NRP), fire acceptance (HUD), civil air defence (CAD), lightning (MET),
 *   environmental facilities (ENV) and archives (ARC), formerly steps 32–37, now one joint acceptance whose
 *   completion filing (38) follows.
 */

const SHELTER = { attribute: 'needsCivilAirDefence', equals: true } as const;

type StepInput = StepDefinitionInput;

function joint23(step: StepInput): StepInput {
  return {
    ...step,
    name: '施工图联合审查（结构、消防、人防、防雷）',
    parts: [
      {
        id: 'structure',
        name: '结构安全审查',
        nameEn: 'Structural safety',
        departmentId: 'HUD',
        promisedDays: 10,
        legalDays: 20,
      },
      {
        id: 'fire',
        name: '消防设计审查',
        nameEn: 'Fire protection design',
        departmentId: 'HUD',
        promisedDays: 10,
        legalDays: 20,
      },
      {
        id: 'cad',
        name: '人防设计审查',
        nameEn: 'Civil air defence design',
        departmentId: 'CAD',
        promisedDays: 10,
        legalDays: 20,
        applicability: SHELTER,
      },
      {
        id: 'lightning',
        name: '防雷设计审查',
        nameEn: 'Lightning protection design',
        departmentId: 'MET',
        promisedDays: 10,
        legalDays: 20,
      },
    ],
  };
}

/** Steps 32–37 of version 1 become the parts of one joint acceptance, keeping each one's limits and materials. */
function jointAcceptance(steps: StepInput[]): StepInput {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const part = (stepId: string, id: string, extra: Partial<{ applicability: typeof SHELTER }> = {}) => {
    const step = byId.get(stepId);
    if (!step || step.departmentId === null || step.departmentId === undefined)
      throw new Error(`reference step ${stepId} is missing`);
    return {
      id,
      name: step.name,
      nameEn: step.nameEn,
      departmentId: step.departmentId,
      promisedDays: step.promisedDays ?? 0,
      legalDays: step.legalDays ?? 0,
      ...extra,
    };
  };
  const parts = [
    part('32', 'planning'),
    part('33', 'fire'),
    part('34', 'cad', { applicability: SHELTER }),
    part('35', 'lightning'),
    part('36', 'env'),
    part('37', 'archives'),
  ];
  const materials = steps
    .filter((s) => ['32', '33', '34', '35', '36', '37'].includes(s.id))
    .flatMap((s) => s.materials ?? []);
  return {
    id: '32',
    name: '联合验收（规划、消防、人防、防雷、环保、档案）',
    nameEn:
      'Joint completion acceptance (planning, fire, civil air defence, lightning, environment, archives)',
    departmentId: 'HUD',
    promisedDays: Math.max(...parts.map((p) => p.promisedDays)),
    legalDays: Math.max(...parts.map((p) => p.legalDays)),
    prerequisites: ['31'],
    serviceContent:
      '住建局牵头，规划、消防、人防、防雷、环保、城建档案等部门一次申报、同步现场验收、限时出具意见，联合验收通过后办理竣工验收备案。',
    procedure: ['一次申报', '受理', '联合现场验收', '各部门出具意见', '联合验收意见书'],
    materials: [...new Map(materials.map((m) => [m.id, m])).values()],
    fee: { basis: '《中华人民共和国行政许可法》第五十八条', standard: '不收费' },
    policy: { deemedApprovalAllowed: false, acceptWithMinorMissing: false },
    parts,
  };
}

export function withJointReviews(v1: ChainInput): ChainInput {
  return {
    ...v1,
    version: 2,
    description: `${v1.description ?? ''}（2026版：施工图联合审查、联合验收按部门分项并联办理）`,
    stages: v1.stages.map((stage) => {
      if (stage.id === 'stage-3') {
        return { ...stage, steps: stage.steps.map((s) => (s.id === '23' ? joint23(s) : s)) };
      }
      if (stage.id === 'stage-4') {
        const merged = ['32', '33', '34', '35', '36', '37'];
        const steps: StepInput[] = [];
        for (const step of stage.steps) {
          if (step.id === '32') steps.push(jointAcceptance(stage.steps));
          else if (merged.includes(step.id)) continue;
          else if (step.id === '38') steps.push({ ...step, prerequisites: ['32'] });
          else steps.push(step);
        }
        return { ...stage, steps };
      }
      return stage;
    }),
  };
}
