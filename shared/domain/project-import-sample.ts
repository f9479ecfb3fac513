import type { Chain } from './chain.js';
import { withCreditCodeCheck } from './credit-code.js';
import { formatProjectCode } from './project-code.js';
import { rowsToCsv, templateHeader } from './project-import-csv.js';
import { addCalendarDays } from './working-days.js';

/**
 * A file of projects in flight as a district would fill in the template (demo data, tests and the benchmark): `count`
 * projects spread over every stage of the chain and some completed; earlier stages approved with their documents,
 * the current stage partly approved, partly in review (accepted recently or long ago, so that lights differ), partly
 * not started. Dates are in chain order and before `today`. Deterministic for the same arguments.
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
  const rows: Array<Record<string, string>> = [];
  for (let i = 0; i < options.count; i += 1) {
    const reached = i % (chain.stages.length + 1);
    const row: Record<string, string> = {
      project_code: formatProjectCode({
        year,
        regionCode: '320115',
        industryCode: '39',
        typeCode: '01',
        serial: (options.firstSerial ?? 50_000) + i,
      }),
      name: `导入项目 ${i + 1}`,
      enterprise_name: `南京示范制造有限公司 ${i + 1}`,
      enterprise_credit_code: withCreditCodeCheck(`91320115MA${String(i).padStart(7, '0')}`),
      investment_cny: String(10_000_000 + i * 1000),
      agent_id: options.agentId,
    };
    const passed = new Set<string>();
    for (const [j, { step, stageIndex }] of steps.entries()) {
      const day = addCalendarDays(options.today, -(3 * (total - j) + 2 + (i % 7)));
      const key = (field: string) => `step.${step.id}.${field}`;
      const approve = () => {
        row[key('status')] = '已办结';
        row[key('submitted')] = addCalendarDays(day, -1);
        row[key('accepted')] = addCalendarDays(day, -1);
        row[key('decided')] = day;
        if (step.kind !== 'milestone') {
          row[key('outcome')] = '批准';
          row[key('doc_number')] = `宁导批〔${day.slice(0, 4)}〕${i + 1}-${step.id}号`;
          row[key('doc_date')] = day;
        }
        passed.add(step.id);
      };
      if (stageIndex < reached || reached === chain.stages.length) {
        approve();
        continue;
      }
      if (stageIndex > reached || !step.prerequisites.every((id) => passed.has(id))) continue;
      const choice = (i + j) % 3;
      if (choice === 0) approve();
      if (choice === 1 && step.kind !== 'milestone') {
        row[key('status')] = '审查中';
        // accepted a few days ago, or long ago (overdue: red, deemed once the grace ends)
        const accepted = addCalendarDays(options.today, -(i % 2 === 0 ? 2 : 40));
        row[key('submitted')] = accepted;
        row[key('accepted')] = accepted;
      }
    }
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
