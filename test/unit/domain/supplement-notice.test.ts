import { describe, expect, it } from 'vitest';
import type { Chain } from '../../../shared/domain/chain.js';
import { decideStep } from '../../../shared/domain/steps/decision.js';
import {
  mayIssueNotice,
  ONE_TIME_NOTICE_RULE,
  supplementNotices,
} from '../../../shared/domain/supplement-notice.js';
import { jointReviewChain, twoStageChain } from '../../support/chain-fixtures.js';
import { at, decided, officer, submitted } from '../../support/lifecycle.js';
import { projectState } from '../../support/project-state.js';

const chain: Chain = twoStageChain();
const joint: Chain = jointReviewChain();
const names = new Map([
  ['NRP', '自然资源和规划局'],
  ['HUD', '住房和城乡建设局'],
  ['CAD', '人防办'],
]);
let ids = 0;
const newId = () => `DOC${++ids}`;

const reviewing = () =>
  submitted(projectState(chain, { items: { '1a': { status: 'ready' } } }), '1a', '2026-03-02 10:00');

describe('the one-time notice (一次性告知书)', () => {
  it('numbers a notice on from the year’s last, lists every material with its department, and tells the agent', () => {
    // Prepare
    const state = reviewing();
    const input = at(state, '2026-03-03 10:00');
    const transition = decideStep(
      input,
      { stepId: '1a' },
      {
        outcome: 'supplement',
        missingMaterials: [
          { materialId: 'site-plan', name: '总平面图', reason: '未加盖出图章' },
          { name: '土地权属证明', reason: '未提供' },
        ],
      },
      officer,
    );

    // Act
    const { documents, notices, taken } = supplementNotices(
      state,
      transition,
      { year: '2026', previous: 41, taken: 0 },
      names,
      input.now,
      newId,
    );

    // Assess
    expect(taken).toBe(1);
    expect(documents).toEqual([
      expect.objectContaining({
        kind: 'supplement_notice',
        number: '补正告知〔2026〕第0042号',
        title: '一次性告知书',
        stepId: '1a',
        departmentId: 'NRP',
        issuedAt: '2026-03-03T02:00:00.000Z',
      }),
    ]);
    expect(documents[0]?.fields).toMatchObject({
      noticeDate: '2026-03-03',
      rule: ONE_TIME_NOTICE_RULE,
      materials: [
        { no: 1, name: '总平面图', reason: '未加盖出图章', department: '自然资源和规划局' },
        { no: 2, name: '土地权属证明', reason: '未提供', department: '自然资源和规划局' },
      ],
    });
    expect(notices).toEqual([
      expect.objectContaining({
        kind: 'supplement',
        stepId: '1a',
        audiences: [{ userId: 'agent-wang' }],
        message: '补正告知〔2026〕第0042号，请一次补齐：总平面图（未加盖出图章）；土地权属证明（未提供）',
      }),
    ]);
  });

  it('issues nothing for a decision that asks for no materials', () => {
    const state = reviewing();
    const input = at(state, '2026-03-03 10:00');
    const transition = decideStep(input, { stepId: '1a' }, { outcome: 'approved' }, officer);

    const result = supplementNotices(
      state,
      transition,
      { year: '2026', previous: 3, taken: 0 },
      names,
      input.now,
      newId,
    );

    expect(result).toEqual({ documents: [], notices: [], taken: 0 });
  });

  it("waits for a joint review's last part, then merges the parts' requests into one notice", () => {
    // Prepare: the fire and lightning parts decided, the civil air defence part asks for a material
    let state = submitted(
      projectState(joint, { items: { plan: { status: 'approved' }, drawings: { status: 'ready' } } }),
      'drawings',
      '2026-03-02 10:00',
      ['drawings', 'survey'],
    );
    const ask = {
      outcome: 'supplement' as const,
      missingMaterials: [{ name: '人防设计说明', reason: '缺页' }],
    };
    const first = decideStep(
      at(state, '2026-03-03 09:00'),
      { stepId: 'drawings', partId: 'cad' },
      ask,
      officer,
    );
    const early = supplementNotices(
      state,
      first,
      { year: '2026', previous: 0, taken: 0 },
      names,
      new Date(),
      newId,
    );
    state = decided(state, { stepId: 'drawings', partId: 'cad' }, '2026-03-03 09:00', ask);
    state = decided(state, { stepId: 'drawings', partId: 'met' }, '2026-03-03 10:00', {
      outcome: 'approved',
    });
    const input = at(state, '2026-03-03 11:00');

    // Act
    const last = decideStep(input, { stepId: 'drawings', partId: 'fire' }, { outcome: 'approved' }, officer);
    const merged = supplementNotices(
      state,
      last,
      { year: '2026', previous: 0, taken: 2 },
      names,
      input.now,
      newId,
    );

    // Assess
    expect(early.documents).toEqual([]);
    expect(merged.taken).toBe(3);
    expect(merged.documents.map((d) => d.number)).toEqual(['补正告知〔2026〕第0003号']);
    expect(merged.documents[0]?.fields.materials).toEqual([
      expect.objectContaining({ name: '人防设计说明', department: expect.stringContaining('人防审查') }),
    ]);
  });

  it('tells, before the project is read, which decisions may issue one (their number is read with the project)', () => {
    expect(mayIssueNotice({}, { outcome: 'supplement' })).toBe(true);
    expect(mayIssueNotice({ partId: 'cad' }, { outcome: 'approved' })).toBe(true);
    expect(mayIssueNotice({}, { outcome: 'approved' })).toBe(false);
    expect(mayIssueNotice({}, { outcome: 'rejected' })).toBe(false);
  });
});
