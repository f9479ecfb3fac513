import { assertAllowed } from '../domain/access-policy.js';
import { type Chain, chainKey } from '../domain/chain.js';
import { InvalidInputError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { Project } from '../domain/project.js';
import {
  type ImportedProject,
  type ImportPlan,
  type ImportProblem,
  planImport,
} from '../domain/project-import.js';
import { cellName, parseCsv } from '../domain/project-import-csv.js';
import { registrationCode } from '../domain/project-registration.js';
import { chinaDate, startOfChinaDay } from '../domain/working-days.js';
import { concurrencyLimit } from '../lib/concurrency-limit.js';
import { assertChainDeployed } from './chain-deployed.js';
import type { AppContext } from './context.js';
import { buildImport, writeImport } from './project-import-build.js';
import { rowsOfXlsx } from './project-import-xlsx.js';

/**
 * Projects in flight imported (在办项目导入): a district's projects already half-way through their approvals, on
 * paper or in another system, each registered on its chain version mid-way. The whole file is checked first (the
 * rules in shared/domain/project-import.ts, then what needs the table: the agent, the code); a dry run stops
 * there and writes nothing. The import then writes each good row as one transaction (the project, its code, its
 * items, an event per imported step naming who imported it from which file and row, the agent's assignment and
 * the start of its execution at the stage it is in), so a project is never half there. Re-importing a row finds
 * its project by its id, derived from its national code or, for a row without one, from a hash of its content, and
 * reports it already imported; a row without a code gets a provisional one drawn as at registration.
 */

export type ImportRequest = {
  chainId: string;
  /** the chain version the file was filled in for (absent: the latest) */
  chainVersion?: number;
  fileName: string;
  /** the file: CSV text, or an .xlsx workbook (its first sheet) */
  csv?: string;
  xlsx?: Uint8Array;
  /** working days after the import before the SLA sweep looks at an open step (lights, deemed approval) */
  graceDays?: number;
};

export type ImportRowResult = {
  row: number;
  projectCode: string;
  projectId: string;
  outcome: 'ready' | 'imported' | 'already_imported';
  stageIndex: number;
  status: Project['status'];
};

export type ImportReport = {
  chain: string;
  fileName: string;
  dryRun: boolean;
  rows: number;
  problems: ImportProblem[];
  results: ImportRowResult[];
  /** rows imported now (0 on a dry run) */
  imported: number;
  alreadyImported: number;
  /** the first instant the SLA sweep looks at the imported open steps */
  holdUntil: string;
};

export const DEFAULT_IMPORT_GRACE_DAYS = 5;

/**
 * The id of an imported project: derived from its national code, or for a row without one from a hash of the row's
 * content (see `ImportedProject.identity`), so that a re-import finds it.
 */
export const importedProjectId = (identity: string): string => `imp-${identity}`;

export async function chainOf(ctx: AppContext, request: ImportRequest): Promise<Chain> {
  const chain =
    request.chainVersion === undefined
      ? await ctx.chains.latest(request.chainId)
      : await ctx.store.getChain(request.chainId, request.chainVersion);
  if (!chain) {
    throw new InvalidInputError(
      'IMPORT.UNKNOWN_CHAIN',
      `chain ${request.chainId}${request.chainVersion === undefined ? '' : ` version ${request.chainVersion}`} is not published (流程不存在)`,
    );
  }
  return chain;
}

/** The import template's chain version (for GET /imports/template.csv). */
export async function importTemplateChain(
  ctx: AppContext,
  principal: Principal,
  chainId: string,
  version?: number,
): Promise<Chain> {
  assertAllowed(principal, 'admin.operate');
  return chainOf(ctx, {
    chainId,
    ...(version === undefined ? {} : { chainVersion: version }),
    fileName: '',
    csv: '',
  });
}

type Checked = { project: ImportedProject; projectId: string; already?: Project };

/** The rows of the file, CSV or .xlsx. */
export function rowsOf(request: Pick<ImportRequest, 'csv' | 'xlsx'>): string[][] {
  if (request.xlsx) {
    try {
      return rowsOfXlsx(request.xlsx);
    } catch (error) {
      throw new InvalidInputError(
        'IMPORT.XLSX',
        `the file cannot be read as an .xlsx workbook (无法读取 Excel 文件): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (request.csv === undefined)
    throw new InvalidInputError('IMPORT.NO_FILE', 'no file to import: give csv or xlsx');
  return parseCsv(request.csv);
}

/** A provisional project code of this year, as registration draws one (region, industry and type configured). */
async function generatedCode(ctx: AppContext): Promise<{ code: string; codeKind: 'provisional' }> {
  const year = Number(chinaDate(ctx.clock.now()).slice(0, 4));
  const serial = await ctx.serials.draw(`project-code#${year}#${ctx.config.regionCode}`);
  const { code } = registrationCode(undefined, year, ctx.config, serial);
  return { code, codeKind: 'provisional' };
}

/** At most this many rows are checked or written at once (each row is a few reads, or one transaction). */
const ROWS_AT_ONCE = 8;

/** Checks what needs the table of the planned rows; nothing written. */
async function check(
  ctx: AppContext,
  plan: Pick<ImportPlan, 'projects' | 'columns'>,
): Promise<{ problems: ImportProblem[]; ready: Checked[] }> {
  const problems: ImportProblem[] = [];
  const agents = new Map<string, Promise<boolean>>();
  const isAgent = (agentId: string): Promise<boolean> => {
    let known = agents.get(agentId);
    if (!known) {
      known = ctx.store.getUser(agentId).then((user) => user?.role === 'agent');
      agents.set(agentId, known);
    }
    return known;
  };
  const limit = concurrencyLimit(ROWS_AT_ONCE);
  const checked = await Promise.all(
    plan.projects.map((project) =>
      limit(async (): Promise<Checked | ImportProblem> => {
        const projectId = importedProjectId(project.identity);
        const rowProblem = (column: string, code: string, message: string, messageEn: string) => {
          const index = plan.columns[column];
          return {
            row: project.row,
            column,
            ...(index !== undefined ? { cell: cellName(index, project.row) } : {}),
            code,
            message: `第 ${project.row} 行${index !== undefined ? `（${cellName(index, project.row)}）` : ''}：${message}`,
            messageEn: `row ${project.row}${index !== undefined ? ` (${cellName(index, project.row)})` : ''}: ${messageEn}`,
          };
        };
        if (!project.projectCode) {
          // a row without a code: its project is found by the id its content gives
          const already = await ctx.store.getProject(projectId);
          if (already) return { project, projectId, already };
        }
        const holder = project.projectCode
          ? await ctx.store.findProjectIdByCode(project.projectCode)
          : undefined;
        if (holder === projectId) {
          const already = await ctx.store.getProject(projectId);
          if (already) return { project, projectId, already };
        }
        if (holder !== undefined) {
          return rowProblem(
            'project_code',
            'IMPORT.CODE_TAKEN',
            `项目代码 ${project.projectCode} 已被系统中的另一个项目使用`,
            `project code ${project.projectCode} is already used by another project`,
          );
        }
        if (!(await isAgent(project.agentId))) {
          return rowProblem(
            'agent_id',
            'IMPORT.UNKNOWN_AGENT',
            `代办员账号 ${project.agentId} 不存在或不是代办员`,
            `'${project.agentId}' is not a known agent (代办员)`,
          );
        }
        return { project, projectId };
      }),
    ),
  );
  const ready: Checked[] = [];
  for (const one of checked) {
    if ('code' in one) problems.push(one);
    else ready.push(one);
  }
  return { problems, ready };
}

/**
 * Dry-runs (`dryRun`) or imports a file of projects in flight. Admins only. Rows with problems are reported and
 * left out; the others are imported (each alone, so one refused by the table at the last moment leaves the rest).
 */
export async function importProjects(
  ctx: AppContext,
  principal: Principal,
  request: ImportRequest,
  options: { dryRun: boolean },
): Promise<ImportReport> {
  assertAllowed(principal, 'admin.operate');
  const chain = await chainOf(ctx, request);
  if (!options.dryRun) await assertChainDeployed(ctx, chain);
  const holdUntil = importHoldUntil(ctx, request.graceDays);
  const plan = planImport(chain, rowsOf(request), chinaDate(ctx.clock.now()));
  const { problems, results } = await importPlanned(ctx, principal, chain, plan, {
    fileName: request.fileName,
    holdUntil,
    dryRun: options.dryRun,
  });
  return {
    chain: chainKey(chain),
    fileName: request.fileName,
    dryRun: options.dryRun,
    rows: plan.rows,
    problems,
    results,
    imported: results.filter((r) => r.outcome === 'imported').length,
    alreadyImported: results.filter((r) => r.outcome === 'already_imported').length,
    holdUntil,
  };
}

/** The first instant the SLA sweep looks at imported open steps: `graceDays` working days after today. */
export function importHoldUntil(ctx: AppContext, graceDays = DEFAULT_IMPORT_GRACE_DAYS): string {
  const today = chinaDate(ctx.clock.now());
  return startOfChinaDay(ctx.calendar.addWorkingDays(today, graceDays).date);
}

/**
 * Checks and (unless `dryRun`) imports planned rows: the plan's problems and those the table finds, the rows ready,
 * imported or imported before. A project imported since `importedSince` (by an earlier try of the same job) counts
 * as imported now, not as imported before.
 */
export async function importPlanned(
  ctx: AppContext,
  principal: Principal,
  chain: Chain,
  plan: Pick<ImportPlan, 'projects' | 'columns' | 'problems'>,
  options: { fileName: string; holdUntil: string; dryRun: boolean; importedSince?: string },
): Promise<{ problems: ImportProblem[]; results: ImportRowResult[] }> {
  const { holdUntil } = options;
  const request = { fileName: options.fileName };
  const checks = await check(ctx, plan);
  const problems = [...plan.problems, ...checks.problems];
  const { ready } = checks;
  const limit = concurrencyLimit(ROWS_AT_ONCE);
  // every row's write ends (written whole, or not at all) before a failure is thrown: none goes on behind it
  const settled = await Promise.allSettled(
    ready.map((entry) =>
      limit(async (): Promise<ImportRowResult | ImportProblem> => {
        const { project: planned, projectId, already } = entry;
        const result = { row: planned.row, projectCode: planned.projectCode ?? '', projectId };
        if (already) {
          const { currentStageIndex: stageIndex, status } = already;
          const mine = options.importedSince !== undefined && already.createdAt >= options.importedSince;
          const outcome = mine ? ('imported' as const) : ('already_imported' as const);
          return { ...result, projectCode: already.code, outcome, stageIndex, status };
        }
        const status = planned.status;
        const stageIndex = planned.currentStageIndex;
        // a row without a national code gets a provisional one, as registration gives (drawn only when written)
        const code =
          planned.projectCode || options.dryRun
            ? { code: planned.projectCode ?? '', codeKind: 'national' as const }
            : await generatedCode(ctx);
        const built = buildImport(
          ctx,
          principal,
          chain,
          planned,
          projectId,
          request.fileName,
          holdUntil,
          planned.projectCode ? code : { ...code, codeKind: 'provisional' },
        );
        if ('broken' in built) {
          return {
            row: planned.row,
            code: 'IMPORT.INCONSISTENT',
            message: `第 ${planned.row} 行：导入后项目将自相矛盾：${built.broken}`,
            messageEn: `row ${planned.row}: the imported project would contradict itself: ${built.broken}`,
          };
        }
        if (options.dryRun) return { ...result, outcome: 'ready', stageIndex, status };
        const written = await writeImport(ctx, built);
        if (written === 'taken') {
          return {
            row: planned.row,
            column: 'project_code',
            code: 'IMPORT.CODE_TAKEN',
            message: `第 ${planned.row} 行：项目代码 ${code.code} 刚被另一个项目使用`,
            messageEn: `row ${planned.row}: project code ${code.code} was just taken by another project`,
          };
        }
        if (written === 'already') {
          const now = await ctx.store.getProject(projectId);
          return {
            ...result,
            projectCode: now?.code ?? code.code,
            outcome: 'already_imported',
            stageIndex: now?.currentStageIndex ?? stageIndex,
            status: now?.status ?? status,
          };
        }
        return { ...result, projectCode: code.code, outcome: 'imported', stageIndex, status };
      }),
    ),
  );
  const failure = settled.find((one) => one.status === 'rejected');
  if (failure) throw failure.reason;
  const results: ImportRowResult[] = [];
  for (const one of settled) {
    if (one.status === 'rejected') continue;
    const value = one.value;
    if ('code' in value) problems.push(value);
    else results.push(value);
  }
  problems.sort((a, b) => a.row - b.row);
  return { problems, results };
}
