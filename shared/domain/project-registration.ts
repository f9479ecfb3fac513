import type { ProjectAttributes } from './applicability.js';
import { type Chain, chainKey } from './chain.js';
import { initialItems } from './initial-items.js';
import type { AgentAssignment, ExecutionRef, Project } from './project.js';
import { formatProjectCode } from './project-code.js';
import type { EventDraft } from './transition.js';

/**
 * Registering a project (DOMAIN.md: the chain, not every step applies, the project code): what a registration
 * writes, built from what the use case loaded. The use case draws the code's serial, checks a national code is
 * free, and commits; this says what the project, its items, its first event and its agent assignment are.
 */

/** What the person registering said of the project (checked at the edge). */
export type Registration = {
  name: string;
  enterprise: { name: string; creditCode: string };
  investmentCny: number;
};

/** The configured parts of a provisional project code. */
export type CodeParts = { regionCode: string; industryCode: string; typeCode: string };

/**
 * A project's code at registration: the national platform's (项目代码) if it already issued one, else a provisional
 * one of the year, the configured region, industry and type, and the serial drawn.
 */
export function registrationCode(
  national: string | undefined,
  year: number,
  parts: CodeParts,
  serial: number | undefined,
): { code: string; codeKind: Project['codeKind'] } {
  if (national) return { code: national, codeKind: 'national' };
  const { regionCode, industryCode, typeCode } = parts;
  const code = formatProjectCode({ year, regionCode, industryCode, typeCode, serial: serial ?? 0 });
  return { code, codeKind: 'provisional' };
}

/** Everything a registration writes but the transaction's bookkeeping (the code's claim, the outbox). */
export type RegisteredProject = {
  /** its items are not written: each is derived from the chain until first changed (see `initial-items.ts`) */
  project: Project;
  /** the `project_created` event */
  event: EventDraft;
  assignment: Omit<AgentAssignment, 'assignmentId'>;
};

/**
 * A project registered on `chain`: active in its first stage, with every step and part as registration leaves
 * them (pending, or closed as not applicable), the departments with a pending step, its first execution, and the
 * agent assigned by the person registering.
 */
export function registerProject(input: {
  chain: Chain;
  projectId: string;
  registration: Registration;
  /** resolved against the chain's attributes */
  attributes: ProjectAttributes;
  code: { code: string; codeKind: Project['codeKind'] };
  agentId: string;
  first: { execution: ExecutionRef; renewAt: string };
  registeredBy: string;
  now: Date;
  requestHash?: string;
}): RegisteredProject {
  const { chain, projectId, registration, attributes, agentId, first, now } = input;
  const { code, codeKind } = input.code;
  const at = now.toISOString();
  const items = initialItems(chain, projectId, attributes, at);
  const steps = items.filter((i) => !i.partId);
  const notApplicable = steps.filter((s) => s.status === 'not_applicable');
  const project: Project = {
    projectId,
    code,
    codeKind,
    name: registration.name,
    enterpriseName: registration.enterprise.name,
    enterpriseId: registration.enterprise.creditCode,
    investmentCny: registration.investmentCny,
    chainId: chain.id,
    chainVersion: chain.version,
    attributes,
    agentId,
    status: 'active',
    currentStageIndex: 0,
    ...(chain.stages[0] ? { leadDepartmentId: chain.stages[0].leadDepartmentId } : {}),
    departments: [
      ...new Set(
        items.filter((i) => i.status === 'pending' && i.departmentId).map((i) => i.departmentId ?? ''),
      ),
    ].sort(),
    execution: first.execution,
    renewAt: first.renewAt,
    createdAt: at,
    updatedAt: at,
    stepsTotal: steps.length,
    stepsClosed: notApplicable.length,
    decisions: 0,
    supplements: 0,
    ...(input.requestHash ? { requestHash: input.requestHash } : {}),
  };
  return {
    project,
    event: {
      type: 'project_created',
      after: { status: 'active', code, chain: chainKey(chain), agentId },
      data: {
        name: registration.name,
        enterprise: registration.enterprise,
        investmentCny: registration.investmentCny,
        attributes,
        notApplicable: notApplicable.map((s) => s.stepId),
      },
    },
    assignment: {
      projectId,
      agentId,
      previousAgentId: null,
      reason: 'assigned at registration',
      at,
      by: input.registeredBy,
    },
  };
}
