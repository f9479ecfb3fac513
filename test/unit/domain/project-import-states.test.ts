import { describe, expect, it } from 'vitest';
import { chineseDaysCalendar } from '../../../shared/calendar/chinese-days-calendar.js';
import { withCreditCodeCheck } from '../../../shared/domain/credit-code.js';
import { lightOf } from '../../../shared/domain/lights.js';
import { itemKey, type Project } from '../../../shared/domain/project.js';
import { type ImportedProject, planImport } from '../../../shared/domain/project-import.js';
import { cellName, parseCsv, rowsToCsv, templateHeader } from '../../../shared/domain/project-import-csv.js';
import { importedItems } from '../../../shared/domain/project-import-items.js';
import { sampleImportRows } from '../../../shared/domain/project-import-sample.js';
import { brokenInvariants } from '../../../shared/domain/project-invariants.js';
import { referenceChain } from '../../../shared/domain/reference/industrial-chain.js';
import { DEFAULT_SLA_POLICY } from '../../../shared/domain/sla-policy.js';
import { readClock } from '../../../shared/domain/step-clock.js';
import { importedProjectRecord } from '../../support/imported-project.js';

/**
 * The rows of an import that the live system has in states beyond approved and in review: rejected (不予许可),
 * paused (专家评审, 听证…), waiting for a supplement (补正); rows without a national code; attributes and the
 * registration date given in the file.
 */

const TODAY = '2026-12-07';
const NOW = new Date('2026-12-07T01:00:00.000Z');
const keys = templateHeader(referenceChain).map((h) => h.key);
const plan = (rows: Array<Record<string, string>>) =>
  planImport(referenceChain, parseCsv(rowsToCsv(keys, rows)), TODAY);
const cellOf = (key: string, row: number) => cellName(keys.indexOf(key), row);

/** A project in stage 1: step 1 approved, 2 rejected, 6 waiting for a supplement, 7 in expert review, 9 overdue. */
function row(): Record<string, string> {
  return {
    project_code: '',
    name: '导入项目 甲',
    enterprise_name: '南京示范制造有限公司',
    enterprise_credit_code: withCreditCodeCheck('91320115MA1M00000'),
    investment_cny: '20000000',
    agent_id: 'agent-wang',
    'attr.siteAreaM2': '15,000',
    'step.1.status': '已办结',
    'step.1.submitted': '2026-10-30',
    'step.1.accepted': '2026-10-30',
    'step.1.decided': '2026-11-02',
    'step.1.outcome': '批准',
    'step.1.doc_number': '宁发改备〔2026〕1号',
    'step.1.doc_date': '2026-11-02',
    'step.2.status': '已办结',
    'step.2.accepted': '2026-11-03',
    'step.2.decided': '2026-11-20',
    'step.2.outcome': '不予许可',
    'step.2.doc_number': '宁规不许〔2026〕3号',
    'step.2.doc_date': '2026-11-20',
    'step.6.status': '补正中',
    'step.6.accepted': '2026-11-10',
    'step.6.paused_on': '2026-11-12',
    'step.6.pause_reason': '消防设计说明；结构计算书',
    'step.7.status': '专家评审中',
    'step.7.accepted': '2026-11-05',
    'step.7.paused_on': '2026-11-20',
    'step.7.pause_reason': '组织专家评审',
    'step.9.status': '审查中',
    'step.9.accepted': '2026-11-02',
  };
}

/** The project record the use case would write for a planned row, registered on the day the file says. */
const projectOf = (planned: ImportedProject): Project =>
  importedProjectRecord(planned, {
    createdAt: `${planned.registeredOn}T01:00:00.000Z`,
    updatedAt: NOW.toISOString(),
  });

