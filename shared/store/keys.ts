import type { ProjectStep } from '../domain/project.js';
import type { ProjectStatus } from '../domain/step-status.js';
import { isOpen } from '../domain/step-status.js';
import { DUE_SHARDS } from './table.js';

/** Key builders for the single table (see table.ts for the map). */
export const keys = {
  project: (projectId: string) => ({ PK: `PROJECT#${projectId}`, SK: 'PROJECT' }),
  step: (projectId: string, stepId: string) => ({ PK: `PROJECT#${projectId}`, SK: `STEP#${stepId}` }),
  event: (projectId: string, eventId: string) => ({ PK: `PROJECT#${projectId}`, SK: `EVENT#${eventId}` }),
  assignment: (projectId: string, assignmentId: string) => ({
    PK: `PROJECT#${projectId}`,
    SK: `ASSIGNMENT#${assignmentId}`,
  }),
  department: (id: string) => ({ PK: `DEPT#${id}`, SK: 'DEPT' }),
  chain: (id: string, version: number) => ({
    PK: `CHAIN#${id}`,
    SK: `VERSION#${String(version).padStart(6, '0')}`,
  }),
  user: (userId: string) => ({ PK: `USER#${userId}`, SK: 'USER' }),
  counter: (name: string) => ({ PK: `COUNTER#${name}`, SK: 'COUNTER' }),
};

export const projectIndexKeys = (p: {
  projectId: string;
  status: ProjectStatus;
  createdAt: string;
  agentId: string;
  enterpriseId: string;
}) => ({
  GSI1PK: `PROJECTS#${p.status}`,
  GSI1SK: `${p.createdAt}#${p.projectId}`,
  GSI2PK: `AGENT#${p.agentId}`,
  GSI2SK: `${p.createdAt}#${p.projectId}`,
  GSI3PK: `ENTERPRISE#${p.enterpriseId}`,
  GSI3SK: `${p.createdAt}#${p.projectId}`,
});

/** A small stable hash so a step always lands on the same due-index shard. */
export function dueShard(projectId: string, stepId: string): number {
  let hash = 0;
  for (const ch of `${projectId}#${stepId}`) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % DUE_SHARDS;
}

/**
 * Index keys a step carries in its current status: open steps sit in their department's queue (GSI1),
 * steps in review also in the sparse due index (ByDueAt). Closed steps carry neither.
 */
export function stepIndexKeys(step: ProjectStep): Record<string, string | undefined> {
  const queued = isOpen(step.status) && step.departmentId !== null;
  const due = step.status === 'in_review' && step.dueAt !== undefined;
  return {
    GSI1PK: queued ? `DEPT#${step.departmentId}` : undefined,
    GSI1SK: queued ? `${step.status}#${step.updatedAt}#${step.projectId}#${step.stepId}` : undefined,
    DuePK: due ? `DUE#${dueShard(step.projectId, step.stepId)}` : undefined,
    DueSK: due ? `${step.dueAt}#${step.projectId}#${step.stepId}` : undefined,
  };
}
