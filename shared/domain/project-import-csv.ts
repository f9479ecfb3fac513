import type { Chain, StepDefinition } from './chain.js';
import { csvField } from './csv.js';

/**
 * The import template of projects in flight (在办项目导入模板) as CSV: one row per project, per step its status,
 * dates (submitted 提交, accepted 受理, decided 办结), outcome, document number and date. Each header cell is the
 * Chinese label followed by its stable machine key in brackets (`项目代码 [project_code]`): a person reads the
 * label, the import reads the key, so a renamed label or a reordered column changes nothing.
 */

/** The project's own columns: key, Chinese label, English label. */
export const PROJECT_COLUMNS = [
  ['project_code', '项目代码', 'national project code'],
  ['name', '项目名称', 'project name'],
  ['enterprise_name', '企业名称', 'enterprise name'],
  ['enterprise_credit_code', '统一社会信用代码', 'unified social credit code'],
  ['investment_cny', '总投资（元）', 'total investment (CNY)'],
  ['agent_id', '代办员账号', 'agent user id'],
  ['registered_on', '登记日期', 'registered on'],
] as const;

export type ProjectColumn = (typeof PROJECT_COLUMNS)[number][0];

/**
 * The columns a file must have. The others may be left out (a file filled in from an earlier template): no
 * registration date (the earliest date of the row), no attributes (the chain's defaults), no pause of any step.
 */
export const REQUIRED_COLUMNS: ReadonlySet<string> = new Set<ProjectColumn>([
  'project_code',
  'name',
  'enterprise_name',
  'enterprise_credit_code',
  'investment_cny',
  'agent_id',
]);

/** The machine key of a project attribute's column (the chain's attributes, which its rules read): `attr.siteAreaM2`. */
export const attributeColumnKey = (key: string): string => `attr.${key}`;

/** The columns of each step: key suffix, Chinese label, English label. */
export const STEP_FIELDS = [
  ['status', '状态', 'status'],
  ['submitted', '提交日期', 'submitted on'],
  ['accepted', '受理日期', 'accepted on'],
  ['decided', '办结日期', 'decided on'],
  ['outcome', '结果', 'outcome'],
  ['doc_number', '批文文号', 'document number'],
  ['doc_date', '批文日期', 'document date'],
  ['paused_on', '计时暂停日期', 'clock paused on'],
  ['pause_reason', '补正材料或暂停事由', 'materials asked for, or why paused'],
] as const;

export type StepField = (typeof STEP_FIELDS)[number][0];

/** The machine key of a step's column: `step.16.status`. */
export const stepColumnKey = (stepId: string, field: StepField): string => `step.${stepId}.${field}`;

/** What a status cell says: a status, or a pause of the clock and its kind. */
export type StatusWord =
  | { status: 'pending' | 'in_review' | 'decided' | 'not_applicable' | 'supplement_requested' }
  | { status: 'paused'; kind: 'hearing' | 'expert_review' | 'testing' | 'site_survey' };

/** What the status and outcome cells may say (Chinese or English), as the template's note explains. */
export const STATUS_WORDS: Record<string, StatusWord> = {
  '': { status: 'pending' },
  未开始: { status: 'pending' },
  pending: { status: 'pending' },
  审查中: { status: 'in_review' },
  已受理: { status: 'in_review' },
  in_review: { status: 'in_review' },
  补正中: { status: 'supplement_requested' },
  待补正: { status: 'supplement_requested' },
  supplement_requested: { status: 'supplement_requested' },
  听证中: { status: 'paused', kind: 'hearing' },
  hearing: { status: 'paused', kind: 'hearing' },
  专家评审中: { status: 'paused', kind: 'expert_review' },
  expert_review: { status: 'paused', kind: 'expert_review' },
  检验检测中: { status: 'paused', kind: 'testing' },
  testing: { status: 'paused', kind: 'testing' },
  现场勘查中: { status: 'paused', kind: 'site_survey' },
  site_survey: { status: 'paused', kind: 'site_survey' },
  已办结: { status: 'decided' },
  decided: { status: 'decided' },
  不适用: { status: 'not_applicable' },
  not_applicable: { status: 'not_applicable' },
};

/** The status words the template's note lists (Chinese, English). */
export const STATUS_WORDS_LISTED =
  '未开始、审查中、补正中、听证中、专家评审中、检验检测中、现场勘查中、已办结、不适用';
