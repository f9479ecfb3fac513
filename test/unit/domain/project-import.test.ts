import { describe, expect, it } from 'vitest';
import { chineseDaysCalendar } from '../../../shared/calendar/chinese-days-calendar.js';
import { itemKey } from '../../../shared/domain/project.js';
import { planImport } from '../../../shared/domain/project-import.js';
import {
  importTemplateCsv,
  parseCsv,
  rowsToCsv,
  templateHeader,
} from '../../../shared/domain/project-import-csv.js';
import { importedItems } from '../../../shared/domain/project-import-items.js';
import { sampleImportRows } from '../../../shared/domain/project-import-sample.js';
import { brokenInvariants } from '../../../shared/domain/project-invariants.js';
import { referenceChain } from '../../../shared/domain/reference/industrial-chain.js';
import { importedProjectRecord } from '../../support/imported-project.js';

const TODAY = '2026-12-07';
const keys = templateHeader(referenceChain).map((h) => h.key);
const sample = (count: number) =>
  sampleImportRows(referenceChain, { count, today: TODAY, agentId: 'agent-wang' });
const plan = (rows: Array<Record<string, string>>) =>
  planImport(referenceChain, parseCsv(rowsToCsv(keys, rows)), TODAY);

describe('the import template', () => {
  it('names every step of the chain version with Chinese labels and machine keys, as UTF-8 with a BOM', () => {
    const csv = importTemplateCsv(referenceChain);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [header] = parseCsv(csv);
    expect(header?.[0]).toBe('项目代码 [project_code]');
    const step16 = referenceChain.stages[1]?.steps[1];
    expect(header).toContain(`16 ${step16?.name}·受理日期 [step.16.accepted]`);
    expect(header).toContain('用地面积（平方米） [attr.siteAreaM2]');
    expect(header?.length).toBe(7 + referenceChain.attributes.length + 9 * 35);
  });

  it('reads back a file written from its header (the example row left out)', () => {
    const csv = importTemplateCsv(referenceChain);
    const result = planImport(referenceChain, parseCsv(csv), TODAY);
    expect(result).toMatchObject({ rows: 0, projects: [], problems: [] });
  });
});

