import { describe, expect, it } from 'vitest';
import { appliesTo, resolveProjectAttributes } from '../../../shared/domain/applicability.js';
import { holderOf } from '../../../shared/domain/chain.js';
import { findStep, inStagePrerequisites } from '../../../shared/domain/chain-graph.js';
import { validateChain } from '../../../shared/domain/chain-validation.js';
import { referenceDepartments } from '../../../shared/domain/reference/departments.js';
import {
  referenceChain,
  referenceChainInput,
  referenceChainV1,
  referenceChainV1Input,
} from '../../../shared/domain/reference/industrial-chain.js';

const allSteps = referenceChainV1.stages.flatMap((stage) => stage.steps);

describe('reference industrial chain, version 1 (the 40 steps of DOMAIN.md)', () => {
  it('passes validation against the reference departments', () => {
    // Prepare / Act
    const chain = validateChain(referenceChainV1Input, referenceDepartments);

    // Assess
    expect(chain).toEqual(referenceChainV1);
  });

  it('has 40 steps numbered 1 to 40 in four stages with the national target of 120 working days', () => {
    // Assess
    expect(referenceChainV1.targetWorkingDays).toBe(120);
    expect(referenceChainV1.stages.map((s) => [s.id, s.name, s.leadDepartmentId])).toEqual([
      ['stage-1', '立项用地规划许可', 'DRC'],
      ['stage-2', '工程建设许可', 'NRP'],
      ['stage-3', '施工许可', 'HUD'],
      ['stage-4', '竣工验收', 'HUD'],
    ]);
    expect(referenceChainV1.stages.map((s) => s.steps.length)).toEqual([14, 8, 8, 10]);
    expect(allSteps.map((s) => s.id)).toEqual(Array.from({ length: 40 }, (_, i) => String(i + 1)));
  });

  it('keeps the prerequisites of the table, including both of 27 and all of 32–37 for 38', () => {
    // Assess
    expect(findStep(referenceChainV1, '27')?.step.prerequisites).toEqual(['23', '26']);
    expect(findStep(referenceChainV1, '38')?.step.prerequisites).toEqual([
      '32',
      '33',
      '34',
      '35',
      '36',
      '37',
    ]);
    expect(findStep(referenceChainV1, '15')?.step.prerequisites).toEqual(['3', '5']);
    expect(findStep(referenceChainV1, '30')?.step.prerequisites).toEqual(['24', '26', '27']);
    // 15 needs 3 and 5 from stage 1: nothing to gate on inside stage 2
    expect(inStagePrerequisites(referenceChainV1, '15')).toEqual([]);
  });

  it('carries the departments and limits of the table', () => {
    // Prepare
    const limits = (id: string) => {
      const step = findStep(referenceChainV1, id)?.step;
      return [step?.departmentId, step?.promisedDays, step?.legalDays];
    };

    // Assess
    expect(limits('1')).toEqual(['DRC', 1, 3]);
    expect(limits('7')).toEqual(['ENV', 15, 60]);
    expect(limits('14')).toEqual(['EMG', 10, 45]);
    expect(limits('23')).toEqual(['HUD', 10, 20]);
    expect(limits('40')).toEqual(['REG', 5, 30]);
  });

  it('makes step 31 a milestone with no department and no limits', () => {
    // Act
    const step = findStep(referenceChainV1, '31')?.step;

    // Assess
    expect(step).toMatchObject({
      kind: 'milestone',
      departmentId: null,
      promisedDays: null,
      legalDays: null,
    });
    expect(allSteps.filter((s) => s.kind === 'milestone').map((s) => s.id)).toEqual(['31']);
  });

  it('publishes the six public things for every step', () => {
    // Assess
    for (const step of allSteps) {
      expect(step.serviceContent.length, step.id).toBeGreaterThan(5);
      expect(step.procedure.length, step.id).toBeGreaterThanOrEqual(3);
      expect(step.procedure.length, step.id).toBeLessThanOrEqual(5);
      expect(step.materials.length, step.id).toBeGreaterThanOrEqual(2);
      expect(step.materials.length, step.id).toBeLessThanOrEqual(6);
      expect(new Set(step.materials.map((m) => m.id)).size, step.id).toBe(step.materials.length);
      expect(step.fee.basis.length, step.id).toBeGreaterThan(0);
    }
    expect(findStep(referenceChainV1, '40')?.step.fee.standard).toContain('非住宅类550元/件');
  });

  it('allows deemed approval only on filing-type and low-risk steps', () => {
    // Act
    const deemed = allSteps.filter((s) => s.policy.deemedApprovalAllowed).map((s) => s.id);
    const minorMissing = allSteps.filter((s) => s.policy.acceptWithMinorMissing).map((s) => s.id);

    // Assess
    expect(deemed).toEqual(['1', '6', '10', '11', '13', '19', '25', '26', '28', '34', '35', '36', '37']);
    expect(minorMissing).toEqual(['2', '7', '15', '23']);
  });

  it('skips safety review, geohazard and mineral steps and temporary works for a small ordinary project', () => {
    // Prepare
    const attributes = resolveProjectAttributes(referenceChainV1, { siteAreaM2: 12000 });

    // Act
    const skipped = allSteps.filter((s) => !appliesTo(s.applicability, attributes)).map((s) => s.id);

    // Assess
    expect(skipped).toEqual(['10', '11', '14', '22']);
  });

  it('applies every conditional step to a large hazardous project that builds everything', () => {
    // Prepare
    const attributes = resolveProjectAttributes(referenceChainV1, {
      hazardousWorks: true,
      siteAreaM2: 20000,
      temporaryWorks: true,
    });

    // Act
    const skipped = allSteps.filter((s) => !appliesTo(s.applicability, attributes));

    // Assess
    expect(skipped).toEqual([]);
  });

  it('names a department for every step but the milestone, with city and provincial departments upstairs', () => {
    // Prepare
    const known = new Set(referenceDepartments.map((d) => d.id));

    // Assess
    expect(known.size).toBe(18);
    for (const step of allSteps.filter((s) => s.kind === 'approval')) {
      expect(known.has(step.departmentId ?? ''), step.id).toBe(true);
    }
    const level = (l: string) => referenceDepartments.filter((d) => d.level === l).map((d) => d.id);
    expect(level('city')).toEqual(['ENV_CITY', 'MET']);
    expect(level('province')).toEqual(['EMG_PROV']);
  });

  it.each([
    ['7', {}, 'ENV'],
    ['7', { eiaReportBook: true }, 'ENV_CITY'],
    ['14', { hazardousWorks: true }, 'EMG'],
    ['14', { hazardousWorks: true, majorHazardSource: true }, 'EMG_PROV'],
  ])('has step %s held by the right level for %o: %s', (stepId, attributes, departmentId) => {
    // Prepare
    const step = allSteps.find((s) => s.id === stepId);
    const resolved = resolveProjectAttributes(referenceChainV1, attributes);

    // Act
    const holder = step ? holderOf(step, (rule) => appliesTo(rule, resolved)) : undefined;

    // Assess
    expect(holder).toBe(departmentId);
  });
});

