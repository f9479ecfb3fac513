import { expect } from 'vitest';
import { fixtureStep } from './chain-fixtures.js';
import { APPROVAL, projectRegistration } from './fixtures.js';
import { devToken, request } from './runtime-process.js';

/**
 * The fault tests' users and chain (test/e2e/faults.test.ts, test/e2e/dynamodb-outage.test.ts): agents and officers
 * moving projects of a compact chain on through the API of a runtime that may be away, and what they check after.
 */

type PartView = { partId: string; status: string; departmentId: string };
type StepView = {
  stepId: string;
  status: string;
  kind: string;
  departmentId: string | null;
  materials: string[];
  parts?: PartView[];
};
export type ProjectView = {
  project: { status: string; agentId: string };
  stages: Array<{ steps: StepView[] }>;
};
type Event = { type: string; stepId?: string; partId?: string };

/** A compact chain (two stages, gated steps, a joint review), published through the API for these tests. */
export const FAULT_CHAIN = {
  id: 'fault-chain',
  version: 1,
  name: '故障测试流程',
  nameEn: 'Fault test chain',
  targetWorkingDays: 30,
  stages: [
    {
      id: 'f-stage-1',
      name: '第一阶段',
      nameEn: 'Stage one',
      leadDepartmentId: 'NRP',
      steps: [fixtureStep('a'), fixtureStep('b', ['a']), fixtureStep('c', ['a'])],
    },
    {
      id: 'f-stage-2',
      name: '第二阶段',
      nameEn: 'Stage two',
      leadDepartmentId: 'HUD',
      steps: [
        fixtureStep('d', ['b']),
        {
          ...fixtureStep('e', ['d']),
          departmentId: 'HUD',
          parts: [
            { id: 'fire', name: '消防', nameEn: 'Fire', departmentId: 'HUD', promisedDays: 5, legalDays: 10 },
            { id: 'cad', name: '人防', nameEn: 'CAD', departmentId: 'CAD', promisedDays: 5, legalDays: 10 },
          ],
        },
      ],
    },
  ],
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const officerOf = (departmentId: string) => `officer-${departmentId.toLowerCase()}`;

/** The test as the agents and officers: moves a project on by one round, tolerating a runtime that is away. */
export class Users {
  readonly #tokens = new Map<string, string>();
  constructor(public base: string) {}

  async #token(userId: string): Promise<string> {
    let token = this.#tokens.get(userId);
    if (!token) {
      token = await devToken(this.base, userId);
      this.#tokens.set(userId, token);
    }
    return token;
  }

  async call(method: string, path: string, as: string, body?: unknown) {
    try {
      return await request(`${this.base}${path}`, {
        method,
        token: await this.#token(as),
        ...(body ? { body } : {}),
      });
    } catch {
      return { status: 0, body: undefined }; // the runtime is not there (killed, restarting)
    }
  }

  /** One round on a project; its status, or undefined when the runtime did not answer. */
  async advance(projectId: string, statuses: number[]): Promise<string | undefined> {
    const view = await this.call('GET', `/projects/${projectId}`, 'leader-zhang');
    statuses.push(view.status);
    if (view.status !== 200) return undefined;
    const project = view.body as ProjectView;
    const steps = project.stages.flatMap((s) => s.steps);
    const base = `/projects/${projectId}/steps`;
    for (const step of steps.filter((s) => s.status === 'ready')) {
      const res = await this.call('POST', `${base}/${step.stepId}/submission`, project.project.agentId, {
        materials: step.materials,
      });
      statuses.push(res.status);
    }
    for (const step of steps.filter((s) => s.status === 'in_review' && s.kind !== 'joint')) {
      const res = await this.call(
        'POST',
        `${base}/${step.stepId}/decision`,
        officerOf(step.departmentId ?? ''),
        APPROVAL,
      );
      statuses.push(res.status);
    }
    for (const step of steps) {
      for (const part of (step.parts ?? []).filter((p) => p.status === 'in_review')) {
        const res = await this.call(
          'POST',
          `${base}/${step.stepId}/parts/${part.partId}/decision`,
          officerOf(part.departmentId),
          APPROVAL,
        );
        statuses.push(res.status);
      }
    }
    return project.project.status;
  }
}

/** Moves every project on until all are completed or time runs out; a few at a time. */
export async function driveAll(
  users: Users,
  projects: string[],
  statuses: number[],
  until: number,
): Promise<Map<string, string>> {
  const done = new Map<string, string>();
  while (Date.now() < until && done.size < projects.length) {
    const open = projects.filter((p) => !done.has(p));
    for (let i = 0; i < open.length; i += 10) {
      await Promise.all(
        open.slice(i, i + 10).map(async (projectId) => {
          const status = await users.advance(projectId, statuses);
          if (status === 'completed') done.set(projectId, status);
        }),
      );
    }
    await sleep(200);
  }
  return done;
}

/** Every project's timeline: one decision per step and part, one opening per step, and completed. */
export async function assertConsistent(users: Users, projects: string[]) {
  for (const projectId of projects) {
    const events: Event[] = [];
    let cursor: string | undefined;
    do {
      const page = await users.call(
        'GET',
        `/projects/${projectId}/events?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        'leader-zhang',
      );
      expect(page.status).toBe(200);
      events.push(...(page.body.events as Event[]));
      cursor = page.body.cursor;
    } while (cursor);
    const decided = events
      .filter((e) => e.type === 'step_decided')
      .map((e) => `${e.stepId}${e.partId ? `.${e.partId}` : ''}`);
    expect(decided.sort(), projectId).toEqual(['a', 'b', 'c', 'd', 'e.cad', 'e.fire']);
    const opened = events.filter((e) => e.type === 'step_opened').map((e) => e.stepId);
    expect(opened.sort(), projectId).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(
      events.filter((e) => e.type === 'project_completed'),
      projectId,
    ).toHaveLength(1);
  }
}

export async function registerProjects(users: Users, count: number): Promise<string[]> {
  const projects: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const res = await users.call(
      'POST',
      '/projects',
      'agent-wang',
      projectRegistration({ name: `故障测试项目 ${i}`, chainId: 'fault-chain' }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    projects.push(res.body.projectId);
  }
  return projects;
}

/** Where each project stands (what a failing assertion shows): its status and every step's. */
export async function describeProjects(users: Users, projects: string[]): Promise<string> {
  const lines: string[] = [];
  for (const projectId of projects) {
    const view = await users.call('GET', `/projects/${projectId}`, 'leader-zhang');
    const project = view.body as ProjectView | undefined;
    const steps = project?.stages.flatMap((stage) => stage.steps) ?? [];
    lines.push(
      `${projectId} ${project?.project.status ?? view.status}: ${steps.map((s) => `${s.stepId}=${s.status}`).join(' ')}`,
    );
  }
  return lines.join('\n');
}