describe('a row in the states the live system has', () => {
  it('plans rejected, paused and supplement-requested steps, the project returned, attributes and registration from the file', () => {
    const result = plan([row()]);
    expect(result.problems).toEqual([]);
    const [planned] = result.projects;
    if (!planned) throw new Error('no project planned');
    expect(planned).toMatchObject({ status: 'returned', currentStageIndex: 0, registeredOn: '2026-10-30' });
    expect(planned.projectCode).toBeUndefined();
    expect(planned.attributes.siteAreaM2).toBe(15_000);
    const step = (id: string) => planned.steps.find((s) => s.stepId === id);
    expect(step('2')).toMatchObject({ status: 'rejected', document: { number: '宁规不许〔2026〕3号' } });
    expect(step('6')).toMatchObject({
      status: 'supplement_requested',
      pause: { kind: 'supplement', from: '2026-11-12' },
      missing: ['消防设计说明', '结构计算书'],
    });
    expect(step('7')).toMatchObject({
      status: 'paused',
      pause: { kind: 'expert_review', from: '2026-11-20' },
    });
    // steps 10 and 11 need 20,000 m² of land: not applicable to 15,000
    expect(step('10')).toMatchObject({ status: 'not_applicable', byRule: true });
  });

  it('builds items as the live system has them: invariants hold, paused clocks stand still, lights as they are', () => {
    const [planned] = plan([row()]).projects;
    if (!planned) throw new Error('no project planned');
    const project = projectOf(planned);
    const calendar = chineseDaysCalendar();
    const items = importedItems({
      chain: referenceChain,
      project,
      planned,
      importedBy: 'admin',
      importedAt: NOW.toISOString(),
      calendar,
      holdUntil: '2026-12-09T16:00:00.000Z',
    });
    const byKey = new Map(items.map((i) => [itemKey(i), i]));
    expect(brokenInvariants({ project, chain: referenceChain, items: byKey })).toEqual([]);
    expect(
      brokenInvariants({ project: { ...project, status: 'active' }, chain: referenceChain, items: byKey }),
    ).not.toEqual([]);
    const rejected = byKey.get('2');
    expect(rejected).toMatchObject({ status: 'rejected', outcome: 'rejected', decidedBy: 'admin' });
    expect(rejected?.legalBasis).toContain('宁规不许〔2026〕3号');
    expect(rejected?.decidedAt?.slice(0, 10)).toBe('2026-11-20');
    const supplement = byKey.get('6');
    expect(supplement).toMatchObject({ status: 'supplement_requested', supplementRounds: 1 });
    expect(supplement?.missingMaterials?.map((m) => m.name)).toEqual(['消防设计说明', '结构计算书']);
    expect(supplement?.clock?.pauses).toMatchObject([
      { pauseId: 'supplement-1', kind: 'supplement', fromDate: '2026-11-12' },
    ]);
    expect(supplement?.dueDate).toBeUndefined();
    const expert = byKey.get('7');
    expect(expert).toMatchObject({ status: 'in_review' });
    expect(expert?.clock?.pauses).toMatchObject([
      { kind: 'expert_review', fromDate: '2026-11-20', reason: '组织专家评审' },
    ]);
    expect(expert?.dueDate).toBeUndefined();
    expect(byKey.get('10')).toMatchObject({ status: 'not_applicable', reason: 'applicability rule' });
    const light = (key: string) => {
      const item = byKey.get(key);
      if (!item?.clock) throw new Error(`step ${key} has no clock`);
      return lightOf(readClock(calendar, item.clock, NOW), item.clock.promisedDays, DEFAULT_SLA_POLICY);
    };
    // step 6 stood still two working days into its ten; step 9 is three weeks into its ten
    expect(light('6')).toBe('green');
    expect(readClock(calendar, supplement?.clock ?? ({} as never), NOW)).toMatchObject({
      paused: true,
      elapsed: 2,
    });
    expect(light('9')).toBe('red');
  });

  it('knows a row without a code by its content: the same row twice is one project, a changed row another', () => {
    const first = plan([row()]).projects[0];
    const again = plan([row()]).projects[0];
    expect(first?.identity).toMatch(/^h-[0-9a-f]{32}$/);
    expect(again?.identity).toBe(first?.identity);
    const changed = { ...row(), 'step.9.accepted': '2026-11-03' };
    expect(plan([changed]).projects[0]?.identity).not.toBe(first?.identity);
    const twice = plan([row(), row()]);
    expect(twice.problems.map((p) => [p.row, p.code, p.column])).toEqual([
      [3, 'IMPORT.DUPLICATE_ROW', 'name'],
    ]);
    expect(twice.projects).toHaveLength(1);
  });
});