describe('planning an import', () => {
  it('plans a generated file of projects in every stage without a problem', () => {
    const result = plan(sample(10));
    expect(result.problems).toEqual([]);
    expect(result.projects.map((p) => p.currentStageIndex)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    expect(result.projects.filter((p) => p.completed)).toHaveLength(2);
  });

  it('names each planted bad row by row and cell, in Chinese and English', () => {
    const rows = sample(8);
    const [r0, r1, r2, r3, r4, r5, r6, r7] = rows as [Record<string, string>, ...Record<string, string>[]];
    // row 2: a decision dated before its submission
    r0['step.1.decided'] = '2020-01-01';
    // row 3 (stage 2): step 15 decided before its prerequisite 3 was decided
    if (r1) {
      r1['step.15.submitted'] = '2020-01-01';
      r1['step.15.accepted'] = '2020-01-01';
      r1['step.15.decided'] = '2020-01-02';
      r1['step.15.doc_date'] = '2020-01-02';
    }
    // row 4: an approval without its document number
    if (r2) r2['step.1.doc_number'] = '';
    // row 5: a date in the future
    if (r3) r3['step.2.doc_date'] = '2027-03-01';
    // row 6: an invalid credit code
    if (r4) r4.enterprise_credit_code = '91320115MA000000';
    // row 7: a step of a later stage decided while stage 1 is still open (stage 1 project)
    if (r5) {
      r5['step.15.status'] = '已办结';
      r5['step.15.decided'] = '2026-11-01';
      r5['step.15.outcome'] = '批准';
      r5['step.15.doc_number'] = '宁批1号';
      r5['step.15.doc_date'] = '2026-11-01';
    }
    // row 8: an unknown status word
    if (r6) r6['step.1.status'] = '差不多';
    // row 9: stays good
    void r7;
    const result = plan(rows);
    const byRow = (row: number) => result.problems.filter((p) => p.row === row);
    expect(byRow(2).map((p) => [p.code, p.column])).toContainEqual(['IMPORT.ORDER', 'step.1.decided']);
    expect(byRow(3).map((p) => p.code)).toContain('IMPORT.PREREQUISITE_LATER');
    expect(byRow(4).map((p) => [p.code, p.column])).toContainEqual([
      'IMPORT.DOCUMENT_MISSING',
      'step.1.doc_number',
    ]);
    expect(byRow(5).map((p) => p.code)).toContain('IMPORT.FUTURE_DATE');
    expect(byRow(6).map((p) => [p.code, p.cell])).toContainEqual(['IMPORT.CREDIT_CODE', 'D6']);
    expect(byRow(7).map((p) => [p.code, p.column])).toContainEqual(['IMPORT.STAGE_ORDER', 'step.15.status']);
    expect(byRow(8).map((p) => p.code)).toContain('IMPORT.STATUS');
    expect(byRow(9)).toEqual([]);
    for (const problem of result.problems) {
      expect(problem.message).toMatch(new RegExp(`^第 ${problem.row} 行`));
      expect(problem.messageEn).toMatch(new RegExp(`^row ${problem.row}`));
    }
    expect(result.projects.map((p) => p.row)).toEqual([9]);
  });

  it('refuses a step in review without its acceptance date, and one begun before its prerequisite', () => {
    const [row] = sample(1) as [Record<string, string>];
    // stage 1 project: step 3 needs step 2
    row['step.2.status'] = '';
    for (const f of ['submitted', 'accepted', 'decided', 'outcome', 'doc_number', 'doc_date'])
      row[`step.2.${f}`] = '';
    row['step.3.status'] = '审查中';
    row['step.3.accepted'] = '2026-12-01';
    for (const f of ['decided', 'outcome', 'doc_number', 'doc_date']) row[`step.3.${f}`] = '';
    row['step.6.status'] = '审查中';
    for (const f of ['submitted', 'accepted', 'decided', 'outcome', 'doc_number', 'doc_date'])
      row[`step.6.${f}`] = '';
    const codes = plan([row]).problems.map((p) => p.code);
    expect(codes).toContain('IMPORT.ACCEPTED_MISSING');
    expect(codes).toContain('IMPORT.PREREQUISITE_OPEN');
  });

  it('names an unknown step column and a repeated project code', () => {
    const rows = sample(2);
    const second = rows[1] as Record<string, string>;
    second.project_code = (rows[0] as Record<string, string>).project_code ?? '';
    const csv = rowsToCsv([...keys, 'step.99.status'], rows);
    const result = planImport(referenceChain, parseCsv(csv), TODAY);
    expect(result.problems.map((p) => [p.row, p.code])).toEqual([
      [1, 'IMPORT.UNKNOWN_STEP'],
      [3, 'IMPORT.DUPLICATE_CODE'],
    ]);
  });
});

describe('the items of an imported project', () => {
  it('keep the project invariants, run open clocks from their acceptance and hold the sweep until the grace ends', () => {
    const calendar = chineseDaysCalendar();
    const result = plan(sample(10));
    const holdUntil = '2026-12-13T16:00:00.000Z';
    for (const planned of result.projects) {
      const project = importedProjectRecord(planned, {
        createdAt: '2026-12-07T02:00:00.000Z',
        updatedAt: '2026-12-07T02:00:00.000Z',
      });
      const items = importedItems({
        chain: referenceChain,
        project,
        planned,
        importedBy: 'admin',
        calendar,
        holdUntil,
      });
      const state = { project, chain: referenceChain, items: new Map(items.map((i) => [itemKey(i), i])) };
      expect(brokenInvariants(state)).toEqual([]);
      for (const item of items.filter((i) => i.status === 'in_review' && i.clock)) {
        const step = planned.steps.find((s) => s.stepId === item.stepId);
        expect(item.clock?.acceptedAt.slice(0, 10)).toBe(step?.accepted);
        if (step?.status === 'paused') {
          // a clock standing still has no due date, and nothing for the sweep to look at
          expect(item.clock?.pauses.map((p) => [p.kind, p.fromDate])).toEqual([
            [step.pause?.kind, step.pause?.from],
          ]);
          expect(item.dueDate).toBeUndefined();
          continue;
        }
        expect(item.dueDate).toBeDefined();
        expect(item.slaCheckAt && item.slaCheckAt >= holdUntil).toBe(true);
      }
      const approved = items.filter((i) => i.status === 'approved' && i.kind === 'approval' && !i.partId);
      for (const item of approved) expect(item.approvalDocument?.number).toMatch(/^宁导批/);
    }
  });
});
