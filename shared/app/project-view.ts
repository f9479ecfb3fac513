import { assertAllowed } from '../domain/access-policy.js';
import { approvalsOf } from '../domain/approvals.js';
import { caseFactsOf, caseKindsOf } from '../domain/case-kinds.js';
import { chainKey } from '../domain/chain.js';
import { chainCriticalPath, projectProjection } from '../domain/critical-path.js';
import { countLights, worstLight } from '../domain/lights.js';
import type { Principal } from '../domain/principal.js';
import type { AgentAssignment } from '../domain/project.js';
import { isPassed } from '../domain/step-status.js';
import { stepOpening } from '../domain/steps/opening.js';
import { partsOf } from '../domain/transition.js';
import type { AppContext } from './context.js';
import { itemState, lightsOf } from './item-view.js';
import { loadStateAndHandovers } from './load.js';
import { referenceData } from './reference-cache.js';

/** A project as the people involved see it: every stage and step with status, department, dates, limits, clock. */
export async function getProjectView(ctx: AppContext, principal: Principal, projectId: string) {
  // One Query: the project's working set holds its handovers (read even when the caller turns out not to see the
  // project; they are not shown then); the reference data comes from the cache, read meanwhile.
  const reference = referenceData(ctx.store);
  const [{ state, assignments }, departments] = await Promise.all([
    loadStateAndHandovers(ctx, projectId),
    reference.departments(),
  ]);
  const { project, chain } = state;
  assertAllowed(principal, 'project.read', { project, chain });
  const agent = await reference.user(project.agentId);
  const now = ctx.clock.now();
  const departmentName = new Map(departments.map((d) => [d.id, d.name]));
  const departmentLevel = new Map(departments.map((d) => [d.id, d.level]));
  const stages = chain.stages.map((stage, stageIndex) => {
    const steps = stage.steps.map((definition) => {
      const item = state.items.get(definition.id);
      const holder = item?.departmentId ?? definition.departmentId;
      const parts = definition.parts?.map((part) => {
        const partItem = partsOf(state, definition.id).find((p) => p.partId === part.id);
        return {
          partId: part.id,
          name: part.name,
          nameEn: part.nameEn,
          departmentId: part.departmentId,
          departmentName: departmentName.get(part.departmentId) ?? null,
          promisedDays: part.promisedDays,
          legalDays: part.legalDays,
          ...(partItem ? itemState(ctx, partItem, now) : { status: 'pending' as const, clock: null }),
        };
      });
      return {
        stepId: definition.id,
        name: definition.name,
        nameEn: definition.nameEn,
        kind: definition.parts ? ('joint' as const) : definition.kind,
        // the department that holds it for this project (a large project's EIA sits with the city: 上下协同)
        departmentId: holder,
        departmentName: holder ? (departmentName.get(holder) ?? null) : null,
        departmentLevel: holder ? (departmentLevel.get(holder) ?? null) : null,
        promisedDays: definition.promisedDays,
        legalDays: definition.legalDays,
        prerequisites: definition.prerequisites,
        materials: definition.materials.map((m) => m.id),
        ...(item ? itemState(ctx, item, now) : { status: 'pending' as const, clock: null }),
        // 即写即读: a step an answer opened is marked opening until the engine's handlers record it ready (a moment later)
        ...(stepOpening(state, definition.id) ? { opening: true as const } : {}),
        caseKinds: item ? caseKindsOf(caseFactsOf(definition, item)) : [],
        ...(parts ? { parts } : {}),
      };
    });
    const done = steps.every((s) => isPassed(s.status));
    const lights = lightsOf(steps);
    return {
      stageId: stage.id,
      index: stageIndex,
      name: stage.name,
      nameEn: stage.nameEn,
      leadDepartmentId: stage.leadDepartmentId,
      status: (done || stageIndex < project.currentStageIndex
        ? 'done'
        : stageIndex === project.currentStageIndex
          ? 'current'
          : 'waiting') as 'done' | 'current' | 'waiting',
      light: worstLight(lights),
      lights: countLights(lights),
      steps,
    };
  });
  // the counts behind the workbench summary and the token checks are the store's, not for anyone to read
  const { requestHash: _h, renewAt: _r, workSeq: _w, tokenSeq: _t, ...shown } = project;
  const all = stages.flatMap((s) => lightsOf(s.steps));
  return {
    project: {
      ...shown,
      light: worstLight(all),
      lights: countLights(all),
      projection: projectProjection(state, ctx.calendar, now) ?? null,
      chain: { id: chain.id, version: chain.version, key: chainKey(chain), name: chain.name },
      agent: agent
        ? { agentId: agent.userId, name: agent.name, phone: agent.phone ?? null }
        : { agentId: project.agentId },
    },
    stages,
    // every approval with its document (批文/证照): also as CSV at /projects/{id}/approvals.csv
    approvals: approvalsOf(state, departments),
    assignments: assignments.map(assignmentView),
  };
}

function assignmentView(a: AgentAssignment) {
  const { projectId: _p, ...rest } = a;
  return rest;
}

/** A chain's critical path, against all its approvals in series and its legal limits. */
export const chainPath = chainCriticalPath;
