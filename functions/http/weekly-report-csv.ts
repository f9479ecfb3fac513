import { CASE_KIND_NAMES, CASE_KINDS } from '../../shared/domain/case-kinds.js';
import { type CsvCell, csvDocument } from '../../shared/domain/csv.js';
import type { WeeklyReport } from '../../shared/domain/weekly-report.js';

/**
 * The weekly report as CSV (shared/domain/csv.ts: UTF-8 with a BOM, so spreadsheet programs read the Chinese, every
 * field quoted and guarded against formulas): one block per section.
 */
export function weeklyReportCsv(report: WeeklyReport): string {
  const rows: CsvCell[][] = [
    ['周报', report.week, report.from, report.to],
    [],
    ['指标', '数值'],
    ['新登记项目', report.projects.started],
    ['有进展项目', report.projects.advanced],
    ['办结项目', report.projects.completed],
    ['办结事项', report.steps.decided],
    ['按时', report.steps.onTime],
    ['超时', report.steps.late],
    ['按时率(%)', report.steps.onTimeRate],
    ...CASE_KINDS.map((k) => [CASE_KIND_NAMES[k], report.caseKinds[k]]),
    [],
    ['名次', '部门编号', '部门', '办结', '按时', '超时', '超时默认', '平均用时(工作日)'],
    ...report.departments.map((d) => [
      d.rank,
      d.departmentId,
      d.name,
      d.decided,
      d.onTime,
      d.late,
      d.deemedApprovals,
      d.averageWorkingDays,
    ]),
    [],
    ['阶段', '办结', '平均用时', '平均承诺时限', '平均法定时限'],
    ...report.stages.map((s) => [
      s.name,
      s.decided,
      s.averageWorkingDays,
      s.averagePromisedDays,
      s.averageLegalDays,
    ]),
    [],
    ['项目代码', '项目', '事项', '部门', '用时', '承诺时限', '法定时限', '结果'],
    ...report.slowest.map((s) => [
      s.projectCode,
      s.projectName,
      `${s.stepId} ${s.stepName}`,
      s.departmentName,
      s.workingDays,
      s.promisedDays,
      s.legalDays,
      s.outcome,
    ]),
  ];
  return csvDocument(rows);
}
