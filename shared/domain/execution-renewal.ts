import type { ExecutionRef, Project } from './project.js';
import type { ProjectChange } from './transition.js';

/**
 * Construction period (DOMAIN.md): between the construction permit and the report that works are complete a project
 * may spend years building, and nothing may expire in that time. A project's workflow execution (one per stage at a
 * time, DESIGN.md decision 6) is therefore renewed as a new generation after `maxAgeDays` (well inside Step
 * Functions' one-year limit), and whenever it is found missing, failed or stuck; the new generation replays what
 * the project holds and waits where the old one waited.
 */

/**
 * An execution's name: `<projectId>-s<stage>-g<generation>`; a project a revoked approval took back to an earlier
 * stage (`rewinds`) names its executions apart, so a stage it reaches again never reuses a name.
 */
export const executionName = (
  projectId: string,
  stageIndex: number,
  generation: number,
  rewinds?: number,
): string => `${projectId}${rewinds ? `-r${rewinds}` : ''}-s${stageIndex}-g${generation}`;

const DAY_MS = 86_400_000;

/** A new execution of a stage, and when it must be renewed. */
export function newExecution(
  projectId: string,
  stageIndex: number,
  generation: number,
  now: Date,
  maxAgeDays: number,
  rewinds?: number,
): { execution: ExecutionRef; renewAt: string } {
  return {
    execution: {
      name: executionName(projectId, stageIndex, generation, rewinds),
      stageIndex,
      generation,
      startedAt: now.toISOString(),
    },
    renewAt: new Date(now.getTime() + maxAgeDays * DAY_MS).toISOString(),
  };
}

/**
 * The project change that replaces a project's execution with the next generation of its current stage, expecting
 * the old one to be current still; `stop` is the old execution, to be stopped before the new one starts (two never
 * drive the same steps). After a revoked approval took the project back to an earlier stage, the old execution is
 * of a later stage: the stage the project is in starts afresh at generation 1 (named apart, see `executionName`).
 */
export function renewalOf(
  project: Pick<Project, 'projectId' | 'execution' | 'currentStageIndex' | 'rewinds'>,
  now: Date,
  maxAgeDays: number,
): { change: ProjectChange; execution: ExecutionRef; stop?: ExecutionRef } {
  const old = project.execution;
  const sameStage = old !== undefined && old.stageIndex === project.currentStageIndex;
  const next = newExecution(
    project.projectId,
    project.currentStageIndex,
    sameStage ? old.generation + 1 : 1,
    now,
    maxAgeDays,
    project.rewinds,
  );
  return {
    change: {
      set: { execution: next.execution, renewAt: next.renewAt },
      remove: ['executionEndedAt'],
      expect: { executionName: old?.name ?? null },
    },
    execution: next.execution,
    ...(old ? { stop: old } : {}),
  };
}

/** Whether a project's execution has reached the age at which it is renewed. */
export const renewalDue = (project: Pick<Project, 'renewAt'>, now: Date): boolean =>
  project.renewAt !== undefined && now.toISOString() >= project.renewAt;
