import { chinaDate } from '../../shared/domain/working-days.js';
import type { ApiResponse } from './in-process-client.js';

export type PartView = { partId: string; status: string; departmentId: string; submittedAt?: string };
export type StepView = {
  stepId: string;
  status: string;
  submittedAt?: string;
  kind: 'approval' | 'milestone' | 'joint';
  departmentId: string | null;
  blocked?: boolean;
  materials: string[];
  parts?: PartView[];
};
export type ProjectView = {
  project: { projectId: string; status: string; code: string; agentId: string };
  stages: Array<{ stageId: string; steps: StepView[] }>;
};

/** Anything that calls the API as a user (the in-process client, or a test's wrapper of it). */
export type ApiCaller = {
  call<T>(method: string, path: string, as?: string, body?: unknown): Promise<ApiResponse<T>>;
};

/** The seeded officer of a department, e.g. `officer-env`. */
export const officerOf = (departmentId: string): string => `officer-${departmentId.toLowerCase()}`;

export const allSteps = (view: ProjectView): StepView[] => view.stages.flatMap((s) => s.steps);

/**
 * An approval as a department sends it, with its document (批文/证照): a number naming the department and step,
 * dated the day the materials were accepted (never after the decision).
 */
export function approvalOf(departmentId: string, stepId: string, submittedAt: string | undefined) {
  const date = chinaDate(submittedAt ? new Date(submittedAt) : new Date());
  return {
    outcome: 'approved' as const,
    document: { number: `${departmentId}批〔${date.slice(0, 4)}〕${stepId}号`, date },
  };
}

export async function viewProject(
  api: ApiCaller,
  projectId: string,
  as = 'leader-zhang',
): Promise<ProjectView> {
  const res = await api.call<ProjectView>('GET', `/projects/${projectId}`, as);
  if (res.status !== 200)
    throw new Error(`GET project ${projectId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Moves a project along through the HTTP API alone, the way its agent and the officers would: every ready step
 * is submitted by the agent with all its materials, every step or joint-review part in review approved by its
 * department, until `stop` says so or nothing is left to do. `settle` waits for the engine between rounds.
 */
export async function driveOverHttp(
  api: ApiCaller,
  settle: () => Promise<void>,
  projectId: string,
  options: {
    stop?: (view: ProjectView) => boolean;
    maxRounds?: number;
    viewAs?: string;
    /** steps (`23`) or joint-review parts (`23.fire`) whose decision is left to someone else, e.g. a meeting */
    leave?: readonly string[];
  } = {},
): Promise<ProjectView> {
  const left = new Set(options.leave ?? []);
  const base = `/projects/${projectId}/steps`;
  const expectOk = (what: string, res: ApiResponse<unknown>) => {
    if (res.status !== 200) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  for (let round = 0; round < (options.maxRounds ?? 200); round++) {
    await settle();
    const view = await viewProject(api, projectId, options.viewAs);
    if (options.stop?.(view)) return view;
    const steps = allSteps(view);
    const ready = steps.filter((s) => s.status === 'ready');
    const inReview = steps.filter(
      (s) => s.status === 'in_review' && s.kind !== 'joint' && !left.has(s.stepId),
    );
    const partsInReview = steps.flatMap((s) =>
      (s.parts ?? [])
        .filter((p) => p.status === 'in_review' && !left.has(`${s.stepId}.${p.partId}`))
        .map((p) => ({ step: s, part: p })),
    );
    if (ready.length === 0 && inReview.length === 0 && partsInReview.length === 0) return view;
    for (const step of ready) {
      const res = await api.call('POST', `${base}/${step.stepId}/submission`, view.project.agentId, {
        materials: step.materials,
      });
      expectOk(`submit ${step.stepId}`, res);
    }
    for (const step of inReview) {
      const res = await api.call(
        'POST',
        `${base}/${step.stepId}/decision`,
        officerOf(step.departmentId ?? ''),
        approvalOf(step.departmentId ?? '', step.stepId, step.submittedAt),
      );
      expectOk(`decide ${step.stepId}`, res);
    }
    for (const { step, part } of partsInReview) {
      const res = await api.call(
        'POST',
        `${base}/${step.stepId}/parts/${part.partId}/decision`,
        officerOf(part.departmentId),
        approvalOf(part.departmentId, `${step.stepId}-${part.partId}`, part.submittedAt),
      );
      expectOk(`decide ${step.stepId} part ${part.partId}`, res);
    }
  }
  throw new Error(`project ${projectId} did not settle`);
}
