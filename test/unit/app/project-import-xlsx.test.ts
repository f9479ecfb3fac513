import { describe, expect, it } from 'vitest';
import { rowsOfXlsx, XlsxError, xlsxOfRows } from '../../../shared/app/project-import-xlsx.js';
import { importDate } from '../../../shared/domain/project-import.js';
import { importTemplateRows } from '../../../shared/domain/project-import-csv.js';
import { referenceChain } from '../../../shared/domain/reference/industrial-chain.js';

describe('the import template as an .xlsx workbook', () => {
  it('reads back exactly the rows it was written with (Chinese, codes, dates and XML characters intact)', () => {
    const rows = [
      ...importTemplateRows(referenceChain),
      ['2025-320115-39-01-050001', '导入项目 <一期> & "二期"', '', '2026-11-30'],
    ];
    const workbook = xlsxOfRows(rows, '在办项目导入');
    expect(Buffer.from(workbook.subarray(0, 4)).toString('hex')).toBe('504b0304');
    const back = rowsOfXlsx(workbook);
    expect(back[0]).toEqual(rows[0]);
    expect(back[2]).toEqual(['2025-320115-39-01-050001', '导入项目 <一期> & "二期"', '', '2026-11-30']);
  });

  it('refuses a file that is no workbook', () => {
    expect(() => rowsOfXlsx(new TextEncoder().encode('项目代码,项目名称\n'))).toThrow(XlsxError);
  });

  it('takes a date a spreadsheet stored as its day number', () => {
    expect(importDate('46357')).toBe('2026-12-01');
    expect(importDate('2026/12/1')).toBe('2026-12-01');
    expect(importDate('2026-02-30')).toBeUndefined();
  });
});
