import type { Project } from '../../shared/domain/project.js';
import type { ImportedProject } from '../../shared/domain/project-import.js';
import { referenceChain } from '../../shared/domain/reference/industrial-chain.js';

/**
 * The project record the import use case writes for a row planned on the reference chain (its project fields; a
 * row without a national code gets a provisional one), created and last updated at the instants given.
 */
export function importedProjectRecord(
  planned: ImportedProject,
  { createdAt, updatedAt }: { createdAt: string; updatedAt: string },
): Project {
  return {
    projectId: `imp-${planned.identity}`,
    code: planned.projectCode ?? '2026-320115-39-01-000017',
    codeKind: planned.projectCode ? 'national' : 'provisional',
    name: planned.name,
    enterpriseName: planned.enterpriseName,
    enterpriseId: planned.creditCode,
    investmentCny: planned.investmentCny,
    chainId: referenceChain.id,
    chainVersion: referenceChain.version,
    attributes: planned.attributes,
    agentId: planned.agentId,
    status: planned.status,
    currentStageIndex: Math.min(planned.currentStageIndex, referenceChain.stages.length - 1),
    departments: [],
    createdAt,
    updatedAt,
    stepsTotal: 35,
    stepsClosed: 0,
    decisions: 0,
    supplements: 0,
  };
}
