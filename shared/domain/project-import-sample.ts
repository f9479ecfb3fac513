import { appliesTo, resolveProjectAttributes } from './applicability.js';
import type { Chain } from './chain.js';
import { withCreditCodeCheck } from './credit-code.js';
import { formatProjectCode } from './project-code.js';
import { attributeColumnKey, rowsToCsv, templateHeader } from './project-import-csv.js';
import { addCalendarDays } from './working-days.js';

/**
 * A file of projects in flight as a district would fill in the template (demo data, tests and the benchmark): `count`
 * projects spread over every stage of the chain and some completed; earlier stages approved with their documents,
 * the current stage partly approved, partly in review (accepted recently or long ago, so that lights differ), partly
 * paused (补正中 waiting for the enterprise, 专家评审中, 听证中), here and there rejected (不予许可, the project
 * returned), partly not started. Every sixth project has no national code yet (one is generated at import); some
 * give their land area or civil air defence (so steps drop out by the chain's rules) and their registration date.
 * Dates are in chain order and before `today`. Deterministic for the same arguments.
 */
export function sampleImportRows(
  chain: Chain,
  options: { count: number; today: string; agentId: string; firstSerial?: number; year?: number },
): Array<Record<string, string>> {
  const steps = chain.stages.flatMap((stage, stageIndex) =>
    stage.steps.map((step) => ({ step, stageIndex })),
  );
  const total = steps.length;
  const year = options.year ?? Number(options.today.slice(0, 4)) - 1;
  const known = new Set(chain.attributes.map((a) => a.key));
  const rows: Array<Record<string, string>> = [];
  for (let i = 0; i < options.count; i += 1) {
    const reached = i % (chain.stages.length + 1);
    const given: Record<string, string | number | boolean> = {};
    if (i % 4 === 1 && known.has('siteAreaM2')) given.siteAreaM2 = 15_000;
    if (i % 4 === 3 && known.has('needsCivilAirDefence')) given.needsCivilAirDefence = false;
    const attributes = resolveProjectAttributes(chain, given);
    const row: Record<string, string> = {
      project_code:
        i % 6 === 5
          ? ''
          : formatProjectCode({
              year,
              regionCode: '320115',
              industryCode: '39',
              typeCode: '01',
              serial: (options.firstSerial ?? 50_000) + i,
            }),
      name: `导入项目 ${(options.firstSerial ?? 50_000) + i}`,
      enterprise_name: `南京示范制造有限公司 ${i + 1}`,
      enterprise_credit_code: withCreditCodeCheck(`91320115MA${String(i).padStart(7, '0')}`),
      investment_cny: String(10_000_000 + i * 1000),
      agent_id: options.agentId,
    };
    for (const [key, value] of Object.entries(given))
      row[attributeColumnKey(key)] = typeof value === 'boolean' ? (value ? '是' : '否') : String(value);
    const passed = new Set<string>();
    const decidedOn = new Map<string, string>();
    let earliest: string | undefined;
    for (const [j, { step, stageIndex }] of steps.entries()) {
      if (!appliesTo(step.applicability, attributes)) {
        passed.add(step.id);
        continue;
      }
      const day = addCalendarDays(options.today, -(3 * (total - j) + 2 + (i % 7)));
      const key = (field: string) => `step.${step.id}.${field}`;
      const decide = (rejected: boolean) => {
        row[key('status')] = '已办结';
        row[key('submitted')] = addCalendarDays(day, -1);
        row[key('accepted')] = addCalendarDays(day, -1);
        row[key('decided')] = day;
        if (step.kind !== 'milestone') {
          row[key('outcome')] = rejected ? '不予许可' : '批准';
          row[key('doc_number')] =
            `${rejected ? '宁导不许' : '宁导批'}〔${day.slice(0, 4)}〕${i + 1}-${step.id}号`;
          row[key('doc_date')] = day;
        }
        earliest ??= addCalendarDays(day, -1);
        decidedOn.set(step.id, day);
        if (!rejected) passed.add(step.id);
      };
      if (stageIndex < reached || reached === chain.stages.length) {
        decide(false);
        continue;
      }
      if (stageIndex > reached || !step.prerequisites.every((id) => passed.has(id))) continue;
      // accepted a few days ago, or long ago (overdue: red, deemed once the grace ends), never before a prerequisite
      // was decided
      const open = (status: string) => {
        const after = step.prerequisites
          .map((id) => decidedOn.get(id) ?? '')
          .sort()
          .at(-1);
        const wanted = addCalendarDays(options.today, -(i % 2 === 0 ? 2 : 40));
        const accepted = after && after > wanted ? after : wanted;
        row[key('status')] = status;
        row[key('submitted')] = accepted;
        row[key('accepted')] = accepted;
        if (!earliest || accepted < earliest) earliest = accepted;
        return accepted;
      };
      const choice = (i + j) % 6;
      const milestone = step.kind === 'milestone';
      if (choice === 0 || choice === 3 || (choice === 4 && milestone)) decide(false);
      else if (milestone || choice === 2) continue;
      else if (choice === 1 || (choice === 5 && i % 4 !== 1 && i % 4 !== 2)) open('审查中');
      else if (choice === 5) decide(true);
      else {
        const kind = ['补正中', '专家评审中', '听证中'][i % 3] ?? '补正中';
        const accepted = open(kind);
        const paused = addCalendarDays(accepted, 1);
        row[key('paused_on')] = paused <= options.today ? paused : accepted;
        row[key('pause_reason')] =
          kind === '补正中' ? '建设工程规划许可证附图；消防设计说明' : `${kind.slice(0, -1)}（导入示例）`;
      }
    }
    if (i % 2 === 0 && earliest) row.registered_on = addCalendarDays(earliest, -3);
    rows.push(row);
  }
  return rows;
}

/** The sample as a CSV file under the template's header of keys. */
export function sampleImportCsv(chain: Chain, options: Parameters<typeof sampleImportRows>[1]): string {
  return rowsToCsv(
    templateHeader(chain).map((h) => h.key),
    sampleImportRows(chain, options),
  );
}
