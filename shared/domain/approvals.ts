import { csvDocument } from './csv.js';
import type { Department } from './department.js';
import type { ApprovalRecord, Project, ProjectStep } from './project.js';
import type { ProjectState } from './transition.js';
import { chinaDate } from './working-days.js';

/**
 * A project's approvals (批文/证照): every step or joint-review part that was approved or deemed approved, with the
 * document it was issued as. A joint review's own item is left out: its parts carry the documents. An approval that
 * no longer stands stays on the list (痕迹管理): one revoked (撤销, a failed 告知承诺 verification) as `revoked`, one
 * reopened for review because an approval it rested on was revoked as `reopened`, each with when that happened;
 * the approval of a later round follows as its own row.
 */
export type ApprovalRow = {
  stepId: string;
  partId?: string;
  stepName: string;
  departmentId: string | null;
  departmentName: string | null;
  departmentLevel: Department['level'] | null;
  outcome: string;
  decidedAt: string | null;
  /** the document's number and date; null for an approval recorded before documents were (none are missing now) */
  documentNumber: string | null;
  documentDate: string | null;
  /** department, minutes (a joint review meeting's 会议纪要) or deemed_notice (the 超时默认通知单) */
  documentSource: 'department' | 'minutes' | 'deemed_notice' | null;
  conditions: string[];
  /** when the approval was revoked (`revoked`) or reopened for review (`reopened`); absent while it stands */
  endedAt?: string | null;
  /** why it no longer stands */
  endedReason?: string;
};

const isApproval = (item: ProjectStep): boolean =>
  item.kind !== 'joint' &&
  ((item.status === 'approved' && item.outcome !== 'reported') || item.status === 'deemed_approved');

/** The approvals of a project in the chain's order (a step, then its parts). */
export function approvalsOf(
  state: Pick<ProjectState, 'chain' | 'items'>,
  departments: readonly Department[],
): ApprovalRow[] {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const rows: ApprovalRow[] = [];
  for (const stage of state.chain.stages) {
    for (const step of stage.steps) {
      const keys = [step.id, ...(step.parts ?? []).map((p) => `${step.id}#${p.id}`)];
      for (const key of keys) {
        const item = state.items.get(key);
        if (!item) continue;
        const part = item.partId ? step.parts?.find((p) => p.id === item.partId) : undefined;
        const department = item.departmentId ? byId.get(item.departmentId) : undefined;
        const row = (fields: {
          outcome: string;
          decidedAt: string | null;
          document: ApprovalRecord | undefined;
          conditions?: string[];
          endedAt?: string | null;
          endedReason?: string;
        }): ApprovalRow => ({
          stepId: item.stepId,
          ...(item.partId ? { partId: item.partId } : {}),
          stepName: part ? `${step.name}（${part.name}）` : step.name,
          departmentId: item.departmentId,
          departmentName: department?.name ?? null,
          departmentLevel: department?.level ?? null,
          outcome: fields.outcome,
          decidedAt: fields.decidedAt,
          documentNumber: fields.document?.number ?? null,
          documentDate: fields.document?.date ?? null,
          documentSource: fields.document?.source ?? null,
          conditions: fields.conditions ?? [],
          ...(fields.endedAt !== undefined ? { endedAt: fields.endedAt } : {}),
          ...(fields.endedReason ? { endedReason: fields.endedReason } : {}),
        });
        for (const round of item.earlierRounds ?? []) {
          if ((round.outcome !== 'revoked' && round.outcome !== 'reopened') || !round.approvedAt) continue;
          rows.push(
            row({
              outcome: round.outcome,
              decidedAt: round.approvedAt,
              document: round.approvalDocument,
              endedAt: round.outcome === 'revoked' ? (round.decidedAt ?? null) : (round.reopenedAt ?? null),
              ...(round.reason ? { endedReason: round.reason } : {}),
            }),
          );
        }
        const stepItem = item.partId ? state.items.get(item.stepId) : item;
        const revoked = stepItem?.status === 'rejected' && stepItem.outcome === 'revoked';
        if (revoked && stepItem && (item.partId ? isApproval(item) : true)) {
          rows.push(
            row({
              outcome: 'revoked',
              decidedAt: (item.partId ? item.decidedAt : stepItem.commitment?.approvedAt) ?? null,
              document: item.approvalDocument,
              endedAt: stepItem.decidedAt ?? null,
              ...(stepItem.reason ? { endedReason: stepItem.reason } : {}),
            }),
          );
          continue;
        }
        if (!isApproval(item)) continue;
        rows.push(
          row({
            outcome: item.outcome ?? item.status,
            decidedAt: item.decidedAt ?? null,
            document: item.approvalDocument,
            conditions: item.conditions ?? [],
          }),
        );
      }
    }
  }
  return rows;
}

