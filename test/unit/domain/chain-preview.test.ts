import { describe, expect, it } from 'vitest';
import { type Chain, ChainSchema } from '../../../shared/domain/chain.js';
import { diffChains, isSameChain } from '../../../shared/domain/chain-diff.js';
import { applyChainEdit, ChainEditSchema } from '../../../shared/domain/chain-edit.js';
import { previewChain } from '../../../shared/domain/chain-preview.js';
import { renderChainSvg } from '../../../shared/domain/chain-svg.js';
import { chainCriticalPath } from '../../../shared/domain/critical-path.js';
import { referenceDepartments } from '../../../shared/domain/reference/departments.js';
import { referenceChain } from '../../../shared/domain/reference/industrial-chain.js';
import { authoringRows, twoStageChain } from '../../support/chain-fixtures.js';

const copy = (chain: Chain, version = chain.version + 1): Chain => ({ ...structuredClone(chain), version });
const stepIn = (chain: Chain, id: string) => {
  const step = chain.stages.flatMap((s) => s.steps).find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id}`);
  return step;
};
/** The table's rows of every step as drawn, before any change. */
const rowsOf = authoringRows;

describe('the differences of a new chain version from the version in force', () => {
  it('names the steps added, removed and changed, with their limits and prerequisites before and after', () => {
    // Prepare
    const next = copy(twoStageChain());
    const stage1 = next.stages[0];
    if (!stage1) throw new Error('no stage');
    stage1.steps = stage1.steps.filter((s) => s.id !== '1b');
    stepIn(next, '1c').prerequisites = ['1a'];
    stepIn(next, '2a').promisedDays = 8;
    next.stages[1]?.steps.push({ ...stepIn(next, '2b'), id: '2c', name: '竣工验收', prerequisites: ['2b'] });

    // Act
    const diff = diffChains(twoStageChain(), next);

    // Assess
    expect(diff.baseVersion).toBe(1);
    expect(diff.added).toEqual([{ stepId: '2c', name: '竣工验收', stageId: 'stage-2' }]);
    expect(diff.removed).toEqual([{ stepId: '1b', name: '步骤 1b', stageId: 'stage-1' }]);
    expect(diff.changed).toEqual([
      {
        stepId: '1c',
        name: '步骤 1c',
        stageId: 'stage-1',
        changes: [{ field: 'prerequisites', before: '1a, 1b', after: '1a' }],
      },
      {
        stepId: '2a',
        name: '步骤 2a',
        stageId: 'stage-2',
        changes: [{ field: 'promisedDays', before: '5', after: '8' }],
      },
    ]);
  });

  it('finds nothing between a version and its copy, and every step added when none is in force', () => {
    // Act
    const same = diffChains(referenceChain, copy(referenceChain));
    const first = diffChains(undefined, referenceChain);

    // Assess
    expect(isSameChain(same)).toBe(true);
    expect(first.added).toHaveLength(35);
    expect(first.baseVersion).toBeUndefined();
  });
});

describe('the table of steps applied to a chain', () => {
  it('changes the fields of a row, removes, moves and adds steps, and keeps every field the table does not show', () => {
    // Prepare
    const base = twoStageChain();
    const rows = rowsOf(base).map((r) =>
      r.id === '2a'
        ? { ...r, promisedDays: '7', prerequisites: '1a，1c' }
        : r.id === '1c'
          ? { ...r, stageId: 'stage-2' }
          : r,
    );
    const edit = ChainEditSchema.parse({
      version: '2',
      rows,
      remove: ['1b'],
      added: [
        {
          id: '3a',
          stageId: 'stage-2',
          name: '新事项',
          departmentId: 'HUD',
          promisedDays: '3',
          legalDays: '10',
          prerequisites: '2b',
        },
      ],
    });

    // Act
    const next = ChainSchema.parse(applyChainEdit(base, edit));

    // Assess
    expect(next.version).toBe(2);
    expect(next.stages.map((s) => s.steps.map((x) => x.id))).toEqual([['1a'], ['2a', '2b', '1c', '3a']]);
    expect(stepIn(next, '2a')).toEqual({
      ...stepIn(base, '2a'),
      promisedDays: 7,
      prerequisites: ['1a', '1c'],
    });
    expect(stepIn(next, '3a')).toMatchObject({
      departmentId: 'HUD',
      promisedDays: 3,
      legalDays: 10,
      prerequisites: ['2b'],
    });
  });

  it('refuses a limit that is not whole working days, naming it', () => {
    // Act
    const parsed = ChainEditSchema.safeParse({
      version: '2',
      rows: [{ ...rowsOf(twoStageChain())[0], promisedDays: '2.5' }],
      remove: [],
      added: [],
    });

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('时限“2.5”应为 0–365 的整数个工作日');
  });
});

describe('the critical path and the picture of a chain', () => {
  it('counts a step after its prerequisites even when the chain lists it before them', () => {
    // Prepare: 1c needs 1a and 1b but comes first
    const ordered = twoStageChain();
    const unordered = copy(ordered);
    const stage1 = unordered.stages[0];
    if (!stage1) throw new Error('no stage');
    stage1.steps = [...stage1.steps].reverse();
    stepIn(unordered, '1a').promisedDays = 9;

    // Act
    const path = chainCriticalPath(unordered);

    // Assess
    expect(path.stages[0]).toEqual({ stageId: 'stage-1', workingDays: 14, criticalSteps: ['1a', '1c'] });
  });

  it('draws every step once with its stage, the critical steps in red, a cycle dashed, and escapes names', () => {
    // Prepare
    const chain = copy(twoStageChain());
    stepIn(chain, '1a').name = '<规划&用地>';
    stepIn(chain, '1a').prerequisites = ['1c'];

    // Act
    const svg = renderChainSvg(chain, { critical: new Set(['1b']) });

    // Assess
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<rect [^>]*rx="5"/g)).toHaveLength(5);
    expect(svg).toContain('&lt;规划&amp;用地&gt;');
    expect(svg).not.toContain('<规划');
    expect(svg.match(/stroke="#c0392b" stroke-width="2.5"/g)).toHaveLength(1);
    expect(svg).toContain('stroke-dasharray="5 4"');
    expect(svg).not.toContain('style=');
  });
});

describe('the preview of a chain version', () => {
  it('lists the version number publishing would refuse beside the chain’s own problems', () => {
    // Act
    const same = previewChain(referenceChain, referenceDepartments, referenceChain);
    const older = previewChain({ ...referenceChain, version: 1 }, referenceDepartments, referenceChain);
    const next = previewChain(copy(referenceChain), referenceDepartments, referenceChain);

    // Assess
    expect(same.problems.map((p) => p.zh)).toEqual([
      `版本 ${referenceChain.version} 已发布，已发布的版本不能修改：请把 version 改为 ${referenceChain.version + 1}`,
    ]);
    expect(older.publishable).toBe(false);
    expect(next.publishable).toBe(true);
    expect(next.criticalPath?.workingDays).toBe(chainCriticalPath(referenceChain).workingDays);
  });

  it('gives only the problems of input that is no chain', () => {
    // Act
    const preview = previewChain({ id: 'x' }, referenceDepartments, undefined);

    // Assess
    expect(preview.publishable).toBe(false);
    expect(preview.svg).toBeUndefined();
    expect(preview.problems.map((p) => p.zh)).toContain(
      'version：Invalid input: expected number, received undefined',
    );
  });
});
