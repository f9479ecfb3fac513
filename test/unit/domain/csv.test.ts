import { describe, expect, it } from 'vitest';
import { weeklyReportCsv } from '../../../functions/http/weekly-report-csv.js';
import { chineseDaysCalendar } from '../../../shared/calendar/chinese-days-calendar.js';
import { openApprovalsCsv } from '../../../shared/domain/approvals.js';
import { csvDocument, csvField } from '../../../shared/domain/csv.js';
import { referenceDepartments } from '../../../shared/domain/reference/departments.js';
import { isoWeekNamed, weeklyReport } from '../../../shared/domain/weekly-report.js';

describe('the CSV writer', () => {
  it.each(['=HYPERLINK("http://x","y")', '+1', '-1+1', '@SUM(A1)', '\tcmd', '\r=1'])(
    'keeps %j from running as a formula: a leading apostrophe',
    (value) => {
      expect(csvField(value)).toBe(`"'${value.replaceAll('"', '""')}"`);
    },
  );

  it.each([
    ['长江一期', '"长江一期"'],
    ['a "quoted", field', '"a ""quoted"", field"'],
    ['1+1=2', '"1+1=2"'],
    [' =1', '" =1"'],
    [42, '"42"'],
    [null, '""'],
    [undefined, '""'],
  ])('quotes %j as it is: %s', (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  it('writes a byte-order mark, then every row with CRLF', () => {
    // Act
    const csv = csvDocument([['项目', '数值'], ['=1+1', 3], [], ['a\r\nb', null]]);

    // Assess
    expect(csv).toBe('\uFEFF"项目","数值"\r\n"\'=1+1","3"\r\n\r\n"a\r\nb",""\r\n');
  });

  it('guards every CSV the product writes: the open-data export and the weekly report', () => {
    // Arrange: a department whose name a spreadsheet would run, in both files
    const formula = '=HYPERLINK("http://evil.example","点击")';
    const week = isoWeekNamed('2026-W47');
    if (!week) throw new Error('2026-W47 is a week');
    const report = weeklyReport({
      week,
      projects: [],
      departments: referenceDepartments.map((d) => ({ ...d, name: formula })),
      calendar: chineseDaysCalendar(),
      generatedAt: '2026-11-23T00:00:00.000Z',
    });
    const planted = {
      ...report,
      departments: [{ ...(report.departments[0] as (typeof report.departments)[number]), name: formula }],
    };

    // Act
    const weekly = weeklyReportCsv(planted);
    const open = openApprovalsCsv([
      { projectCode: formula } as Parameters<typeof openApprovalsCsv>[0][number],
    ]);

    // Assess
    const guarded = `"'${formula.replaceAll('"', '""')}"`;
    expect(weekly).toContain(guarded);
    expect(open).toContain(guarded);
    expect(`${weekly}${open}`.replaceAll(guarded, '')).not.toContain('=HYPERLINK');
  });
});