const OUTCOME_TEXT: Record<string, string> = {
  approved: '准予许可',
  approved_with_conditions: '有条件准予许可',
  deemed_approved: '超时默认同意',
  revoked: '已撤销（告知承诺核查不符）',
  reopened: '前置审批撤销，重新审查',
};
const SOURCE_TEXT: Record<string, string> = {
  department: '审批部门出具',
  minutes: '联审会议纪要',
  deemed_notice: '超时默认通知单（系统出具）',
};
const LEVEL_TEXT: Record<string, string> = { district: '区级', city: '市级', province: '省级' };

/**
 * The approvals as a CSV file Excel opens with its Chinese intact: UTF-8 with a byte-order mark, CRLF line ends,
 * every field quoted, one line per approval under a header.
 */
export function approvalsCsv(project: Pick<Project, 'code' | 'name'>, rows: readonly ApprovalRow[]): string {
  const header = [
    '项目代码',
    '项目名称',
    '事项编号',
    '审批事项',
    '审批部门',
    '部门层级',
    '审批结果',
    '批文/证照编号',
    '批文日期',
    '办结日期',
    '批文来源',
    '附加条件',
    '撤销/重审日期',
    '撤销/重审原因',
  ];
  const lines = rows.map((row) => [
    project.code,
    project.name,
    row.partId ? `${row.stepId}-${row.partId}` : row.stepId,
    row.stepName,
    row.departmentName ?? row.departmentId ?? '',
    row.departmentLevel ? (LEVEL_TEXT[row.departmentLevel] ?? row.departmentLevel) : '',
    OUTCOME_TEXT[row.outcome] ?? row.outcome,
    row.documentNumber ?? '',
    row.documentDate ?? '',
    row.decidedAt ? chinaDate(new Date(row.decidedAt)) : '',
    row.documentSource ? (SOURCE_TEXT[row.documentSource] ?? row.documentSource) : '',
    row.conditions.join('；'),
    row.endedAt ? chinaDate(new Date(row.endedAt)) : '',
    row.endedReason ?? '',
  ]);
  return csvDocument([header, ...lines]);
}

/**
 * One approval as a district hands it on (开放数据: what the national investment project platform and the city's
 * statistics office ask for), keyed by the project code: the national one once issued (`codeKind: national`),
 * else the provisional one Daiban gave. Dates are China dates (Asia/Shanghai).
 */
export type OpenApprovalRow = {
  projectCode: string;
  codeKind: 'national' | 'provisional';
  projectName: string;
  enterpriseName: string;
  /** 统一社会信用代码 */
  enterpriseCreditCode: string;
  stepId: string;
  partId: string | null;
  step: string;
  departmentId: string | null;
  department: string | null;
  outcome: string;
  documentNumber: string | null;
  documentDate: string | null;
  decidedDate: string | null;
};

/** The open-data rows of one project's approvals (see {@link approvalsOf}). */
export function openApprovalRows(
  project: Pick<Project, 'code' | 'codeKind' | 'name' | 'enterpriseName' | 'enterpriseId'>,
  rows: readonly ApprovalRow[],
): OpenApprovalRow[] {
  return rows.map((row) => ({
    projectCode: project.code,
    codeKind: project.codeKind ?? 'provisional',
    projectName: project.name,
    enterpriseName: project.enterpriseName,
    enterpriseCreditCode: project.enterpriseId,
    stepId: row.stepId,
    partId: row.partId ?? null,
    step: row.stepName,
    departmentId: row.departmentId,
    department: row.departmentName,
    outcome: row.outcome,
    documentNumber: row.documentNumber,
    documentDate: row.documentDate,
    decidedDate: row.decidedAt ? chinaDate(new Date(row.decidedAt)) : null,
  }));
}

/** The columns of the open-data CSV, in order, with their Chinese headers. */
const OPEN_COLUMNS: ReadonlyArray<readonly [keyof OpenApprovalRow, string]> = [
  ['projectCode', '项目代码'],
  ['codeKind', '代码类型'],
  ['projectName', '项目名称'],
  ['enterpriseName', '项目单位'],
  ['enterpriseCreditCode', '统一社会信用代码'],
  ['stepId', '事项编号'],
  ['partId', '分项编号'],
  ['step', '审批事项'],
  ['departmentId', '部门代码'],
  ['department', '审批部门'],
  ['outcome', '审批结果'],
  ['documentNumber', '批文/证照编号'],
  ['documentDate', '批文日期'],
  ['decidedDate', '办结日期'],
];

/**
 * Open-data rows as CSV, written like {@link approvalsCsv} (UTF-8 with a byte-order mark, CRLF, every field quoted
 * and guarded against formulas): machine-readable values (`approved`, ids, ISO dates) under Chinese headers.
 */
export function openApprovalsCsv(rows: readonly OpenApprovalRow[]): string {
  const header = OPEN_COLUMNS.map(([, title]) => title);
  const lines = rows.map((row) => OPEN_COLUMNS.map(([name]) => String(row[name] ?? '')));
  return csvDocument([header, ...lines]);
}
