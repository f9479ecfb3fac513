import { describe, expect, it } from 'vitest';
import { type ApprovalRow, approvalsCsv } from '../../../shared/domain/approvals.js';
import { nationalCodeProblem } from '../../../shared/domain/project-code.js';

const row = (overrides: Partial<ApprovalRow> = {}): ApprovalRow => ({
  stepId: '7',
  stepName: '建设项目环境影响评价审批',
  departmentId: 'ENV_CITY',
  departmentName: '市生态环境局',
  departmentLevel: 'city',
  outcome: 'approved',
  decidedAt: '2026-12-16T02:00:00.000Z',
  documentNumber: '宁环审〔2026〕201号',
  documentDate: '2026-12-15',
  documentSource: 'department',
  conditions: [],
  ...overrides,
});

describe('the approvals CSV', () => {
  it('starts with a byte-order mark, ends lines with CRLF and quotes every field', () => {
    // Act
    const csv = approvalsCsv({ code: '2026-320115-47-03-000015', name: '长江"一期",项目' }, [row()]);

    // Assess
    expect(csv.startsWith('\uFEFF"项目代码"')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(
      '"2026-320115-47-03-000015","长江""一期"",项目","7","建设项目环境影响评价审批","市生态环境局","市级","准予许可","宁环审〔2026〕201号","2026-12-15","2026-12-16","审批部门出具","","",""',
    );
    expect(lines[2]).toBe('');
  });
});

describe('national project codes', () => {
  it.each([
    ['a GB/T 40058-2021 code with its check character', '2026-320102-47-03-123458'],
    ['a code of the earlier rules (6-digit serial, up to 2021)', '2019-320115-47-03-512345'],
  ])('accepts %s', (_, code) => {
    expect(nationalCodeProblem(code)).toBeUndefined();
  });

  it.each([
    ['a 6-digit serial after 2021', '2026-320102-47-03-123456', /wrong check character .* since 2022/],
    ['an unknown type code', '2019-320115-47-09-512345', /type code '09'/],
    ['a short code', '2026-320102-47-03-1234', /24 characters/],
  ])('refuses %s, saying why', (_, code, why) => {
    expect(nationalCodeProblem(code)).toMatch(why);
  });
});