describe('reference industrial chain, version 2 (joint reviews)', () => {
  const v2Steps = referenceChain.stages.flatMap((stage) => stage.steps);

  it('passes validation and is the current version, with 35 steps and 42 approvals (two joint reviews of 4 and 6 parts)', () => {
    // Act
    const chain = validateChain(referenceChainInput, referenceDepartments);

    // Assess
    expect(chain).toEqual(referenceChain);
    expect(chain.version).toBe(2);
    expect(chain.stages.map((s) => s.steps.length)).toEqual([14, 8, 8, 5]);
    const approvals = v2Steps.reduce((n, s) => n + (s.parts?.length ?? (s.kind === 'approval' ? 1 : 0)), 0);
    expect(approvals).toBe(42);
  });

  it('makes 23 a joint drawing review of structure, fire, civil air defence and lightning', () => {
    // Act
    const step = findStep(referenceChain, '23')?.step;

    // Assess
    expect(step?.parts?.map((p) => [p.id, p.departmentId])).toEqual([
      ['structure', 'HUD'],
      ['fire', 'HUD'],
      ['cad', 'CAD'],
      ['lightning', 'MET'],
    ]);
    expect(step?.parts?.find((p) => p.id === 'cad')?.applicability).toEqual({
      attribute: 'needsCivilAirDefence',
      equals: true,
    });
  });

  it("merges 32–37 into one joint acceptance that 38 waits for, keeping each department's limits", () => {
    // Act
    const acceptance = findStep(referenceChain, '32')?.step;

    // Assess
    expect(acceptance?.parts?.map((p) => [p.id, p.departmentId, p.promisedDays, p.legalDays])).toEqual([
      ['planning', 'NRP', 5, 20],
      ['fire', 'HUD', 7, 15],
      ['cad', 'CAD', 5, 15],
      ['lightning', 'MET', 5, 10],
      ['env', 'ENV', 5, 20],
      ['archives', 'ARC', 5, 15],
    ]);
    expect(acceptance).toMatchObject({ promisedDays: 7, legalDays: 20, prerequisites: ['31'] });
    expect(findStep(referenceChain, '33')).toBeUndefined();
    expect(findStep(referenceChain, '38')?.step.prerequisites).toEqual(['32']);
    expect(inStagePrerequisites(referenceChain, '38')).toEqual(['32']);
  });
});
