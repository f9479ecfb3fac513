import type { LocalSystem } from '../../infra/local/system.js';
import type { Clock } from '../../shared/app/clock.js';
import { silentLogger } from '../../shared/app/logger.js';
import type { Metrics } from '../../shared/app/metrics.js';
import { allSteps, driveProject } from './drive.js';
import { APPROVAL, projectRegistration, submissionOf } from './fixtures.js';
import { ApiClient, type ApiResponse, startTestSystem } from './local-system.js';

/** A system and a client for its API, as a test's `beforeAll` starts them (the test stops the system). */
export type ClockedSystem = { system: LocalSystem & { tableName: string }; api: ApiClient };

/** A fresh system on the test's clock (usually a `ManualClock`), its log silent. */
export async function startOnClock(
  clock: Clock,
  options: { metrics?: Metrics } = {},
): Promise<ClockedSystem> {
  const system = await startTestSystem({ clock, log: silentLogger, ...options });
  return { system, api: new ApiClient(system) };
}

/** Agent Wang registers the test project; its first stage is open once the engine has settled. */
export async function registerProject({
  system,
  api,
}: {
  system: LocalSystem;
  api: ApiClient;
}): Promise<string> {
  const projectId = (await api.post('/projects', 'agent-wang', projectRegistration())).body
    .projectId as string;
  await system.engine.settled();
  return projectId;
}

/**
 * A fresh system on the test's clock with the test project registered and its filing (step 1, 发改局) approved:
 * the steps that follow the filing are ready, and the clock has not moved.
 */
export async function startWithFiledProject(clock: Clock): Promise<ClockedSystem & { projectId: string }> {
  const started = await startOnClock(clock);
  const { system, api } = started;
  const projectId = await registerProject(started);
  await api.post(`/projects/${projectId}/steps/1/submission`, 'agent-wang', submissionOf('1'));
  await api.post(`/projects/${projectId}/steps/1/decision`, 'officer-drc', APPROVAL);
  await system.engine.settled();
  return { system, api, projectId };
}

/**
 * Agent Wang registers the test project, drives it until its EIA (step 7, 生态环境局, 15 working days) is ready,
 * and submits it: the answer is the submitted step.
 */
export async function registerAndSubmitEia(started: {
  system: LocalSystem;
  api: ApiClient;
}): Promise<{ projectId: string; submitted: ApiResponse }> {
  const { system, api } = started;
  const projectId = (await api.post('/projects', 'agent-wang', projectRegistration())).body
    .projectId as string;
  await driveProject(system, api, projectId, {
    stop: (view) => allSteps(view).some((s) => s.stepId === '7' && s.status === 'ready'),
  });
  const submitted = await api.post(
    `/projects/${projectId}/steps/7/submission`,
    'agent-wang',
    submissionOf('7'),
  );
  return { projectId, submitted };
}

/**
 * `count` projects of agent-wang's registered and settled, each with its step 1 (发改委, promised 1 working day)
 * submitted: moved on a few days, every one is due at once (a storm of due items).
 */
export async function projectsWithStepOneSubmitted(
  { system, api }: { system: LocalSystem; api: ApiClient },
  count: number,
  name: string,
): Promise<string[]> {
  const projectIds: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const registered = await api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: `${name} ${i}` }),
    );
    projectIds.push(registered.body.projectId);
  }
  await system.engine.settled();
  for (const projectId of projectIds) {
    const submitted = await api.post(
      `/projects/${projectId}/steps/1/submission`,
      'agent-wang',
      submissionOf('1'),
    );
    if (submitted.status !== 200)
      throw new Error(`step 1 of ${projectId} not submitted: ${submitted.status}`);
  }
  return projectIds;
}