describe('the problems of such rows, per cell', () => {
  const problemsOf = (changes: Record<string, string>) =>
    plan([{ ...row(), ...changes }]).problems.map((p) => ({
      code: p.code,
      cell: p.cell,
      message: p.message,
      en: p.messageEn,
    }));

  it('names a step in review accepted before its prerequisite was decided (an impossible order)', () => {
    // step 8 needs step 1, decided on 2 November
    const problems = problemsOf({ 'step.8.status': '审查中', 'step.8.accepted': '2026-11-01' });
    expect(problems).toContainEqual({
      code: 'IMPORT.PREREQUISITE_LATER',
      cell: cellOf('step.8.accepted', 2),
      message: `第 2 行（${cellOf('step.8.accepted', 2)}）：步骤 8 受理于 2026-11-01，早于其前置步骤 1 的办结日期 2026-11-02（前置步骤办结后才能受理）`,
      en: `row 2 (${cellOf('step.8.accepted', 2)}): step 8 was accepted on 2026-11-01, before its prerequisite 1 was decided (2026-11-02)`,
    });
  });

  it('names a pause without its date, a pause before acceptance, and a pause on a step in review', () => {
    expect(problemsOf({ 'step.6.paused_on': '' }).map((p) => [p.code, p.cell])).toEqual([
      ['IMPORT.PAUSE', cellOf('step.6.paused_on', 2)],
    ]);
    expect(problemsOf({ 'step.7.paused_on': '2026-11-01' }).map((p) => [p.code, p.cell])).toEqual([
      ['IMPORT.ORDER', cellOf('step.7.paused_on', 2)],
    ]);
    expect(problemsOf({ 'step.9.paused_on': '2026-11-20' }).map((p) => [p.code, p.cell])).toEqual([
      ['IMPORT.PAUSE', cellOf('step.9.paused_on', 2)],
    ]);
  });

  it('names a rejection without its decision document, and a step begun after a rejected prerequisite', () => {
    expect(problemsOf({ 'step.2.doc_number': '' }).map((p) => [p.code, p.cell])).toEqual([
      ['IMPORT.DOCUMENT_MISSING', cellOf('step.2.doc_number', 2)],
    ]);
    const begun = problemsOf({ 'step.3.status': '审查中', 'step.3.accepted': '2026-11-25' });
    expect(begun.map((p) => [p.code, p.cell])).toEqual([
      ['IMPORT.PREREQUISITE_OPEN', cellOf('step.3.status', 2)],
    ]);
    expect(begun[0]?.message).toContain('其前置步骤 2 不予许可');
  });

  it('names an attribute that is not one, a step the attributes rule out, and a registration after the first step', () => {
    expect(problemsOf({ 'attr.siteAreaM2': '很大' }).map((p) => [p.code, p.cell])).toEqual([
      ['IMPORT.ATTRIBUTE', cellOf('attr.siteAreaM2', 2)],
    ]);
    expect(problemsOf({ 'attr.needsCivilAirDefence': '也许' })[0]?.message).toContain('应为“是”或“否”');
    expect(
      problemsOf({ 'step.10.status': '审查中', 'step.10.accepted': '2026-11-25' }).map((p) => [
        p.code,
        p.cell,
      ]),
    ).toEqual([['IMPORT.NOT_APPLICABLE', cellOf('step.10.status', 2)]]);
    expect(problemsOf({ registered_on: '2026-11-01' }).map((p) => [p.code, p.cell])).toEqual([
      ['IMPORT.ORDER', cellOf('registered_on', 2)],
    ]);
    expect(plan([{ ...row(), registered_on: '2026/10/8' }]).projects[0]?.registeredOn).toBe('2026-10-08');
  });
});

describe('a joint review (联合审查) in those states', () => {
  const sampleRow = () => {
    const rows = sampleImportRows(referenceChain, { count: 8, today: TODAY, agentId: 'agent-wang' });
    // the eighth project is in stage 3, its joint review (step 23) in review
    const row = rows[7] as Record<string, string>;
    expect(row['step.23.status']).toBe('审查中');
    return row;
  };
  const itemsOf = (row: Record<string, string>) => {
    const [planned] = plan([row]).projects;
    if (!planned) throw new Error(JSON.stringify(plan([row]).problems));
    const project = projectOf(planned);
    const items = importedItems({
      chain: referenceChain,
      project,
      planned,
      importedBy: 'admin',
      calendar: chineseDaysCalendar(),
      holdUntil: '2026-12-09T16:00:00.000Z',
    });
    const byKey = new Map(items.map((i) => [itemKey(i), i]));
    expect(brokenInvariants({ project, chain: referenceChain, items: byKey })).toEqual([]);
    return { project, byKey, parts: items.filter((i) => i.stepId === '23' && i.partId) };
  };

  it('asks a supplement of the whole review: the step waits for the enterprise, each part’s clock stands still', () => {
    const row = sampleRow();
    const accepted = row['step.23.accepted'] ?? '';
    const { byKey, parts } = itemsOf({ ...row, 'step.23.status': '补正中', 'step.23.paused_on': accepted });
    expect(byKey.get('23')).toMatchObject({ status: 'supplement_requested', supplementRounds: 1 });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts.filter((p) => p.status !== 'not_applicable')) {
      expect(part.status).toBe('supplement_requested');
      expect(part.clock?.pauses.map((p) => p.kind)).toEqual(['supplement']);
      expect(part.dueDate).toBeUndefined();
    }
  });

  it('rejects the whole review: the step and its parts stand rejected, the project returned', () => {
    const row = sampleRow();
    const decided = row['step.23.accepted'] ?? '';
    const { project, byKey, parts } = itemsOf({
      ...row,
      'step.23.status': '已办结',
      'step.23.decided': decided,
      'step.23.outcome': '不予许可',
      'step.23.doc_number': '宁联审不许〔2026〕2号',
      'step.23.doc_date': decided,
    });
    expect(project.status).toBe('returned');
    expect(byKey.get('23')).toMatchObject({ status: 'rejected', outcome: 'rejected' });
    for (const part of parts.filter((p) => p.status !== 'not_applicable'))
      expect(part.status).toBe('rejected');
  });
});
