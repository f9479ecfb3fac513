import type { ZodError } from 'zod';

/** At most this many problems are named in one answer (a body with thousands of mistakes gets a short answer). */
export const MAX_PROBLEMS_ECHOED = 5;

type Issue = ZodError['issues'][number];

/**
 * Turns zod issues into one line a person can act on: "body.enterprise.creditCode: …; body: unknown key 'x'".
 * In Chinese (`lang: 'zh'`, for the pages) each problem names the field by its label on the form and says what is
 * wrong in Chinese: "附加条件：至少填写一项；批文文号：不能为空". The API's answers stay in English.
 */
export function describeZodError(error: ZodError, where: string, lang: 'en' | 'zh' = 'en'): string {
  if (lang === 'zh') return describeInChinese(error);
  const problems = error.issues.slice(0, MAX_PROBLEMS_ECHOED).map((issue) => {
    const path = [where, ...issue.path.map(String)].join('.').slice(0, 200);
    if (issue.code === 'unrecognized_keys') {
      const named = issue.keys.slice(0, MAX_PROBLEMS_ECHOED).map((k) => `'${k.slice(0, 60)}'`);
      return `${path}: unknown field(s) ${named.join(', ')}${issue.keys.length > named.length ? ', …' : ''}`;
    }
    return `${path}: ${issue.message.slice(0, 300)}`;
  });
  const more = error.issues.length - problems.length;
  return `${problems.join('; ')}${more > 0 ? `; and ${more} more problem(s)` : ''}`;
}

function describeInChinese(error: ZodError): string {
  const problems = error.issues
    .slice(0, MAX_PROBLEMS_ECHOED)
    .map((issue) => `${labelOf(issue.path)}：${wordingOf(issue)}`);
  const more = error.issues.length - problems.length;
  return `表单填写有误：${problems.join('；')}${more > 0 ? `；另有 ${more} 处问题` : ''}。`;
}

/**
 * The labels the pages' forms give their fields (and the request schemas' names for them), by the field's path
 * without indexes ("document.number") or else by its last name ("number").
 */
const FIELD_LABELS: Record<string, string> = {
  'document.number': '批文文号',
  'document.date': '批文日期',
  document: '批文',
  documentNumber: '批文文号',
  documentDate: '批文日期',
  outcome: '审批结果',
  conditions: '附加条件',
  comment: '备注',
  missingMaterials: '需补正的材料',
  materials: '材料',
  repeatReason: '再次补正的理由',
  legalBasis: '法律依据',
  reason: '理由',
  note: '说明',
  userId: '用户名',
  name: '名称',
  role: '角色',
  departmentId: '部门',
  dept: '部门',
  enterpriseId: '企业',
  password: '密码',
  title: '会议名称',
  scheduledAt: '会议时间',
  place: '会议地点',
  agenda: '议程',
  invite: '邀请名单',
  present: '出席人员',
  projectId: '项目',
  stepId: '事项',
  partId: '分项',
  item: '事项',
  itemId: '议题',
  steps: '事项',
  date: '日期',
  year: '年份',
  week: '周次',
  schedule: '安排',
  policy: '时限规则',
  version: '版本号',
  chain: '流程',
  step: '事项',
  from: '起始日期',
  to: '截止日期',
  findings: '调查结论',
  finding: '调查结论',
  actionTaken: '处理措施',
  description: '描述',
  category: '类别',
  kind: '类型',
  carriedAt: '送出时间',
  collectedAt: '领取时间',
  expectedEnd: '预计完成日期',
  code: '项目代码',
  answer: '答复',
  result: '结果',
  supplied: '已补正的材料',
  accept: '是否接受',
  notificationId: '通知',
  file: '文件',
  enterprise: '企业',
  creditCode: '统一社会信用代码',
  contact: '联系人',
  phone: '联系电话',
  email: '电子邮箱',
  address: '地址',
  location: '建设地点',
  investment: '总投资',
  disabled: '停用',
};

function labelOf(path: ReadonlyArray<PropertyKey>): string {
  const names = path.filter((p): p is string => typeof p === 'string');
  const index = path.findLast((p): p is number => typeof p === 'number');
  const label = FIELD_LABELS[names.join('.')] ?? FIELD_LABELS[names.at(-1) ?? ''];
  const at = index === undefined ? '' : `（第 ${index + 1} 项）`;
  if (label) return `${label}${at}`;
  return names.length === 0 && index === undefined ? '表单' : `其中一项${at}`;
}

/** Whether a message is written in Chinese (a custom message of the schema may be). */
const isChinese = (text: string) =>
  /[\u3400-\u9fff]/.test(text) && !/[A-Za-z]{2,}[\s,;:]+[A-Za-z]{2,}/.test(text);

function wordingOf(issue: Issue): string {
  // the schema's own words, where they are Chinese already
  if (isChinese(issue.message)) return issue.message.slice(0, 300);
  switch (issue.code) {
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'string') return n <= 1 ? '不能为空' : `至少 ${n} 个字`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return n <= 1 ? '至少填写一项' : `至少填写 ${n} 项`;
      if (issue.origin === 'date') return '日期过早';
      return issue.inclusive === false
        ? `必须大于 ${String(issue.minimum)}`
        : `不能小于 ${String(issue.minimum)}`;
    }
    case 'too_big': {
      const n = String(issue.maximum);
      if (issue.origin === 'string') return `不能超过 ${n} 个字`;
      if (issue.origin === 'array' || issue.origin === 'set') return `最多 ${n} 项`;
      if (issue.origin === 'date') return '日期过晚';
      return issue.inclusive === false ? `必须小于 ${n}` : `不能大于 ${n}`;
    }
    case 'invalid_type':
      return /received undefined|received null/.test(issue.message) || issue.input == null
        ? '必须填写'
        : '填写的内容类型不正确';
    case 'invalid_format':
      if (issue.format === 'email') return '不是有效的电子邮件地址';
      if (['date', 'datetime', 'time', 'duration'].includes(issue.format)) return '日期或时间格式不正确';
      return '格式不正确';
    case 'invalid_value':
      return '不是可选的值，请从列出的选项中选择';
    case 'unrecognized_keys':
      return `含有不能填写的项（${issue.keys.length} 项）`;
    case 'not_multiple_of':
      return `必须是 ${String(issue.divisor)} 的倍数`;
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return '填写不正确';
    case 'custom':
      return '格式不正确';
    default:
      return '填写不正确';
  }
}
