import { type Chain, chainKey } from '../domain/chain.js';
import type { Principal } from '../domain/principal.js';
import { itemKey, type Project } from '../domain/project.js';
import type { ImportedProject } from '../domain/project-import.js';
import { importedItems, importInstant } from '../domain/project-import-items.js';
import { brokenInvariants, describeBroken } from '../domain/project-invariants.js';
import { isPassed } from '../domain/step-status.js';
import { CommitConflictError, type OutboxEntry, type StoreOp } from '../store/store.port.js';
import { outboxEntry } from './commit.js';
import type { AppContext } from './context.js';
import { newEvent } from './events.js';
import { newExecution, startSend } from './executions.js';
import { claimFailed } from './national-code.js';
import { relay } from './relay.js';

/**
 * One imported project as one transaction: the project on its stage, its code claimed, the items of the stages it
 * has reached, a `project_imported` event and a `step_imported` event per step the file records (who imported it,
 * from which file and row), the agent's assignment, and the start of its execution at its stage (none when the file
 * has it completed). The project invariants must hold for it, or it is not written.
 */

export type BuiltImport = { project: Project; ops: StoreOp[]; entry?: OutboxEntry };

/** What importing one project writes, or why it would contradict itself (the project invariants). */
export function buildImport(
  ctx: AppContext,
  principal: Principal,
  chain: Chain,
  planned: ImportedProject,
  projectId: string,
  fileName: string,
  holdUntil: string,
  /** the file's national code, or the one generated for a row without (as registration gives one) */
  code: { code: string; codeKind: 'national' | 'provisional' } = {
    code: planned.projectCode ?? '',
    codeKind: 'national',
  },
): BuiltImport | { broken: string } {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const { attributes } = planned;
  const stage = chain.stages[planned.currentStageIndex];
  const first = planned.completed
    ? undefined
    : newExecution(ctx, projectId, planned.currentStageIndex, 1, now);
  const lastDecided = planned.steps
    .map((s) => s.decided)
    .filter((d): d is string => d !== undefined)
    .sort()
    .at(-1);
  const lastRejected = planned.steps
    .filter((s) => s.status === 'rejected')
    .map((s) => s.decided ?? '')
    .sort()
    .at(-1);
  // registered on the file's day, so its Gantt and its history start there (imported now)
  const createdAt = importInstant(planned.registeredOn);
  const project: Project = {
    projectId,
    code: code.code,
    codeKind: code.codeKind,
    name: planned.name,
    enterpriseName: planned.enterpriseName,
    enterpriseId: planned.creditCode,
    investmentCny: planned.investmentCny,
    chainId: chain.id,
    chainVersion: chain.version,
    attributes,
    agentId: planned.agentId,
    status: planned.status,
    currentStageIndex: planned.completed ? chain.stages.length - 1 : planned.currentStageIndex,
    ...(stage ? { leadDepartmentId: stage.leadDepartmentId } : {}),
    departments: [],
    ...(first ? { execution: first.execution, renewAt: first.renewAt } : {}),
    createdAt: createdAt < at ? createdAt : at,
    updatedAt: at,
    ...(planned.completed ? { completedAt: lastDecided ? importInstant(lastDecided) : at } : {}),
    ...(lastRejected ? { returnedAt: importInstant(lastRejected) } : {}),
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
    importedAt: at,
    calendar: ctx.calendar,
    sla: ctx.settings.sla,
    holdUntil,
  });
  const steps = items.filter((i) => !i.partId);
  project.stepsTotal = steps.length;
  project.stepsClosed = steps.filter((s) => isPassed(s.status)).length;
  // the decisions the departments took: approvals, rejections and supplement requests (as the live system counts)
  project.decisions = steps.filter(
    (s) =>
      (s.status === 'approved' && s.kind !== 'milestone') ||
      s.status === 'rejected' ||
      s.status === 'supplement_requested',
  ).length;
  project.supplements = steps.filter((s) => s.status === 'supplement_requested').length;
  project.departments = [
    ...new Set(
      items.filter((i) => i.status !== 'not_applicable' && i.departmentId).map((i) => i.departmentId ?? ''),
    ),
  ].sort();
  const broken = brokenInvariants({ project, chain, items: new Map(items.map((i) => [itemKey(i), i])) });
  if (broken.length > 0) return { broken: describeBroken(broken) };
  // the stages it has reached are written; the later ones are derived from the chain until reached
  const written = items.filter((item) => item.stageIndex <= planned.currentStageIndex);
  const source = { fileName, row: planned.row };
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
          attributes,
          registeredOn: planned.registeredOn,
          ...(code.codeKind === 'provisional' ? { codeGenerated: true } : {}),
          stageIndex: planned.currentStageIndex,
          holdUntil,
        },
      }),
    },
    ...planned.steps
      .filter((s) => s.status !== 'pending' && !s.byRule)
      .map(
        (s): StoreOp => ({
          op: 'put_event',
          event: newEvent(ctx, {
            projectId,
            type: 'step_imported',
            stepId: s.stepId,
            actor: principal,
            at,
            after: { status: s.status === 'paused' ? 'in_review' : s.status },
            data: {
              ...source,
              ...(s.submitted ? { submitted: s.submitted } : {}),
              ...(s.accepted ? { accepted: s.accepted } : {}),
              ...(s.decided ? { decided: s.decided } : {}),
              ...(s.document ? { document: s.document } : {}),
              ...(s.pause ? { pause: s.pause } : {}),
              ...(s.missing ? { missing: s.missing } : {}),
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
        reason: `imported from ${fileName} row ${planned.row}`,
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
export async function writeImport(
  ctx: AppContext,
  built: BuiltImport,
): Promise<'imported' | 'already' | 'taken'> {
  try {
    await ctx.store.commit(built.ops);
  } catch (error) {
    if (!(error instanceof CommitConflictError)) throw error;
    // the same row imported meanwhile (a row without a code is known by its content, not its code)
    if (await ctx.store.getProject(built.project.projectId)) return 'already';
    if (!claimFailed(error)) throw error;
    const holder = await ctx.store.findProjectIdByCode(built.project.code);
    return holder === built.project.projectId ? 'already' : 'taken';
  }
  // the execution's first task handlers delete the entry once it runs (as at registration)
  if (built.entry) await relay(ctx, built.entry, { leaveStartsToTasks: true });
  return 'imported';
}
