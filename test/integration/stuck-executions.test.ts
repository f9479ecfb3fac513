import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/app/logger.js';
import type {
  ExecutionRequest,
  ExecutionStatus,
  WorkflowEngine,
} from '../../shared/engine/workflow-engine.port.js';
import type { ExecutionInput } from '../../shared/workflow/task-contract.js';
import { allEvents, allSteps, viewProject } from '../support/drive.js';
import { projectRegistration } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

/**
 * An engine that, while `losing` is on, accepts a start and says the execution runs, yet never runs it: what the
 * audit met after the DynamoDB Local outage of issue 18 (an execution recorded as started whose handlers never
 * reached DynamoDB, every step of its stage pending, the engine answering RUNNING).
 */
class LosingEngine implements WorkflowEngine {
  losing = false;
  readonly lost = new Set<string>();
  constructor(private readonly inner: WorkflowEngine) {}
  async startExecution(request: ExecutionRequest & { input: ExecutionInput }): Promise<void> {
    if (this.losing) {
      this.lost.add(request.name);
      return;
    }
    return this.inner.startExecution(request);
  }
  async stopExecution(request: ExecutionRequest): Promise<void> {
    this.lost.delete(request.name);
    return this.inner.stopExecution(request);
  }
  async describeExecution(request: ExecutionRequest): Promise<ExecutionStatus> {
    return this.lost.has(request.name) ? 'RUNNING' : this.inner.describeExecution(request);
  }
  sendTaskSuccess(token: string, output: object) {
    return this.inner.sendTaskSuccess(token, output);
  }
  sendTaskFailure(token: string, error: string, cause: string) {
    return this.inner.sendTaskFailure(token, error, cause);
  }
  deployChain(...args: Parameters<WorkflowEngine['deployChain']>) {
    return this.inner.deployChain(...args);
  }
  hasChain(key: string) {
    return this.inner.hasChain(key);
  }
}

describe('the audit and an execution that waits on nothing', () => {
  let engine: LosingEngine | undefined;
  let system: Awaited<ReturnType<typeof startTestSystem>>;
  let api: ApiClient;
  beforeAll(async () => {
    system = await startTestSystem({
      log: silentLogger,
      // no quiet time: the test's project is still at once
      spine: { stuckAfterSeconds: 0 },
      wrapEngine: (inner) => {
        engine = new LosingEngine(inner);
        return engine;
      },
    });
    api = new ApiClient(system);
  });
  afterAll(async () => {
    await system.stop();
  });

  it('renews an execution the engine says runs while every step of its stage stays pending, and the project moves on', async () => {
    // Prepare: a project whose execution is started but never runs
    if (!engine) throw new Error('the engine was not wired');
    engine.losing = true;
    const projectId = (await api.post('/projects', 'agent-wang', projectRegistration())).body
      .projectId as string;
    await system.engine.settled();
    engine.losing = false;
    const before = allSteps(await viewProject(api, projectId));

    // Act: the scheduled job (its audit) runs, as POST /admin/jobs would
    const report = await system.runJob();
    await system.engine.settled();

    // Assess
    expect(before.filter((step) => step.status !== 'pending' && step.status !== 'not_applicable')).toEqual(
      [],
    );
    expect(report.reconciled).toBeGreaterThanOrEqual(1);
    expect(allSteps(await viewProject(api, projectId)).find((s) => s.stepId === '1')?.status).toBe('ready');
    const renewed = (await allEvents(api, projectId)).filter((e) => e.type === 'execution_renewed');
    expect(renewed).toHaveLength(1);
    expect(JSON.stringify(renewed[0])).toContain('never opened');
  });
});
