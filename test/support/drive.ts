import type { LocalSystem } from '../../infra/local/system.js';
import type { ApiClient } from './local-system.js';

export type StepView = {
  stepId: string;
  status: string;
  kind: 'approval' | 'milestone';
  departmentId: string | null;
  blocked?: boolean;
};
export type ProjectView = {
  project: { projectId: string; status: string; code: string; agentId: string };
  stages: Array<{ stageId: string; steps: StepView[] }>;
};

export const officerOf = (departmentId: string): string => `officer-${departmentId.toLowerCase()}`;

export async function viewProject(
  api: ApiClient,
  projectId: string,
  as = 'leader-zhang',
): Promise<ProjectView> {
  const res = await api.get<ProjectView>(`/projects/${projectId}`, as);
  if (res.status !== 200)
    throw new Error(`GET project ${projectId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const allSteps = (view: ProjectView): StepView[] => view.stages.flatMap((s) => s.steps);

/**
 * Moves a project along through the HTTP API alone, the way its agent and the officers would: every ready step
 * is submitted by the agent, every step in review approved by its department, until `stop` says so or nothing
 * is left to do.
 */
export async function driveProject(
  system: LocalSystem,
  api: ApiClient,
  projectId: string,
  options: { stop?: (view: ProjectView) => boolean; maxRounds?: number } = {},
): Promise<ProjectView> {
  for (let round = 0; round < (options.maxRounds ?? 200); round++) {
    await system.engine.settled();
    const view = await viewProject(api, projectId);
    if (options.stop?.(view)) return view;
    const steps = allSteps(view);
    const ready = steps.filter((s) => s.status === 'ready');
    const inReview = steps.filter((s) => s.status === 'in_review');
    if (ready.length === 0 && inReview.length === 0) return view;
    for (const step of ready) {
      const res = await api.post(
        `/projects/${projectId}/steps/${step.stepId}/submission`,
        view.project.agentId,
        {
          materials: [],
        },
      );
      if (res.status !== 200)
        throw new Error(`submit ${step.stepId}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    for (const step of inReview) {
      const res = await api.post(
        `/projects/${projectId}/steps/${step.stepId}/decision`,
        officerOf(step.departmentId ?? ''),
        { outcome: 'approved' },
      );
      if (res.status !== 200)
        throw new Error(`decide ${step.stepId}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  throw new Error('the project did not settle');
}
