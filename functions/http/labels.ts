import type { Translate } from './i18n.js';

/** Status, outcome, role and light words as people read them, in both languages. */
const STEP_STATUS: Record<string, [string, string]> = {
  pending: ['待前置', 'waiting for prerequisites'],
  ready: ['待申报', 'ready to submit'],
  in_review: ['审查中', 'in review'],
  supplement_requested: ['待补正', 'supplement requested'],
  approved: ['已批准', 'approved'],
  deemed_approved: ['超时默认', 'deemed approved'],
  rejected: ['不予许可', 'rejected'],
  not_applicable: ['不适用', 'not applicable'],
  withdrawn: ['已撤回', 'withdrawn'],
};

const PROJECT_STATUS: Record<string, [string, string]> = {
  active: ['在办', 'active'],
  returned: ['退办', 'returned'],
  completed: ['已办结', 'completed'],
  withdrawn: ['已撤回', 'withdrawn'],
};

const OUTCOME: Record<string, [string, string]> = {
  approved: ['同意', 'approve'],
  approved_with_conditions: ['有条件同意', 'approve with conditions'],
  supplement: ['一次性告知补正', 'request a supplement'],
  rejected: ['不予许可', 'reject'],
  not_applicable: ['不适用', 'not applicable'],
  noted: ['会议知悉', 'noted'],
};

const ROLE: Record<string, [string, string]> = {
  agent: ['代办员', 'agent'],
  officer: ['部门窗口', 'department officer'],
  investor: ['投资方', 'investor'],
  leader: ['领导', 'leader'],
  admin: ['管理员', 'admin'],
  efficiency: ['效能办', 'efficiency office'],
};

/** a department's level */
const LEVEL: Record<string, [string, string]> = {
  district: ['区级', 'district'],
  city: ['市级', 'city'],
  province: ['省级', 'province'],
};

/** why an agent holds a project, for the reasons the system itself writes */
const ASSIGNMENT_REASON: Record<string, [string, string]> = {
  'assigned at registration': ['登记时指派', 'assigned at registration'],
};

const LIGHT: Record<string, [string, string]> = {
  green: ['绿灯', 'green'],
  yellow: ['黄灯', 'yellow'],
  red: ['红灯', 'red'],
};

const MEETING_STATUS: Record<string, [string, string]> = {
  requested: ['待审批的申请', 'requested'],
  proposed: ['系统建议', 'proposed'],
  scheduled: ['已安排', 'scheduled'],
  declined: ['未同意', 'declined'],
  minuted: ['已印发纪要', 'minuted'],
  cancelled: ['已取消', 'cancelled'],
};

const PAUSE_KIND: Record<string, [string, string]> = {
  supplement: ['补正', 'supplement'],
  hearing: ['听证', 'hearing'],
  expert_review: ['专家评审', 'expert review'],
  testing: ['检验检测', 'testing'],
  site_survey: ['现场勘查', 'site survey'],
};

/** the five kinds of case (五件) */
const CASE_KIND: Record<string, [string, string]> = {
  instant: ['即办件', 'instant'],
  promised: ['承诺件', 'promised'],
  joint: ['联办件', 'joint'],
  returned: ['退办件', 'returned'],
  supplement: ['补办件', 'supplement'],
};

/** 行政效能投诉: its stages, kinds and findings */
const COMPLAINT_STATUS: Record<string, [string, string]> = {
  filed: ['已投诉', 'filed'],
  acknowledged: ['已受理', 'acknowledged'],
  investigating: ['调查核实中', 'under investigation'],
  closed: ['已办结', 'closed'],
};

const COMPLAINT_CATEGORY: Record<string, [string, string]> = {
  delay: ['办事拖延', 'delay'],
  shifting_responsibility: ['推诿扯皮', 'shifting responsibility'],
  improper_demands: ['违规设置条件或索要材料', 'improper conditions or demands'],
  other: ['其他效能问题', 'other'],
};

const COMPLAINT_FINDING: Record<string, [string, string]> = {
  upheld: ['投诉属实', 'upheld'],
  not_upheld: ['投诉不属实', 'not upheld'],
};

const pick = (table: Record<string, [string, string]>) => (t: Translate, key: string | undefined | null) => {
  if (!key) return '—';
  const entry = table[key];
  return entry ? t(entry[0], entry[1]) : key;
};

export const stepStatusText = pick(STEP_STATUS);
export const projectStatusText = pick(PROJECT_STATUS);
export const outcomeText = pick(OUTCOME);
export const roleText = pick(ROLE);
export const lightText = pick(LIGHT);
export const meetingStatusText = pick(MEETING_STATUS);
export const pauseKindText = pick(PAUSE_KIND);
export const caseKindText = pick(CASE_KIND);
export const complaintStatusText = pick(COMPLAINT_STATUS);
export const complaintCategoryText = pick(COMPLAINT_CATEGORY);
export const complaintFindingText = pick(COMPLAINT_FINDING);
export const levelText = pick(LEVEL);
/** a handover's reason: the system's own words translated, a person's as written */
export const assignmentReasonText = (t: Translate, reason: string) => {
  const entry = ASSIGNMENT_REASON[reason];
  return entry ? t(entry[0], entry[1]) : reason;
};
/** an ISO week (`2026-W48`) as people say it: 2026年第48周 */
export const weekText = (t: Translate, week: string) => {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  return m ? t(`${m[1]}年第${Number(m[2])}周`, week) : week;
};
