import { assertAllowed } from '../domain/access-policy.js';
import { resolveProjectAttributes } from '../domain/applicability.js';
import { type Chain, chainKey } from '../domain/chain.js';
import { ConflictError, InvalidInputError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { itemKey, type Project } from '../domain/project.js';
import { type ImportedProject, type ImportProblem, planImport } from '../domain/project-import.js';
import { parseCsv } from '../domain/project-import-csv.js';
import { importedItems, importInstant } from '../domain/project-import-items.js';
import { brokenInvariants, describeBroken } from '../domain/project-invariants.js';
import { isPassed } from '../domain/step-status.js';
import { chinaDate, startOfChinaDay } from '../domain/working-days.js';
import type { OutboxEntry, StoreOp } from '../store/store.port.js';
import { outboxEntry } from './commit.js';
import type { AppContext } from './context.js';
import { newEvent } from './events.js';
import { newExecution, startSend } from './executions.js';
import { claimFailed } from './national-code.js';
import { relay } from './relay.js';

/**
 * Projects in flight imported (在办项目导入): a district's projects already half-way through their approvals, on
 * paper or in another system, each registered on its chain version mid-way. The whole file is checked first (the
 * rules in shared/domain/project-import.ts, then what needs the table: the agent, the code); a dry run stops
 * there and writes nothing. The import then writes each good row as one transaction (the project, its code, its
 * items, an event per imported step naming who imported it from which file and row, the agent's assignment and
 * the start of its execution at the stage it is in), so a project is never half there. Re-importing a row finds
 * its project by its code (its id is derived from it) and reports it already imported.
 */

export type ImportRequest = {
  chainId: string;
  /** the chain version the file was filled in for (absent: the latest) */
  chainVersion?: number;
  fileName: string;
  csv: string;
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

/** The id of an imported project: derived from its national code, so that a re-import finds it. */
export const importedProjectId = (code: string): string => `imp-${code}`;

async function chainOf(ctx: AppContext, request: ImportRequest): Promise<Chain> {
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

/** Plans the file and checks what needs the table; nothing written. */
async function check(
  ctx: AppContext,
  chain: Chain,
  csv: string,
): Promise<{ rows: number; problems: ImportProblem[]; ready: Checked[] }> {
  const today = chinaDate(ctx.clock.now());
  const plan = planImport(chain, parseCsv(csv), today);
  const problems = [...plan.problems];
  const ready: Checked[] = [];
  const agents = new Map<string, boolean>();
  for (const project of plan.projects) {
    const projectId = importedProjectId(project.projectCode);
    const cellOf = (key: string) => problems.find((p) => p.row === project.row && p.column === key)?.cell;
    let isAgent = agents.get(project.agentId);
    if (isAgent === undefined) {
      isAgent = (await ctx.store.getUser(project.agentId))?.role === 'agent';
      agents.set(project.agentId, isAgent);
    }
    const rowProblem = (column: string, code: string, message: string, messageEn: string) =>
      problems.push({
        row: project.row,
        column,
        ...(cellOf(column) ? { cell: cellOf(column) } : {}),
        code,
        message: `第 ${project.row} 行：${message}`,
        messageEn: `row ${project.row}: ${messageEn}`,
      });
    const holder = await ctx.store.findProjectIdByCode(project.projectCode);
    if (holder === projectId) {
      const already = await ctx.store.getProject(projectId);
      if (already) {
        ready.push({ project, projectId, already });
        continue;
      }
    }
    if (holder !== undefined) {
      rowProblem(
        'project_code',
        'IMPORT.CODE_TAKEN',
        `项目代码 ${project.projectCode} 已被系统中的另一个项目使用`,
        `project code ${project.projectCode} is already used by another project`,
      );
      continue;
    }
    if (!isAgent) {
      rowProblem(
        'agent_id',
        'IMPORT.UNKNOWN_AGENT',
        `代办员账号 ${project.agentId} 不存在或不是代办员`,
        `'${project.agentId}' is not a known agent (代办员)`,
      );
      continue;
    }
    ready.push({ project, projectId });
  }
  problems.sort((a, b) => a.row - b.row);
  return { rows: plan.rows, problems, ready };
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
  const key = chainKey(chain);
  if (!options.dryRun && !(await ctx.engine.hasChain(key))) {
    throw new ConflictError(
      'CHAIN.NOT_DEPLOYED',
      `chain ${key} has no state machine yet, so no project can run on it; publish it again (POST /chains)`,
    );
  }
  const graceDays = request.graceDays ?? DEFAULT_IMPORT_GRACE_DAYS;
  const today = chinaDate(ctx.clock.now());
  const holdUntil = startOfChinaDay(ctx.calendar.addWorkingDays(today, graceDays).date);
  const { rows, problems, ready } = await check(ctx, chain, request.csv);
  const results: ImportRowResult[] = [];
  let imported = 0;
  for (const entry of ready) {
    const { project: planned, projectId, already } = entry;
    const result = { row: planned.row, projectCode: planned.projectCode, projectId };
    if (already) {
      results.push({
        ...result,
        outcome: 'already_imported',
        stageIndex: already.currentStageIndex,
        status: already.status,
      });
      continue;
    }
    const status = planned.completed ? 'completed' : 'active';
    const built = build(ctx, principal, chain, planned, projectId, request, holdUntil);
    if ('broken' in built) {
      problems.push({
        row: planned.row,
        code: 'IMPORT.INCONSISTENT',
        message: `第 ${planned.row} 行：导入后项目将自相矛盾：${built.broken}`,
        messageEn: `row ${planned.row}: the imported project would contradict itself: ${built.broken}`,
      });
      continue;
    }
    if (options.dryRun) {
      results.push({ ...result, outcome: 'ready', stageIndex: planned.currentStageIndex, status });
      continue;
    }
    const written = await write(ctx, built);
    if (written === 'taken') {
      problems.push({
        row: planned.row,
        column: 'project_code',
        code: 'IMPORT.CODE_TAKEN',
        message: `第 ${planned.row} 行：项目代码 ${planned.projectCode} 刚被另一个项目使用`,
        messageEn: `row ${planned.row}: project code ${planned.projectCode} was just taken by another project`,
      });
      continue;
    }
    imported += written === 'imported' ? 1 : 0;
    results.push({
      ...result,
      outcome: written === 'imported' ? 'imported' : 'already_imported',
      stageIndex: planned.currentStageIndex,
      status,
    });
  }
  problems.sort((a, b) => a.row - b.row);
  return {
    chain: key,
    fileName: request.fileName,
    dryRun: options.dryRun,
    rows,
    problems,
    results,
    imported,
    alreadyImported: results.filter((r) => r.outcome === 'already_imported').length,
    holdUntil,
  };
}

type Built = { project: Project; ops: StoreOp[]; entry?: OutboxEntry };

/** What importing one project writes, or why it would contradict itself (the project invariants). */
function build(
  ctx: AppContext,
  principal: Principal,
  chain: Chain,
  planned: ImportedProject,
  projectId: string,
  request: ImportRequest,
  holdUntil: string,
): Built | { broken: string } {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const attributes = resolveProjectAttributes(chain, {});
  const stage = chain.stages[planned.currentStageIndex];
  const first = planned.completed
    ? undefined
    : newExecution(ctx, projectId, planned.currentStageIndex, 1, now);
  const lastDecided = planned.steps
    .map((s) => s.decided)
    .filter((d): d is string => d !== undefined)
    .sort()
    .at(-1);
  const project: Project = {
    projectId,
    code: planned.projectCode,
    codeKind: 'national',
    name: planned.name,
    enterpriseName: planned.enterpriseName,
    enterpriseId: planned.creditCode,
    investmentCny: planned.investmentCny,
    chainId: chain.id,
    chainVersion: chain.version,
    attributes,
    agentId: planned.agentId,
    status: planned.completed ? 'completed' : 'active',
    currentStageIndex: planned.completed ? chain.stages.length - 1 : planned.currentStageIndex,
    ...(stage ? { leadDepartmentId: stage.leadDepartmentId } : {}),
    departments: [],
    ...(first ? { execution: first.execution, renewAt: first.renewAt } : {}),
    createdAt: at,
    updatedAt: at,
    ...(planned.completed ? { completedAt: lastDecided ? importInstant(lastDecided) : at } : {}),
    stepsTotal: 0,
    stepsClosed: 0,
    decisions: 0,
    supplements: 0,
  };
  const items = importedItems({
    chain,
    project,
    planned,
    importedBy: principal.userId,
    calendar: ctx.calendar,
    sla: ctx.settings.sla,
    holdUntil,
  });
  const steps = items.filter((i) => !i.partId);
  project.stepsTotal = steps.length;
  project.stepsClosed = steps.filter((s) => isPassed(s.status)).length;
  project.decisions = steps.filter((s) => s.status === 'approved' && s.kind !== 'milestone').length;
  project.departments = [
    ...new Set(
      items.filter((i) => i.status !== 'not_applicable' && i.departmentId).map((i) => i.departmentId ?? ''),
    ),
  ].sort();
  const broken = brokenInvariants({ project, chain, items: new Map(items.map((i) => [itemKey(i), i])) });
  if (broken.length > 0) return { broken: describeBroken(broken) };
  // the stages it has reached are written; the later ones are derived from the chain until reached
  const written = items.filter((item) => item.stageIndex <= planned.currentStageIndex);
  const source = { fileName: request.fileName, row: planned.row };
  const entry = first ? outboxEntry(ctx, projectId, now, [startSend(project, first.execution)]) : undefined;
  const ops: StoreOp[] = [
    { op: 'claim_code', code: project.code, projectId },
    { op: 'create_project', project },
    ...written.map((item): StoreOp => ({ op: 'put_item', item })),
    {
      op: 'put_event',
      event: newEvent(ctx, {
        projectId,
        type: 'project_imported',
        actor: principal,
        at,
        after: {
          status: project.status,
          code: project.code,
          chain: chainKey(chain),
          agentId: project.agentId,
        },
        data: {
          ...source,
          name: project.name,
          enterprise: { name: project.enterpriseName, creditCode: project.enterpriseId },
          investmentCny: project.investmentCny,
          stageIndex: planned.currentStageIndex,
          holdUntil,
        },
      }),
    },
    ...planned.steps
      .filter((s) => s.status !== 'pending')
      .map(
        (s): StoreOp => ({
          op: 'put_event',
          event: newEvent(ctx, {
            projectId,
            type: 'step_imported',
            stepId: s.stepId,
            actor: principal,
            at,
            after: { status: s.status },
            data: {
              ...source,
              ...(s.submitted ? { submitted: s.submitted } : {}),
              ...(s.accepted ? { accepted: s.accepted } : {}),
              ...(s.decided ? { decided: s.decided } : {}),
              ...(s.document ? { document: s.document } : {}),
            },
          }),
        }),
      ),
    {
      op: 'put_assignment',
      assignment: {
        projectId,
        assignmentId: ctx.newId(),
        agentId: project.agentId,
        previousAgentId: null,
        reason: `imported from ${request.fileName} row ${planned.row}`,
        at,
        by: principal.userId,
      },
    },
    ...(entry ? [{ op: 'put_outbox', entry } satisfies StoreOp] : []),
  ];
  if (ops.length > MAX_IMPORT_OPS) {
    return {
      broken: `importing it takes ${ops.length} writes, over the ${MAX_IMPORT_OPS} of one transaction`,
    };
  }
  return { project, ops, ...(entry ? { entry } : {}) };
}

/** DynamoDB's limit of one transaction. */
const MAX_IMPORT_OPS = 100;

/** Writes one built project in one transaction; a code claimed meanwhile: by this import (a repeat) or another. */
async function write(ctx: AppContext, built: Built): Promise<'imported' | 'already' | 'taken'> {
  try {
    await ctx.store.commit(built.ops);
  } catch (error) {
    if (!claimFailed(error)) throw error;
    const holder = await ctx.store.findProjectIdByCode(built.project.code);
    return holder === built.project.projectId ? 'already' : 'taken';
  }
  // the execution's first task handlers delete the entry once it runs (as at registration)
  if (built.entry) await relay(ctx, built.entry, { leaveStartsToTasks: true });
  return 'imported';
}