export const STATUS_WORDS_LISTED_EN =
  'pending, in_review, supplement_requested, hearing, expert_review, testing, site_survey, decided, not_applicable';

export const OUTCOME_WORDS: Record<string, 'approved' | 'rejected'> = {
  批准: 'approved',
  准予: 'approved',
  准予许可: 'approved',
  approved: 'approved',
  不予批准: 'rejected',
  不予许可: 'rejected',
  rejected: 'rejected',
};

function stepLabel(step: StepDefinition): string {
  return `${step.id} ${step.name}`;
}

/** The template's header cells (label and key) for a chain version, the project's columns first. */
export function templateHeader(chain: Chain): Array<{ key: string; label: string }> {
  const header: Array<{ key: string; label: string }> = PROJECT_COLUMNS.map(([key, label]) => ({
    key,
    label: `${label} [${key}]`,
  }));
  for (const attribute of chain.attributes) {
    const key = attributeColumnKey(attribute.key);
    header.push({ key, label: `${attribute.label} [${key}]` });
  }
  for (const stage of chain.stages) {
    for (const step of stage.steps) {
      for (const [field, label] of STEP_FIELDS) {
        const key = stepColumnKey(step.id, field);
        header.push({ key, label: `${stepLabel(step)}·${label} [${key}]` });
      }
    }
  }
  return header;
}

/**
 * The template's rows: the header, then one example row showing the forms the cells take (dates YYYY-MM-DD; status
 * 未开始 / 审查中 / 补正中 / 听证中 / 专家评审中 / 检验检测中 / 现场勘查中 / 已办结 / 不适用; outcome 批准 / 不予许可;
 * attributes as their defaults, 是 / 否 for yes or no); the import skips it, and it may be deleted.
 */
export function importTemplateRows(chain: Chain): string[][] {
  const header = templateHeader(chain);
  const defaults = new Map(chain.attributes.map((a) => [attributeColumnKey(a.key), a.default]));
  const example = header.map(({ key }) => {
    if (key === 'project_code')
      return '示例：删除此行；无项目代码的留空 (example: delete this row; no code: leave empty)';
    if (key.endsWith('.status')) return '未开始';
    const value = defaults.get(key);
    if (typeof value === 'boolean') return value ? '是' : '否';
    if (value !== undefined) return String(value);
    return '';
  });
  return [header.map((h) => h.label), example];
}

/** The template as a CSV file Excel opens with its Chinese intact (UTF-8 with a byte-order mark, CRLF, every field quoted). */
export function importTemplateCsv(chain: Chain): string {
  return `\uFEFF${importTemplateRows(chain)
    .map((fields) => fields.map(csvField).join(','))
    .join('\r\n')}\r\n`;
}

/** The key a header cell names: the bracketed key at its end, or the whole cell (a file written with keys only). */
export function headerKey(cell: string): string {
  const bracketed = /\[([^\]]+)\]\s*$/.exec(cell);
  return (bracketed?.[1] ?? cell).trim();
}

/**
 * The rows of a CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF), a byte-order mark dropped, a
 * spreadsheet's protective apostrophe before =, +, -, @ dropped again. Blank lines are kept as empty rows so that
 * row numbers stay those a spreadsheet shows.
 */
export function parseCsv(text: string): string[][] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  const endField = () => {
    row.push(wasQuoted ? field.replace(/^'(?=[=+\-@])/, '') : field);
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < source.length; i += 1) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      wasQuoted = true;
    } else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i += 1;
      endField();
      rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length > 0 || wasQuoted) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** A spreadsheet's name of a cell: column 0, row 2 → `A2`. */
export function cellName(columnIndex: number, rowNumber: number): string {
  let name = '';
  let n = columnIndex + 1;
  while (n > 0) {
    const rest = (n - 1) % 26;
    name = String.fromCharCode(65 + rest) + name;
    n = Math.floor((n - 1) / 26);
  }
  return `${name}${rowNumber}`;
}

/** A CSV file of rows under a header of keys (what a generator or a test writes). */
export function rowsToCsv(header: readonly string[], rows: ReadonlyArray<Record<string, string>>): string {
  const lines = [header, ...rows.map((row) => header.map((key) => row[key] ?? ''))];
  return `\uFEFF${lines.map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`;
}
